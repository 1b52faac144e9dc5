import type { Db } from '../../platform/db/database.ts';
import { linkState, type Problem, type ServiceKind } from '../domain/survey.ts';
import { TOKEN, tokenHash } from './invitations.ts';

export type Survey = {
  regionCode: string;
  id: string;
  service_kind: ServiceKind;
  detail: string | null;
  delivered_at: Date;
  expires_at: Date;
  answered_at: Date | null;
};

export type SurveyLookup =
  | { ok: true; survey: Survey }
  | { ok: false; reason: 'unknown' | 'answered' | 'expired' };

const COLUMNS = [
  'region_code',
  'id',
  'service_kind',
  'detail',
  'delivered_at',
  'expires_at',
  'answered_at',
] as const;

const asSurvey = (row: {
  region_code: string;
  id: string;
  service_kind: ServiceKind;
  detail: string | null;
  delivered_at: Date;
  expires_at: Date;
  answered_at: Date | null;
}): Survey => ({ ...row, regionCode: row.region_code });

function judge(survey: Survey | null, now: Date): SurveyLookup {
  if (!survey) return { ok: false, reason: 'unknown' };
  const state = linkState(survey, now);
  if (state !== 'open') return { ok: false, reason: state };
  return { ok: true, survey };
}

/** The survey behind a link from an e-mail or SMS (no sign-in: the token is the key). */
export async function surveyByToken(db: Db, token: string, now: Date): Promise<SurveyLookup> {
  if (!TOKEN.test(token)) return { ok: false, reason: 'unknown' };
  const row = await db
    .selectFrom('satisfaction_invitations')
    .select(COLUMNS)
    .where('token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  return judge(row ? asSurvey(row) : null, now);
}

/** One of the signed-in person's own surveys (another's, or another Region's, is unknown). */
export async function surveyOfRespondent(
  db: Db,
  respondent: { regionCode: string; id: string },
  invitationId: string,
  now: Date,
): Promise<SurveyLookup> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(invitationId))
    return { ok: false, reason: 'unknown' };
  const row = await db
    .selectFrom('satisfaction_invitations')
    .select(COLUMNS)
    .where('region_code', '=', respondent.regionCode)
    .where('respondent_id', '=', respondent.id)
    .where('id', '=', invitationId)
    .executeTakeFirst();
  return judge(row ? asSurvey(row) : null, now);
}

/** The signed-in person's surveys still open (not answered, not expired), newest first. */
export async function pendingSurveys(
  db: Db,
  respondent: { regionCode: string; id: string },
  now: Date,
): Promise<Survey[]> {
  const rows = await db
    .selectFrom('satisfaction_invitations')
    .select(COLUMNS)
    .where('region_code', '=', respondent.regionCode)
    .where('respondent_id', '=', respondent.id)
    .where('answered_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('invited_at', 'desc')
    .limit(50)
    .execute();
  return rows.map(asSurvey);
}

export type AnswerInput = { score: number; comment: string; problems: Problem[] };

/**
 * Store the answer once: the invitation is locked, checked (open, not answered, not expired),
 * the answer written and the invitation marked, in one transaction. A second answer is refused.
 */
export async function recordAnswer(
  db: Db,
  survey: { regionCode: string; id: string },
  input: AnswerInput,
  via: 'link' | 'page',
  now: Date,
): Promise<{ ok: true } | { ok: false; reason: 'unknown' | 'answered' | 'expired' }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('satisfaction_invitations')
      .select(['answered_at', 'expires_at'])
      .where('region_code', '=', survey.regionCode)
      .where('id', '=', survey.id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return { ok: false, reason: 'unknown' } as const;
    const state = linkState(row, now);
    if (state !== 'open') return { ok: false, reason: state } as const;
    const inserted = await trx
      .insertInto('satisfaction_answers')
      .values({
        region_code: survey.regionCode,
        invitation_id: survey.id,
        score: input.score,
        comment: input.comment === '' ? null : input.comment,
        problems: input.problems,
        via,
        answered_at: now,
      })
      .onConflict((oc) => oc.columns(['region_code', 'invitation_id']).doNothing())
      .returning('invitation_id')
      .executeTakeFirst();
    if (!inserted) return { ok: false, reason: 'answered' } as const;
    await trx
      .updateTable('satisfaction_invitations')
      .set({ answered_at: now })
      .where('region_code', '=', survey.regionCode)
      .where('id', '=', survey.id)
      .execute();
    return { ok: true } as const;
  });
}
