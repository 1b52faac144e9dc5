import { sql } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import { ageOn } from '../../identity/domain/codice-fiscale.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { compiledOnce, withDates } from '../../platform/db/compiled.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Channel, JourneyPhase } from '../../platform/db/schema.ts';
import policyData from '../data/tier-policy.json' with { type: 'json' };
import { type AttitudeAnswers, isCompleteAnswerSet, scoreAttitude } from '../domain/attitude.ts';
import {
  type Benefit,
  type DigitalLevel,
  encode,
  type IscoMajorGroup,
  type Profile,
  score,
  topReasons,
} from '../domain/profiling-model.ts';
import { channelPlan, decideTier, type TierPolicy } from '../domain/tiers.ts';
import { latestResult } from './digital-check.ts';
import { defaultProfilingModel, type ProfilingOutcomeSource } from './fit-profiling-model.ts';
import type { OnboardingDeps, ProfileRow } from './profile.ts';

export const TIER_POLICY = policyData as unknown as TierPolicy;
const RATES = policyData.provinceUnemploymentRates;

type Person = { regionCode: string; userId: string };

const monthsBetween = (from: Date, to: Date) =>
  Math.max(0, (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth()));

/** The model's inputs from the profile. Gender and citizenship are never read. */
export function profileFeatures(
  row: ProfileRow,
  birthDate: Date | null,
  province: string | null,
  digitalLevel: DigitalLevel,
  today = new Date(),
): Profile {
  const tenYearsAgo = new Date(Date.UTC(today.getUTCFullYear() - 10, today.getUTCMonth(), 1));
  let monthsWorked = 0;
  for (const w of row.work_history) {
    const from = new Date(`${w.from}-01T00:00:00Z`);
    const to = w.to ? new Date(`${w.to}-01T00:00:00Z`) : today;
    monthsWorked += monthsBetween(from < tenYearsAgo ? tenYearsAgo : from, to) + (w.to ? 1 : 0);
  }
  const latest = [...row.work_history].sort((a, b) => ((a.to ?? '9999') < (b.to ?? '9999') ? 1 : -1))[0];
  const benefit: Benefit =
    (['naspi', 'adi_sfl', 'other'] as const).find((b) => row.benefits.includes(b)) ?? 'none';
  const rates: Record<string, number> = RATES.rates;
  return {
    age: birthDate ? ageOn(birthDate.toISOString().slice(0, 10), today) : 35,
    eqfLevel: row.education_eqf ?? 0,
    unemploymentMonths: row.unemployed_since ? monthsBetween(row.unemployed_since, today) : 0,
    workHistory: { kind: 'years', yearsInLast10: Math.min(10, monthsWorked / 12) },
    lastOccupation: latest ? (Number(latest.iscoGroup) as IscoMajorGroup) : null,
    provinceUnemploymentRate: (province && rates[province]) || RATES.default,
    benefit,
    languagesB1: row.languages.filter((l) => ['B1', 'B2', 'C1', 'C2'].includes(l.level)).length,
    digitalLevel,
  };
}

export async function saveAttitude(deps: OnboardingDeps, user: SessionUser, answers: AttitudeAnswers) {
  if (!isCompleteAnswerSet(answers)) return false;
  const scored = scoreAttitude(answers);
  await deps.db
    .insertInto('attitude_responses')
    .values({
      region_code: user.regionCode,
      user_id: user.id,
      answers: JSON.stringify(answers),
      score: scored.score,
      dimensions: JSON.stringify(scored.dimensions),
    })
    .execute();
  return true;
}

export type ProfilingStatus = {
  profileDone: boolean;
  digitalDone: boolean;
  attitudeDone: boolean;
};

/** Score the person with the model and store a new tier assignment (source: model). */
export async function assignTier(
  deps: OnboardingDeps,
  person: Person,
): Promise<ProfilingStatus & { assigned: boolean }> {
  const { db } = deps;
  const profile = await db
    .selectFrom('citizen_profiles')
    .selectAll()
    .where('region_code', '=', person.regionCode)
    .where('user_id', '=', person.userId)
    .executeTakeFirst();
  const digital = await latestResult({ db, audit: deps.audit }, person);
  const attitude = await db
    .selectFrom('attitude_responses')
    .select('score')
    .where('region_code', '=', person.regionCode)
    .where('user_id', '=', person.userId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const status = {
    profileDone: Boolean(profile?.completed_at),
    digitalDone: Boolean(digital),
    attitudeDone: Boolean(attitude),
  };
  if (!profile?.completed_at || !digital) return { ...status, assigned: false };
  const user = await db
    .selectFrom('users')
    .select('birth_date')
    .where('region_code', '=', person.regionCode)
    .where('id', '=', person.userId)
    .executeTakeFirstOrThrow();
  const place = profile.domicile_code
    ? await db
        .selectFrom('municipalities')
        .select('province')
        .where('istat_code', '=', profile.domicile_code)
        .executeTakeFirst()
    : undefined;
  const features = profileFeatures(profile, user.birth_date, place?.province ?? null, digital.overall);
  const model = defaultProfilingModel();
  const x = encode(features);
  const risk = score(model, x);
  const decision = decideTier(
    { risk, digitalLevel: digital.overall, attitude: attitude?.score ?? null },
    TIER_POLICY,
  );
  const reasons: string[] = [...topReasons(model, x, 3)];
  if (decision.because.includes('no_digital_skills') && !reasons.includes('low_digital'))
    reasons.unshift('low_digital');
  await db
    .insertInto('tier_assignments')
    .values({
      region_code: person.regionCode,
      user_id: person.userId,
      tier: decision.tier,
      risk,
      reasons: reasons.slice(0, 3),
      digital_level: digital.overall,
      attitude_score: attitude?.score ?? null,
      source: 'model',
      features: JSON.stringify(features),
    })
    .execute();
  return { ...status, assigned: true };
}

export async function currentTier(deps: OnboardingDeps, person: Person) {
  const [row] = await currentTierQuery(deps.db, { regionCode: person.regionCode, userId: person.userId });
  return row;
}
const tierRows = (db: Db, person: { regionCode: string; userId: string }) =>
  db
    .selectFrom('tier_assignments as t')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 't.actor_id'))
    .select([
      't.tier',
      't.risk',
      't.reasons',
      't.source',
      't.override_reason',
      't.created_at',
      'u.given_name',
      'u.family_name',
    ])
    .where('t.region_code', '=', person.regionCode)
    .where('t.user_id', '=', person.userId)
    .orderBy('t.created_at', 'desc')
    .limit(1);
const currentTierQuery = compiledOnce(tierRows);

type Tier = NonNullable<Awaited<ReturnType<typeof currentTier>>>;
type Progress = { profile: boolean; did: boolean; digital: boolean; attitude: boolean };

/**
 * The home page's facts in one query: the person's current tier and which first steps are done.
 * The home page is the most visited signed-in page; one round trip instead of two is a measurable
 * part of its cost (issue 10).
 */
export async function journeyOverview(
  deps: OnboardingDeps,
  person: Person,
): Promise<{ tier: Tier | undefined; done: Progress }> {
  const [row] = await overviewQuery(deps.db, { regionCode: person.regionCode, userId: person.userId });
  const done = {
    profile: row?.profile === true,
    did: row?.did === true,
    digital: row?.digital === true,
    attitude: row?.attitude === true,
  };
  // The tier comes back as a JSON object: its time as text.
  const tier = row?.tier ? withDates(row.tier, ['created_at']) : undefined;
  return { tier, done };
}
const overviewQuery = compiledOnce((db, v: { regionCode: string; userId: string }) =>
  db.selectNoFrom([
    jsonObjectFrom(tierRows(db, v)).as('tier'),
    sql<boolean>`exists (select 1 from citizen_profiles where region_code = ${v.regionCode}
                  and user_id = ${v.userId} and completed_at is not null)`.as('profile'),
    sql<boolean>`exists (select 1 from did_declarations where region_code = ${v.regionCode}
                  and user_id = ${v.userId} and status <> 'withdrawn')`.as('did'),
    sql<boolean>`exists (select 1 from digital_check_attempts where region_code = ${v.regionCode}
                  and user_id = ${v.userId} and finished_at is not null)`.as('digital'),
    sql<boolean>`exists (select 1 from attitude_responses where region_code = ${v.regionCode}
                  and user_id = ${v.userId})`.as('attitude'),
  ]),
);

export async function personChannelPlan(deps: OnboardingDeps, person: Person, tier: 1 | 2 | 3) {
  const choices = await channelChoicesQuery(deps.db, {
    regionCode: person.regionCode,
    userId: person.userId,
  });
  return channelPlan(tier, TIER_POLICY, choices);
}
const channelChoicesQuery = compiledOnce((db, person: { regionCode: string; userId: string }) =>
  db
    .selectFrom('channel_choices')
    .select(['phase', 'channel', 'source', 'created_at'])
    .where('region_code', '=', person.regionCode)
    .where('user_id', '=', person.userId)
    .orderBy('created_at', 'desc'),
);

/** The person's own choice for a phase: recorded, and it wins over the suggestion. */
export async function chooseChannel(
  deps: OnboardingDeps,
  user: SessionUser,
  phase: JourneyPhase,
  channel: Channel,
) {
  await deps.db
    .insertInto('channel_choices')
    .values({ region_code: user.regionCode, user_id: user.id, phase, channel, source: 'person' })
    .execute();
}

/** An operator changes the tier, only with a written reason; audited, and shown to the person. */
export async function overrideTier(
  deps: OnboardingDeps,
  operator: SessionUser,
  personId: string,
  tier: 1 | 2 | 3,
  reason: string,
) {
  const person = await deps.db
    .selectFrom('users')
    .select(['id'])
    .where('region_code', '=', operator.regionCode)
    .where('id', '=', personId)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  if (!person) return false;
  await deps.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('tier_assignments')
      .select(['risk', 'reasons', 'digital_level', 'attitude_score'])
      .where('region_code', '=', operator.regionCode)
      .where('user_id', '=', personId)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    await trx
      .insertInto('tier_assignments')
      .values({
        region_code: operator.regionCode,
        user_id: personId,
        tier,
        risk: last?.risk ?? null,
        reasons: last?.reasons ?? [],
        digital_level: last?.digital_level ?? null,
        attitude_score: last?.attitude_score ?? null,
        source: 'override',
        override_reason: reason,
        actor_id: operator.id,
      })
      .execute();
    await deps.audit.record(
      {
        regionCode: operator.regionCode,
        action: 'tier.override',
        outcome: 'ok',
        actor: {
          id: operator.id,
          role: operator.role,
          regionCode: operator.regionCode,
          officeId: operator.officeId,
          agencyId: operator.agencyId,
        },
        subjectId: personId,
        purpose: 'taking_charge',
        objectType: 'tier',
        details: { tier, reason },
      },
      trx,
    );
  });
  return true;
}

/**
 * The platform's own outcomes for `sportello profiling fit`: each person's first model assignment
 * made at least 12 months ago, labelled by whether work was found within 12 months.
 */
export function outcomesFromDatabase(
  deps: Pick<OnboardingDeps, 'db'>,
  today = new Date(),
): ProfilingOutcomeSource {
  return {
    async *rows() {
      const cutoff = new Date(today.getTime() - 365 * 86_400_000);
      let after = '';
      for (;;) {
        const batch = await deps.db
          .selectFrom('tier_assignments as t')
          .select(['t.region_code', 't.user_id', 't.created_at', 't.features', 't.id'])
          .where('t.source', '=', 'model')
          .where('t.features', 'is not', null)
          .where('t.created_at', '<=', cutoff)
          .where('t.id', '>', after || '00000000-0000-0000-0000-000000000000')
          .orderBy('t.id')
          .limit(5000)
          .execute();
        if (batch.length === 0) return;
        for (const row of batch) {
          const found = await deps.db
            .selectFrom('employment_outcomes')
            .select('id')
            .where('region_code', '=', row.region_code)
            .where('user_id', '=', row.user_id)
            .where('started_on', '>=', row.created_at)
            .where('started_on', '<=', new Date(row.created_at.getTime() + 365 * 86_400_000))
            .executeTakeFirst();
          yield { features: row.features as unknown as Profile, placedWithin12Months: Boolean(found) };
        }
        after = batch.at(-1)?.id ?? after;
      }
    },
  };
}
