import { ageOn } from '../../identity/domain/codice-fiscale.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Tx } from '../../platform/db/database.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { type Lang, translator } from '../../platform/i18n/i18n.ts';
import { newVerificationCode, renderTaggedPdf } from '../adapters/pdf-documents.ts';
import { didAgeRule } from '../domain/profile-steps.ts';
import { loadProfile, type OnboardingDeps } from './profile.ts';

export type DidResult =
  | { ok: true; code: string }
  | { ok: false; reason: 'under_16' | 'already_declared' | 'profile_incomplete' | 'no_birth_date' };

async function personOf(trx: Tx, user: SessionUser) {
  return trx
    .selectFrom('users')
    .select(['given_name', 'family_name', 'fiscal_code', 'birth_date'])
    .where('region_code', '=', user.regionCode)
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
}

/**
 * The declaration of immediate availability: timestamped, with a tagged PDF receipt that carries a
 * verification code, and the event for the national system written in the same transaction.
 */
export async function declareDid(deps: OnboardingDeps, user: SessionUser, lang: Lang): Promise<DidResult> {
  const { db, audit, config } = deps;
  return db.transaction().execute(async (trx) => {
    const person = await personOf(trx, user);
    if (!person.birth_date) return { ok: false, reason: 'no_birth_date' } as const;
    const age = ageOn(person.birth_date.toISOString().slice(0, 10), new Date());
    const rule = didAgeRule(age);
    if (rule === 'refused') return { ok: false, reason: 'under_16' } as const;
    const profile = await loadProfile(trx, user);
    if (!profile.completed_at) return { ok: false, reason: 'profile_incomplete' } as const;
    const inForce = await trx
      .selectFrom('did_declarations')
      .select('id')
      .where('region_code', '=', user.regionCode)
      .where('user_id', '=', user.id)
      .where('status', '!=', 'withdrawn')
      .executeTakeFirst();
    if (inForce) return { ok: false, reason: 'already_declared' } as const;

    const code = newVerificationCode();
    const declaredAt = new Date();
    const did = await trx
      .insertInto('did_declarations')
      .values({
        region_code: user.regionCode,
        user_id: user.id,
        status: 'active',
        declared_at: declaredAt,
        verification_code: code,
        minor_flag: rule === 'minor',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('did_events')
      .values({
        region_code: user.regionCode,
        did_id: did.id,
        user_id: user.id,
        event: 'declared',
        actor_id: user.id,
      })
      .execute();

    // The receipt's embedded font has no Arabic script: Arabic-speaking people get it in Italian,
    // the language of the record, while the pages around it are in Arabic.
    const receiptLang: Lang = lang === 'ar' ? 'it' : lang;
    const t = translator(receiptLang);
    const when = dateTimeFormat(receiptLang, {
      dateStyle: 'long',
      timeStyle: 'medium',
      timeZone: 'Europe/Rome',
    }).format(declaredAt);
    const url = `${config.publicUrl}/verifica/${code}`;
    const { pdf, sha256 } = await renderTaggedPdf({
      lang: receiptLang,
      title: t('did.receipt.title'),
      issuer: t('did.receipt.issuer'),
      sections: [
        {
          heading: t('did.receipt.personHeading'),
          paragraphs: [
            `${t('did.receipt.name')}: ${person.given_name} ${person.family_name}`,
            `${t('did.receipt.fiscalCode')}: ${person.fiscal_code ?? '—'}`,
          ],
        },
        {
          heading: t('did.receipt.declarationHeading'),
          paragraphs: [t('did.receipt.declaration'), `${t('did.receipt.when')}: ${when}`],
        },
      ],
      verification: {
        code,
        url,
        label: t('did.receipt.verifyHeading'),
        qrAlt: t('did.receipt.qrAlt', { url }),
      },
    });
    await trx
      .insertInto('issued_documents')
      .values({
        verification_code: code,
        region_code: user.regionCode,
        user_id: user.id,
        kind: 'did_receipt',
        title: t('did.receipt.title'),
        sha256,
        pdf,
      })
      .execute();
    await trx
      .insertInto('national_outbox')
      .values({
        region_code: user.regionCode,
        idempotency_key: `did:${did.id}:declared`,
        kind: 'did.declared',
        payload: JSON.stringify({
          didId: did.id,
          fiscalCode: person.fiscal_code,
          declaredAt: declaredAt.toISOString(),
          minor: rule === 'minor',
        }),
      })
      .execute();
    await audit.record(
      {
        regionCode: user.regionCode,
        action: 'did.declared',
        outcome: 'ok',
        actor: {
          id: user.id,
          role: user.role,
          regionCode: user.regionCode,
          officeId: user.officeId,
          agencyId: user.agencyId,
        },
        subjectId: user.id,
        objectType: 'did',
        objectId: did.id,
      },
      trx,
    );
    return { ok: true, code } as const;
  });
}

/** Suspend, resume or withdraw; every change is an event, the history stays. */
export async function changeDid(
  deps: OnboardingDeps,
  user: SessionUser,
  change: 'suspended' | 'resumed' | 'withdrawn',
  reason: string,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const did = await trx
      .selectFrom('did_declarations')
      .select(['id', 'status'])
      .where('region_code', '=', user.regionCode)
      .where('user_id', '=', user.id)
      .where('status', '!=', 'withdrawn')
      .forUpdate()
      .executeTakeFirst();
    if (!did) return false;
    const allowed =
      (change === 'suspended' && did.status === 'active') ||
      (change === 'resumed' && did.status === 'suspended') ||
      change === 'withdrawn';
    if (!allowed) return false;
    const status = change === 'resumed' ? 'active' : change;
    await trx
      .updateTable('did_declarations')
      .set({ status })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', did.id)
      .execute();
    await trx
      .insertInto('did_events')
      .values({
        region_code: user.regionCode,
        did_id: did.id,
        user_id: user.id,
        event: change,
        reason,
        actor_id: user.id,
      })
      .execute();
    await trx
      .insertInto('national_outbox')
      .values({
        region_code: user.regionCode,
        idempotency_key: `did:${did.id}:${change}:${Date.now()}`,
        kind: `did.${change}`,
        payload: JSON.stringify({ didId: did.id, reason }),
      })
      .execute();
    return true;
  });
}

export async function didHistory(deps: OnboardingDeps, user: SessionUser) {
  const current = await deps.db
    .selectFrom('did_declarations')
    .select(['id', 'status', 'declared_at', 'verification_code', 'minor_flag'])
    .where('region_code', '=', user.regionCode)
    .where('user_id', '=', user.id)
    .orderBy('declared_at', 'desc')
    .execute();
  const events = await deps.db
    .selectFrom('did_events')
    .select(['event', 'reason', 'at', 'did_id'])
    .where('region_code', '=', user.regionCode)
    .where('user_id', '=', user.id)
    .orderBy('at', 'desc')
    .execute();
  return { current: current.find((d) => d.status !== 'withdrawn') ?? null, all: current, events };
}

/** Public check of an issued document: only what the code proves, no personal data. */
export async function verifyDocument(deps: OnboardingDeps, code: string) {
  if (!/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/.test(code)) return null;
  return deps.db
    .selectFrom('issued_documents')
    .select(['kind', 'title', 'issued_at', 'revoked_at', 'sha256'])
    .where('verification_code', '=', code)
    .executeTakeFirst();
}

export async function receiptPdf(deps: OnboardingDeps, user: SessionUser, code: string) {
  return deps.db
    .selectFrom('issued_documents')
    .select(['pdf', 'title'])
    .where('verification_code', '=', code)
    .where('region_code', '=', user.regionCode)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
}
