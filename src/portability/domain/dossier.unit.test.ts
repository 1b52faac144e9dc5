import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { translator } from '../../platform/i18n/i18n.ts';
import { PortabilityConfigError, parseTrustedIssuers } from '../config.ts';
import {
  mapDossier,
  mapLanguageCode,
  mergeLanguages,
  supportLevelOfTier,
  tierOfSupportLevel,
} from './codes.ts';
import { checkDossier, DOSSIER_SCHEMA_ID, type Dossier, dossierJsonSchema } from './dossier.ts';
import { readableDossier } from './readable.ts';

/** An exported dossier as instance A writes it (every section filled). */
function exampleDossier(): Dossier {
  return {
    schema: DOSSIER_SCHEMA_ID,
    version: 1,
    documentId: '0b7c2f64-3c2a-4f7e-9a55-0c1f2d3e4f50',
    sequence: 2,
    issuedAt: '2026-11-27T10:00:00.000Z',
    issuer: {
      regionCode: '10',
      name: 'Regione Umbria',
      jwksUrl: 'https://lavoro.regione.example/.well-known/sportello/jwks.json',
    },
    requestedBy: 'person',
    readableCopy: { verificationCode: 'ABCD-EFGH-JKLM' },
    person: {
      fiscalCode: 'FRRMRT90E52G478X',
      givenName: 'Marta',
      familyName: 'Ferri',
      birthDate: '1990-05-12',
      sex: 'F',
    },
    did: [
      {
        declaredAt: '2026-01-10T09:00:00.000Z',
        status: 'active',
        events: [{ event: 'declared', at: '2026-01-10T09:00:00.000Z', reason: null }],
      },
    ],
    profile: {
      support: { level: 'medium', assignedAt: '2026-01-11T09:00:00.000Z' },
      education: { eqf: 6, title: 'Laurea in economia' },
      languages: [
        { code: 'en', level: 'B2' },
        { code: 'fra', level: 'A2' },
        { code: 'ja', level: 'A1' },
      ],
      drivingLicences: ['B'],
      unemployedSince: '2025-12-01',
      workHistory: [{ from: '2019-03', to: '2025-11', occupation: 'Impiegata', iscoGroup: '4', sector: 'N' }],
    },
    skills: [
      {
        uri: 'https://data.europa.eu/esco/skill/known-1',
        label: 'Usare fogli di calcolo',
        selfLevel: 3,
        validatedLevel: 2,
      },
      { uri: 'http://data.europa.eu/esco/skill/other-2', label: 'Altro', selfLevel: 1, validatedLevel: null },
    ],
    targetOccupations: [{ uri: 'http://data.europa.eu/esco/occupation/abc', label: 'Contabile' }],
    pacts: [
      {
        version: 1,
        status: 'signed',
        signedAt: '2026-02-01T10:00:00.000Z',
        verificationCode: 'PQRS-TUVW-XYZ2',
      },
    ],
    planActions: [
      {
        kind: 'update_cv',
        title: 'Aggiorna il CV',
        dueDate: '2026-03-01',
        status: 'done',
        doneAt: '2026-02-20T10:00:00.000Z',
      },
    ],
    courses: [
      {
        title: 'Excel avanzato',
        provider: 'Ente di formazione',
        status: 'completed',
        startsOn: '2026-03-01',
        endsOn: '2026-03-30',
        hours: 40,
        eqfLevel: 4,
        skills: ['http://data.europa.eu/esco/skill/known-1'],
      },
    ],
    badges: [
      {
        name: 'Excel avanzato',
        kind: 'course_completed',
        issuedAt: '2026-04-01T10:00:00.000Z',
        verifyUrl: 'https://lavoro.regione.example/badge/B123-4567-89AB',
        revoked: false,
      },
    ],
    employment: [{ startedOn: '2026-05-01', source: 'national_system' }],
  };
}

test('an exported dossier validates against the zod schema and against the published JSON Schema', () => {
  const example = exampleDossier();
  assert.equal(checkDossier(example).ok, true);
  const schema = dossierJsonSchema();
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.$id, DOSSIER_SCHEMA_ID);
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const validate = ajv.compile(schema);
  assert.equal(validate(example), true, JSON.stringify(validate.errors));
  // The JSON Schema refuses what the import refuses.
  const long = { ...example, person: { ...example.person, givenName: 'M'.repeat(101) } };
  assert.equal(validate(long), false);
  assert.equal(validate({ ...example, extra: 1 }), false);
  assert.equal(validate({ ...example, version: 2 }), false);
});

test('problems name the field and what is wrong', () => {
  const example = exampleDossier();
  const long = checkDossier({ ...example, person: { ...example.person, familyName: 'F'.repeat(101) } });
  assert.deepEqual(long.ok ? [] : long.problems, [{ path: 'person.familyName', code: 'too_long' }]);
  const extra = checkDossier({ ...example, secret: 'x' });
  assert.equal(extra.ok ? '' : extra.problems[0]?.code, 'unknown_field');
  const control = checkDossier({ ...example, person: { ...example.person, givenName: 'Ma\u0007rta' } });
  assert.equal(control.ok ? '' : control.problems[0]?.path, 'person.givenName');
  const notEsco = checkDossier({
    ...example,
    skills: [{ uri: 'https://evil.example/skill/1', label: 'x', selfLevel: null, validatedLevel: null }],
  });
  assert.equal(notEsco.ok, false);
  assert.equal(checkDossier('not an object').ok, false);
});

test('codes are mapped: support level and tier, EQF, ISO 639 languages, ESCO URIs', () => {
  assert.equal(supportLevelOfTier(1), 'low');
  assert.equal(supportLevelOfTier(3), 'high');
  assert.equal(supportLevelOfTier(7), null);
  for (const t of [1, 2, 3] as const) assert.equal(tierOfSupportLevel(supportLevelOfTier(t)!), t);
  assert.equal(mapLanguageCode('fra'), 'fr');
  assert.equal(mapLanguageCode('EN'), 'en');
  assert.equal(mapLanguageCode('ja'), null);
  const mapped = mapDossier(exampleDossier(), new Set(['http://data.europa.eu/esco/skill/known-1']));
  assert.equal(mapped.tier, 2);
  assert.equal(mapped.eqf, 6);
  assert.deepEqual(mapped.languages, [
    { code: 'en', level: 'B2' },
    { code: 'fr', level: 'A2' },
  ]);
  assert.deepEqual(mapped.unmappedLanguages, ['ja']);
  assert.deepEqual(mapped.knownSkills, ['http://data.europa.eu/esco/skill/known-1']);
  assert.deepEqual(mapped.unknownSkills, ['http://data.europa.eu/esco/skill/other-2']);
  assert.deepEqual(
    mergeLanguages(
      [{ code: 'en', level: 'C1' }],
      [
        { code: 'en', level: 'B2' },
        { code: 'fr', level: 'A2' },
      ],
    ),
    [
      { code: 'en', level: 'C1' },
      { code: 'fr', level: 'A2' },
    ],
  );
});

test('the trusted issuers list is parsed strictly', () => {
  const list = parseTrustedIssuers(
    '10=http://127.0.0.1:4001/.well-known/sportello/jwks.json, 20=https://b.example/k.json',
  );
  assert.equal(list.get('10'), 'http://127.0.0.1:4001/.well-known/sportello/jwks.json');
  assert.equal(list.size, 2);
  assert.equal(parseTrustedIssuers('').size, 0);
  assert.throws(() => parseTrustedIssuers('umbria=https://x.example'), PortabilityConfigError);
  assert.throws(() => parseTrustedIssuers('10=ftp://x.example'), PortabilityConfigError);
  assert.throws(() => parseTrustedIssuers('10'), PortabilityConfigError);
});

test('the readable copy has every section, in Italian and English', () => {
  for (const lang of ['it', 'en'] as const) {
    const content = readableDossier(exampleDossier(), translator(lang), lang);
    const headings = content.blocks.filter((b) => b.type === 'h2').length;
    assert.ok(headings >= 10, `${lang}: ${headings} sections`);
    assert.ok(JSON.stringify(content).includes('Ferri'));
    assert.ok(!JSON.stringify(content).includes('portability.'), `${lang}: every label translated`);
  }
});
