import { type SqlBool, sql } from 'kysely';
import type { AuditLog } from '../../platform/audit/audit.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import type { CourseMode, FundingCode } from '../adapters/training-tables.ts';
import type { CourseInput } from '../domain/course-input.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const PAGE_SIZE = 20;

/** Today's date in Rome, 'YYYY-MM-DD'. */
export function todayInRome(now = new Date()): string {
  return dateTimeFormat('en-CA', {
    timeZone: 'Europe/Rome',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** LIKE pattern for a typed text: lower-cased, wildcards escaped, at most 100 characters. */
export function likePattern(text: string): string {
  return `%${text
    .toLowerCase()
    .slice(0, 100)
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type Operator = Pick<SessionUser, 'id' | 'regionCode' | 'role' | 'agencyId' | 'officeId'>;

/** Operators who manage courses: every cpi_operator of the Region; an apl_operator for the providers linked to their agency. */
export function isCourseManager(user: Pick<SessionUser, 'role'>): boolean {
  return user.role === 'cpi_operator' || user.role === 'apl_operator';
}

/** The providers an operator manages (a condition on `training_providers as p`). */
function providerScope(op: Operator) {
  return op.role === 'cpi_operator'
    ? sql<SqlBool>`true`
    : sql<SqlBool>`p.agency_id = ${op.agencyId ?? '00000000-0000-0000-0000-000000000000'}::uuid`;
}

export async function manageableProviders(db: Db | Tx, op: Operator) {
  if (!isCourseManager(op)) return [];
  return db
    .selectFrom('training_providers as p')
    .select(['p.id', 'p.name', 'p.vat_number', 'p.accreditation_code', 'p.agency_id'])
    .where('p.region_code', '=', op.regionCode)
    .where(providerScope(op))
    .orderBy('p.name')
    .execute();
}

export async function agenciesOf(db: Db, regionCode: string) {
  return db
    .selectFrom('agencies')
    .select(['id', 'name'])
    .where('region_code', '=', regionCode)
    .orderBy('name')
    .execute();
}

export async function createProvider(
  deps: { db: Db; audit: AuditLog },
  op: Operator,
  input: { name: string; vatNumber: string; accreditationCode: string | null; agencyId: string | null },
): Promise<'ok' | 'duplicate' | 'forbidden' | 'unknown_agency'> {
  if (op.role !== 'cpi_operator') return 'forbidden';
  return deps.db.transaction().execute(async (trx) => {
    if (input.agencyId) {
      const agency = await trx
        .selectFrom('agencies')
        .select('id')
        .where('region_code', '=', op.regionCode)
        .where('id', '=', input.agencyId)
        .executeTakeFirst();
      if (!agency) return 'unknown_agency';
    }
    const row = await trx
      .insertInto('training_providers')
      .values({
        region_code: op.regionCode,
        name: input.name,
        vat_number: input.vatNumber,
        accreditation_code: input.accreditationCode,
        agency_id: input.agencyId,
      })
      .onConflict((oc) => oc.columns(['region_code', 'vat_number']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return 'duplicate';
    await deps.audit.record(
      {
        regionCode: op.regionCode,
        action: 'training.provider_created',
        outcome: 'ok',
        actor: actorOf(op as SessionUser),
        objectType: 'training_provider',
        objectId: row.id,
        details: { vat: input.vatNumber },
      },
      trx,
    );
    return 'ok';
  });
}

export async function municipalitiesOf(db: Db, regionCode: string) {
  return db
    .selectFrom('municipalities')
    .select(['istat_code', 'name', 'latitude', 'longitude'])
    .where('region_code', '=', regionCode)
    .orderBy('name')
    .execute();
}

/** ESCO skills whose labels contain the text (pg_trgm index on search_text). */
export async function searchSkills(db: Db, text: string, lang: string, limit = 15) {
  const q = text.trim();
  if (q.length < 2) return [];
  const rows = await db
    .selectFrom('esco_skills')
    .select(['uri', 'label_it', 'label_en'])
    .where('search_text', 'like', likePattern(q))
    .orderBy(sql`length(coalesce(label_it, label_en))`)
    .orderBy('uri')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ uri: r.uri, label: skillLabel(lang, r.label_it, r.label_en, r.uri) }));
}

export function skillLabel(lang: string, it: string | null, en: string | null, uri: string): string {
  return (lang === 'en' ? (en ?? it) : (it ?? en)) ?? uri;
}

export async function skillsByUri(db: Db | Tx, uris: readonly string[], lang: string) {
  if (uris.length === 0) return [];
  const rows = await db
    .selectFrom('esco_skills')
    .select(['uri', 'label_it', 'label_en'])
    .where('uri', 'in', [...uris])
    .execute();
  return rows.map((r) => ({ uri: r.uri, label: skillLabel(lang, r.label_it, r.label_en, r.uri) }));
}

function searchTextOf(input: CourseInput, providerName: string): string {
  return `${input.title} ${providerName} ${input.description}`.toLowerCase().slice(0, 5000);
}

export type SaveResult =
  | { ok: true; id: string }
  | {
      ok: false;
      reason:
        | 'not_found'
        | 'unknown_provider'
        | 'unknown_municipality'
        | 'unknown_skill'
        | 'seats_below_taken';
    };

/** Create (no id) or change a course the operator manages, with its skills, in one transaction. */
export async function saveCourse(
  deps: { db: Db; audit: AuditLog },
  op: Operator,
  courseId: string | null,
  providerId: string,
  input: CourseInput,
  skillUris: readonly string[],
  trxIn?: Tx,
): Promise<SaveResult> {
  const run = async (trx: Tx): Promise<SaveResult> => {
    if (!isCourseManager(op)) return { ok: false, reason: 'not_found' };
    if (!UUID.test(providerId)) return { ok: false, reason: 'unknown_provider' };
    const provider = await trx
      .selectFrom('training_providers as p')
      .select(['p.id', 'p.name'])
      .where('p.region_code', '=', op.regionCode)
      .where('p.id', '=', providerId)
      .where(providerScope(op))
      .executeTakeFirst();
    if (!provider) return { ok: false, reason: 'unknown_provider' };
    if (input.municipalityCode) {
      const m = await trx
        .selectFrom('municipalities')
        .select('istat_code')
        .where('istat_code', '=', input.municipalityCode)
        .where('region_code', '=', op.regionCode)
        .executeTakeFirst();
      if (!m) return { ok: false, reason: 'unknown_municipality' };
    }
    const uris = [...new Set(skillUris)];
    if (uris.length > 0) {
      const found = await trx.selectFrom('esco_skills').select('uri').where('uri', 'in', uris).execute();
      if (found.length !== uris.length) return { ok: false, reason: 'unknown_skill' };
    }
    const values = {
      provider_id: provider.id,
      title: input.title,
      description: input.description,
      eqf_level: input.eqfLevel,
      mode: input.mode,
      municipality_code: input.municipalityCode,
      address: input.address,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      hours: input.hours,
      seats: input.seats,
      cost_eur: input.costEur,
      funding: input.funding,
      search_text: searchTextOf(input, provider.name),
    };
    let id: string;
    if (courseId === null) {
      const row = await trx
        .insertInto('courses')
        .values({ region_code: op.regionCode, ...values, created_by: op.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    } else {
      if (!UUID.test(courseId)) return { ok: false, reason: 'not_found' };
      const current = await managedCourse(trx, op, courseId);
      if (!current) return { ok: false, reason: 'not_found' };
      const current2 = await trx
        .selectFrom('courses')
        .select('seats_taken')
        .where('region_code', '=', op.regionCode)
        .where('id', '=', courseId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (input.seats < current2.seats_taken) return { ok: false, reason: 'seats_below_taken' };
      await trx
        .updateTable('courses')
        .set({ ...values, updated_at: new Date() })
        .where('region_code', '=', op.regionCode)
        .where('id', '=', courseId)
        .execute();
      await trx
        .deleteFrom('course_skills')
        .where('region_code', '=', op.regionCode)
        .where('course_id', '=', courseId)
        .execute();
      id = courseId;
    }
    if (uris.length > 0)
      await trx
        .insertInto('course_skills')
        .values(uris.map((u) => ({ region_code: op.regionCode, course_id: id, skill_uri: u })))
        .execute();
    await deps.audit.record(
      {
        regionCode: op.regionCode,
        action: courseId === null ? 'training.course_created' : 'training.course_changed',
        outcome: 'ok',
        actor: actorOf(op as SessionUser),
        objectType: 'course',
        objectId: id,
        details: { provider: provider.id, skills: uris.length },
      },
      trx,
    );
    return { ok: true, id };
  };
  if (trxIn) return run(trxIn);
  return deps.db.transaction().execute(run);
}

/** A course the operator manages (Region, and the agency's providers for an apl_operator), or undefined. */
export async function managedCourse(db: Db | Tx, op: Operator, courseId: string) {
  if (!isCourseManager(op) || !UUID.test(courseId)) return undefined;
  return db
    .selectFrom('courses as c')
    .innerJoin('training_providers as p', (j) =>
      j.onRef('p.region_code', '=', 'c.region_code').onRef('p.id', '=', 'c.provider_id'),
    )
    .selectAll('c')
    .select(['p.name as provider_name'])
    .where('c.region_code', '=', op.regionCode)
    .where('c.id', '=', courseId)
    .where(providerScope(op))
    .executeTakeFirst();
}

export async function courseSkills(db: Db | Tx, regionCode: string, courseId: string, lang: string) {
  const rows = await db
    .selectFrom('course_skills as cs')
    .innerJoin('esco_skills as s', 's.uri', 'cs.skill_uri')
    .select(['s.uri', 's.label_it', 's.label_en'])
    .where('cs.region_code', '=', regionCode)
    .where('cs.course_id', '=', courseId)
    .execute();
  return rows
    .map((r) => ({ uri: r.uri, label: skillLabel(lang, r.label_it, r.label_en, r.uri) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** The courses an operator manages, soonest first, with the enrolments waiting for a decision. */
export async function operatorCourses(db: Db, op: Operator, page: number) {
  if (!isCourseManager(op)) return [];
  return db
    .selectFrom('courses as c')
    .innerJoin('training_providers as p', (j) =>
      j.onRef('p.region_code', '=', 'c.region_code').onRef('p.id', '=', 'c.provider_id'),
    )
    .select((eb) => [
      'c.id',
      'c.title',
      'c.starts_on',
      'c.seats',
      'c.seats_taken',
      'c.mode',
      'p.name as provider_name',
      eb
        .selectFrom('course_enrolments as e')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('e.region_code', '=', 'c.region_code')
        .whereRef('e.course_id', '=', 'c.id')
        .where('e.status', '=', 'requested')
        .as('pending'),
    ])
    .where('c.region_code', '=', op.regionCode)
    .where(providerScope(op))
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.id')
    .limit(PAGE_SIZE + 1)
    .offset(page * PAGE_SIZE)
    .execute();
}

export type SearchFilters = {
  text?: string;
  skill?: string;
  mode?: CourseMode;
  freeOnly?: boolean;
  funding?: FundingCode;
  /** ISTAT code of the municipality the distance is measured from, with `km`. */
  near?: string;
  km?: number;
  /** 'YYYY-MM-DD': courses starting on or after. Defaults to today. */
  from: string;
  page: number;
};

const haversineSql = (lat: number, lon: number) =>
  sql<number>`(2 * 6371.0088 * asin(least(1, sqrt(
    power(sin(radians(m.latitude - ${lat}) / 2), 2) +
    cos(radians(${lat})) * cos(radians(m.latitude)) * power(sin(radians(m.longitude - ${lon}) / 2), 2)))))`;

/** Public search: text, skill, mode, free only, funding, within N km of a municipality, from a date; server-side pages of 20. */
export async function searchCourses(db: Db, regionCode: string, f: SearchFilters) {
  let origin: { latitude: number; longitude: number } | null = null;
  if (f.near && f.km !== undefined) {
    const m = await db
      .selectFrom('municipalities')
      .select(['latitude', 'longitude'])
      .where('istat_code', '=', f.near)
      .where('region_code', '=', regionCode)
      .executeTakeFirst();
    if (m?.latitude != null && m.longitude != null) origin = { latitude: m.latitude, longitude: m.longitude };
  }
  const distance = origin
    ? sql<
        number | null
      >`case when c.mode = 'remote' then 0 else ${haversineSql(origin.latitude, origin.longitude)} end`
    : sql<number | null>`null::float8`;
  let q = db
    .selectFrom('courses as c')
    .innerJoin('training_providers as p', (j) =>
      j.onRef('p.region_code', '=', 'c.region_code').onRef('p.id', '=', 'c.provider_id'),
    )
    .leftJoin('municipalities as m', 'm.istat_code', 'c.municipality_code')
    .select([
      'c.id',
      'c.title',
      'c.mode',
      'c.starts_on',
      'c.ends_on',
      'c.hours',
      'c.seats',
      'c.seats_taken',
      'c.cost_eur',
      'c.funding',
      'c.eqf_level',
      'p.name as provider_name',
      'm.name as municipality_name',
      distance.as('distance_km'),
    ])
    .where('c.region_code', '=', regionCode)
    .where('c.starts_on', '>=', sql<Date>`${f.from}::date`);
  if (f.text) q = q.where('c.search_text', 'like', likePattern(f.text));
  if (f.skill) {
    const skill = f.skill;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('course_skills as cs')
          .innerJoin('esco_skills as s', 's.uri', 'cs.skill_uri')
          .select(sql`1`.as('one'))
          .whereRef('cs.region_code', '=', 'c.region_code')
          .whereRef('cs.course_id', '=', 'c.id')
          .where((eb) => eb.or([eb('s.uri', '=', skill), eb('s.search_text', 'like', likePattern(skill))])),
      ),
    );
  }
  if (f.mode) q = q.where('c.mode', '=', f.mode);
  if (f.freeOnly) q = q.where('c.cost_eur', '=', '0');
  if (f.funding) q = q.where('c.funding', '=', f.funding);
  if (origin && f.km !== undefined) {
    const km = f.km;
    q = q.where(
      sql<SqlBool>`(c.mode = 'remote' or (m.latitude is not null and ${haversineSql(origin.latitude, origin.longitude)} <= ${km}))`,
    );
  }
  const rows = await q
    .orderBy('c.starts_on')
    .orderBy('c.title')
    .orderBy('c.id')
    .limit(PAGE_SIZE + 1)
    .offset(f.page * PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, PAGE_SIZE), hasNext: rows.length > PAGE_SIZE, origin };
}

/** A course of the Region as the public detail page shows it. */
export async function courseDetail(db: Db, regionCode: string, courseId: string) {
  if (!UUID.test(courseId)) return undefined;
  return db
    .selectFrom('courses as c')
    .innerJoin('training_providers as p', (j) =>
      j.onRef('p.region_code', '=', 'c.region_code').onRef('p.id', '=', 'c.provider_id'),
    )
    .leftJoin('municipalities as m', 'm.istat_code', 'c.municipality_code')
    .selectAll('c')
    .select(['p.name as provider_name', 'p.accreditation_code', 'm.name as municipality_name'])
    .where('c.region_code', '=', regionCode)
    .where('c.id', '=', courseId)
    .executeTakeFirst();
}
