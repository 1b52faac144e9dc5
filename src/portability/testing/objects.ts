import type { TestPlatform } from '../../app/testing/test-platform.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { buildDossier } from '../use-cases/build.ts';
import { exportDossier, type PortabilityDeps } from '../use-cases/export.ts';

/**
 * For the Region isolation test: one dossier exported by the person of `citizen`'s Region and one
 * import row (as if another Region, '99', had sent it) whose ids go in the parameterised URLs.
 * The person must have a fiscal code of 16 letters and digits.
 */
export async function createPortabilityObjects(
  platform: TestPlatform,
  citizen: SessionUser,
  importedBy: string,
): Promise<{ exportId: string; importId: string }> {
  const deps: PortabilityDeps = {
    db: platform.db,
    audit: platform.audit,
    config: platform.config,
    portability: { signingKey: null, trustedIssuers: new Map(), jwksTimeoutMs: 2000 },
  };
  const made = await exportDossier(deps, citizen, citizen.id, null, 'it');
  if (!made.ok) throw new Error(`portability export: ${made.reason}`);
  const dossier = await buildDossier(platform.db, {
    regionCode: citizen.regionCode,
    regionName: 'Regione di provenienza',
    publicUrl: 'http://127.0.0.1:9',
    personId: citizen.id,
    sequence: 1,
    issuedAt: new Date(),
    requestedBy: 'person',
    verificationCode: 'AAAA-BBBB-CCCC',
  });
  if (!dossier) throw new Error('portability import: the person has no fiscal code');
  const row = await platform.db
    .insertInto('portability_imports')
    .values({
      region_code: citizen.regionCode,
      issuer_region: '99',
      document_id: dossier.documentId,
      sequence: 1,
      fiscal_code: dossier.person.fiscalCode,
      user_id: citizen.id,
      issued_at: dossier.issuedAt,
      kid: '99.test',
      sha256: '0'.repeat(64),
      payload: JSON.stringify({ ...dossier, issuer: { ...dossier.issuer, regionCode: '99' } }),
      mapped: JSON.stringify({
        tier: null,
        eqf: null,
        languages: [],
        unmappedLanguages: [],
        knownSkills: [],
        unknownSkills: [],
      }),
      created_person: false,
      imported_by: importedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { exportId: made.documentId, importId: row.id };
}
