import { sql } from 'kysely';
import {
  codeMatches,
  hashCode,
  newSmsCode,
  normaliseCode,
  SMS_CODE_TTL_MS,
} from '../../identity/domain/second-factor.ts';
import type { AuditLog } from '../../platform/audit/audit.ts';
import { hit } from '../../platform/auth/rate-limit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Config } from '../../platform/config.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';
import { nextStep, type ProfileStep } from '../domain/profile-steps.ts';

export type OnboardingDeps = { db: Db; audit: AuditLog; notifier: Notifier; config: Config };

/** The person's profile row, created on first visit with what the system already knows. */
export async function loadProfile(db: Db | Tx, user: SessionUser) {
  await db
    .insertInto('citizen_profiles')
    .values({ region_code: user.regionCode, user_id: user.id, email: user.email })
    .onConflict((oc) => oc.columns(['region_code', 'user_id']).doNothing())
    .execute();
  return db
    .selectFrom('citizen_profiles')
    .selectAll()
    .where('region_code', '=', user.regionCode)
    .where('user_id', '=', user.id)
    .executeTakeFirstOrThrow();
}

export type ProfileRow = Awaited<ReturnType<typeof loadProfile>>;

export type ProfilePatch = {
  email?: string;
  mobile?: string;
  domicile_code?: string;
  education_eqf?: number;
  education_title?: string;
  work_history?: string;
  unemployed_since?: string | null;
  benefits?: string[];
  languages?: string;
  driving_licences?: string[];
  availability?: string;
};

/** Save one step and move the bookmark on, so the person resumes where they stopped. */
export async function saveStep(
  db: Db,
  user: SessionUser,
  step: ProfileStep,
  patch: ProfilePatch,
  advance = true,
) {
  const profile = await loadProfile(db, user);
  await db
    .updateTable('citizen_profiles')
    .set({ ...patch, ...(advance ? { current_step: nextStep(step) } : {}), updated_at: new Date() })
    .where('region_code', '=', profile.region_code)
    .where('user_id', '=', profile.user_id)
    .execute();
}

/** Send a code to the e-mail or mobile to check it really is the person's. */
export async function sendVerificationCodes(
  deps: OnboardingDeps,
  user: SessionUser,
): Promise<'sent' | 'rate_limited'> {
  const { db, notifier, config } = deps;
  if (!(await hit(db, `verify:${user.id}`, 6, 900))) return 'rate_limited';
  const profile = await loadProfile(db, user);
  await db.transaction().execute(async (trx) => {
    for (const [purpose, to, verified] of [
      ['verify_email', profile.email, profile.email_verified_at],
      ['verify_phone', profile.mobile, profile.mobile_verified_at],
    ] as const) {
      if (!to || verified) continue;
      const code = newSmsCode();
      const row = await trx
        .insertInto('one_time_codes')
        .values({
          region_code: user.regionCode,
          user_id: user.id,
          purpose,
          code_hash: hashCode(config.sessionSecret, code),
          expires_at: new Date(Date.now() + SMS_CODE_TTL_MS),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const text = `Sportello Lavoro: il codice per confermare il tuo ${purpose === 'verify_email' ? 'indirizzo e-mail' : 'numero di cellulare'} è ${code}. Vale 10 minuti. / Your confirmation code is ${code}.`;
      if (purpose === 'verify_email') {
        await notifier.email(trx, {
          key: `verify:${row.id}`,
          to,
          subject: 'Sportello Lavoro: conferma il tuo indirizzo e-mail',
          text,
        });
      } else {
        await notifier.sms(trx, { key: `verify:${row.id}`, to, text });
      }
    }
  });
  return 'sent';
}

/** Check a code for one channel; true when it matched (and it cannot be used again). */
export async function confirmContact(
  deps: OnboardingDeps,
  user: SessionUser,
  purpose: 'verify_email' | 'verify_phone',
  input: string,
): Promise<boolean> {
  const { db, config } = deps;
  const code = normaliseCode(input);
  if (!/^[0-9]{6}$/.test(code)) return false;
  const candidates = await db
    .selectFrom('one_time_codes')
    .select(['id', 'code_hash'])
    .where('region_code', '=', user.regionCode)
    .where('user_id', '=', user.id)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .execute();
  const match = candidates.find((c) => codeMatches(config.sessionSecret, code, c.code_hash));
  if (!match) return false;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('one_time_codes')
      .set({ used_at: new Date() })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', match.id)
      .execute();
    const column = purpose === 'verify_email' ? 'email_verified_at' : 'mobile_verified_at';
    await trx
      .updateTable('citizen_profiles')
      .set({ [column]: sql`now()` })
      .where('region_code', '=', user.regionCode)
      .where('user_id', '=', user.id)
      .execute();
  });
  return true;
}

export async function searchMunicipalities(db: Db, query: string) {
  const q = query
    .trim()
    .replace(/[%_\\]/g, '')
    .slice(0, 60);
  if (q.length < 2) return [];
  return db
    .selectFrom('municipalities')
    .select(['istat_code', 'name', 'province'])
    .where((eb) => eb(eb.fn('lower', ['name']), 'like', `${q.toLowerCase()}%`))
    .orderBy('name')
    .limit(20)
    .execute();
}
