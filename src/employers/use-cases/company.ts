import { hash } from '@node-rs/argon2';
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { ARGON2_OPTIONS } from '../../identity/use-cases/sign-in-with-password.ts';
import { type Actor, actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { compiledOnce } from '../../platform/db/compiled.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { EmployerDeps } from '../deps.ts';
import { slugOf } from '../domain/ateco.ts';

export type CompanyDeps = Pick<EmployerDeps, 'db' | 'audit' | 'notifier' | 'config'>;
export type SizeBand = 'micro' | 'small' | 'medium' | 'large';

export type Municipality = { istat_code: string; name: string; province: string };

/**
 * Finds a municipality by the name a person typed (or the code they chose among homonyms):
 * one exact match wins, otherwise one prefix match; several matches ask the person to choose.
 */
export async function resolveMunicipality(
  db: Db,
  typed: string,
  chosenCode?: string,
): Promise<
  { ok: true; municipality: Municipality } | { ok: false; reason: 'none' | 'choose'; options: Municipality[] }
> {
  const q = typed
    .trim()
    .replace(/[%_\\]/g, '')
    .slice(0, 60)
    .toLowerCase();
  if (q.length < 2) return { ok: false, reason: 'none', options: [] };
  const rows = await db
    .selectFrom('municipalities')
    .select(['istat_code', 'name', 'province'])
    .where((eb) => eb(eb.fn('lower', ['name']), 'like', `${q}%`))
    .orderBy('name')
    .orderBy('istat_code')
    .limit(20)
    .execute();
  if (chosenCode) {
    const chosen = rows.find((r) => r.istat_code === chosenCode);
    if (chosen) return { ok: true, municipality: chosen };
  }
  const exact = rows.filter((r) => r.name.toLowerCase() === q);
  if (exact.length === 1 && exact[0]) return { ok: true, municipality: exact[0] };
  if (exact.length === 0 && rows.length === 1 && rows[0]) return { ok: true, municipality: rows[0] };
  if (rows.length === 0) return { ok: false, reason: 'none', options: [] };
  return { ok: false, reason: 'choose', options: exact.length > 1 ? exact : rows };
}

export type SignUpInput = {
  companyName: string;
  vatNumber: string;
  fiscalCode: string;
  atecoSection: string;
  atecoCode: string | null;
  sizeBand: SizeBand;
  hqMunicipality: string;
  hqAddress: string;
  givenName: string;
  familyName: string;
  email: string;
  mobile: string;
  password: string;
  lang: string;
};

export type SignUpResult =
  | { ok: true; companyId: string; userId: string; slug: string }
  | { ok: false; reason: 'vat_taken' | 'email_taken' };

function isConstraint(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === constraint;
}

async function emailTaken(db: Db | Tx, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  return Boolean(row);
}

/** A free public slug in the Region: the name's slug, then "-2", "-3", … */
async function freeSlug(trx: Tx, regionCode: string, name: string): Promise<string> {
  const base = slugOf(name).slice(0, 55).replace(/-+$/g, '');
  const taken = new Set(
    (
      await trx
        .selectFrom('companies')
        .select('public_slug')
        .where('region_code', '=', regionCode)
        .where('public_slug', 'like', `${base}%`)
        .execute()
    ).map((r) => r.public_slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/**
 * Registers a company with its head office and its first user (company admin, password + SMS code),
 * in one transaction. A partita IVA already registered in the Region is refused.
 */
export async function signUpCompany(
  deps: CompanyDeps,
  regionCode: string,
  input: SignUpInput,
): Promise<SignUpResult> {
  const { db, audit } = deps;
  const existing = await db
    .selectFrom('companies')
    .select('id')
    .where('region_code', '=', regionCode)
    .where('vat_number', '=', input.vatNumber)
    .executeTakeFirst();
  if (existing) return { ok: false, reason: 'vat_taken' };
  if (await emailTaken(db, input.email)) return { ok: false, reason: 'email_taken' };
  const passwordHash = await hash(input.password, ARGON2_OPTIONS);
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`company-slug:${regionCode}`}))`.execute(trx);
      const slug = await freeSlug(trx, regionCode, input.companyName);
      const company = await trx
        .insertInto('companies')
        .values({
          region_code: regionCode,
          name: input.companyName,
          vat_number: input.vatNumber,
          fiscal_code: input.fiscalCode,
          ateco_section: input.atecoSection,
          ateco_code: input.atecoCode,
          size_band: input.sizeBand,
          public_slug: slug,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('company_sites')
        .values({
          region_code: regionCode,
          company_id: company.id,
          municipality_code: input.hqMunicipality,
          address: input.hqAddress,
          headquarters: true,
        })
        .execute();
      const user = await trx
        .insertInto('users')
        .values({
          region_code: regionCode,
          role: 'employer',
          company_id: company.id,
          company_role: 'admin',
          email: input.email,
          phone: input.mobile,
          password_hash: passwordHash,
          given_name: input.givenName,
          family_name: input.familyName,
          sms_second_factor: true,
          preferred_language: input.lang,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const actor: Actor = { id: user.id, role: 'employer', regionCode, officeId: null, agencyId: null };
      await audit.record(
        {
          regionCode,
          action: 'company.registered',
          outcome: 'ok',
          actor,
          objectType: 'company',
          objectId: company.id,
          details: { vatNumber: input.vatNumber, atecoSection: input.atecoSection, sizeBand: input.sizeBand },
        },
        trx,
      );
      return { ok: true as const, companyId: company.id, userId: user.id, slug };
    });
  } catch (error) {
    if (isConstraint(error, 'companies_vat')) return { ok: false, reason: 'vat_taken' };
    if (isConstraint(error, 'users_email')) return { ok: false, reason: 'email_taken' };
    throw error;
  }
}

/** The signed-in employer's company role, read fresh (an admin may have changed it). */
export async function companyRoleOf(db: Db, user: SessionUser): Promise<'admin' | 'recruiter' | null> {
  if (!user.companyId) return null;
  const row = await db
    .selectFrom('users')
    .select('company_role')
    .where('region_code', '=', user.regionCode)
    .where('id', '=', user.id)
    .where('company_id', '=', user.companyId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row?.company_role ?? null;
}

/**
 * Everything the company space shows, in one statement: the company, the account's role in it and
 * its linked fiscal code (from a SPID/CIE sign-in), and the company's sites with their vacancies.
 * One round trip instead of three (decision 0012). Null when the account has no company.
 */
export async function companySpaceOf(db: Db, user: SessionUser) {
  if (!user.companyId) return null;
  const [row] = await companySpaceQuery(db, {
    regionCode: user.regionCode,
    userId: user.id,
    companyId: user.companyId,
  });
  if (!row) return null;
  const { company_role, account_fiscal_code, sites, ...company } = row;
  return { company, role: company_role, fiscalCode: account_fiscal_code, sites };
}
const companySpaceQuery = compiledOnce((db, v: { regionCode: string; userId: string; companyId: string }) =>
  db
    .selectFrom('companies as c')
    .innerJoin('users as u', (j) => j.onRef('u.region_code', '=', 'c.region_code').on('u.id', '=', v.userId))
    .selectAll('c')
    .select((eb) => [
      eb
        .case()
        .when(eb.and([eb('u.company_id', '=', eb.ref('c.id')), eb('u.disabled_at', 'is', null)]))
        .then(eb.ref('u.company_role'))
        .end()
        .as('company_role'),
      'u.fiscal_code as account_fiscal_code',
      jsonArrayFrom(
        eb
          .selectFrom('company_sites as s')
          .innerJoin('municipalities as m', 'm.istat_code', 's.municipality_code')
          .select(['s.id', 's.address', 's.headquarters', 's.municipality_code', 'm.name', 'm.province'])
          .select((e) =>
            e
              .selectFrom('vacancies as v')
              .select((x) => x.fn.countAll<number>().as('n'))
              .whereRef('v.region_code', '=', 's.region_code')
              .whereRef('v.site_id', '=', 's.id')
              .as('vacancies'),
          )
          .whereRef('s.region_code', '=', 'c.region_code')
          .whereRef('s.company_id', '=', 'c.id')
          .orderBy('s.headquarters', 'desc')
          .orderBy('m.name')
          .orderBy('s.created_at'),
      ).as('sites'),
    ])
    .where('c.region_code', '=', v.regionCode)
    .where('c.id', '=', v.companyId),
);

export type CompanyDataInput = {
  description: string | null;
  website: string | null;
  atecoSection: string;
  atecoCode: string | null;
  sizeBand: SizeBand;
};

/** Admins only (the caller checks the company role; the query is scoped to the user's company). */
export async function updateCompanyData(deps: CompanyDeps, user: SessionUser, input: CompanyDataInput) {
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('companies')
      .set({
        description: input.description,
        website: input.website,
        ateco_section: input.atecoSection,
        ateco_code: input.atecoCode,
        size_band: input.sizeBand,
      })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', user.companyId ?? '')
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'company.updated',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'company',
        objectId: user.companyId,
      },
      trx,
    );
  });
}

export async function setPublicSlug(
  deps: CompanyDeps,
  user: SessionUser,
  slug: string,
): Promise<{ ok: true } | { ok: false; reason: 'taken' }> {
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('companies')
        .set({ public_slug: slug })
        .where('region_code', '=', user.regionCode)
        .where('id', '=', user.companyId ?? '')
        .execute();
      await deps.audit.record(
        {
          regionCode: user.regionCode,
          action: 'company.slug_changed',
          outcome: 'ok',
          actor: actorOf(user),
          objectType: 'company',
          objectId: user.companyId,
          details: { slug },
        },
        trx,
      );
    });
    return { ok: true };
  } catch (error) {
    if (isConstraint(error, 'companies_slug')) return { ok: false, reason: 'taken' };
    throw error;
  }
}

export async function addSite(
  deps: CompanyDeps,
  user: SessionUser,
  input: { municipalityCode: string; address: string; headquarters: boolean },
): Promise<string> {
  return deps.db.transaction().execute(async (trx) => {
    if (input.headquarters)
      await trx
        .updateTable('company_sites')
        .set({ headquarters: false })
        .where('region_code', '=', user.regionCode)
        .where('company_id', '=', user.companyId ?? '')
        .where('headquarters', '=', true)
        .execute();
    const site = await trx
      .insertInto('company_sites')
      .values({
        region_code: user.regionCode,
        company_id: user.companyId ?? '',
        municipality_code: input.municipalityCode,
        address: input.address,
        headquarters: input.headquarters,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'company.site_added',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'company_site',
        objectId: site.id,
      },
      trx,
    );
    return site.id;
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

/** Marks a site of the user's company as the head office; another company's site is "not found". */
export async function markHeadquarters(
  deps: CompanyDeps,
  user: SessionUser,
  siteId: string,
): Promise<'ok' | 'not_found'> {
  if (!isUuid(siteId)) return 'not_found';
  return deps.db.transaction().execute(async (trx) => {
    const site = await trx
      .selectFrom('company_sites')
      .select('id')
      .where('region_code', '=', user.regionCode)
      .where('company_id', '=', user.companyId ?? '')
      .where('id', '=', siteId)
      .forUpdate()
      .executeTakeFirst();
    if (!site) return 'not_found';
    await trx
      .updateTable('company_sites')
      .set({ headquarters: false })
      .where('region_code', '=', user.regionCode)
      .where('company_id', '=', user.companyId ?? '')
      .where('headquarters', '=', true)
      .execute();
    await trx
      .updateTable('company_sites')
      .set({ headquarters: true })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', siteId)
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'company.headquarters_changed',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'company_site',
        objectId: siteId,
      },
      trx,
    );
    return 'ok';
  });
}

/** Removes a site no vacancy uses; the head office stays until another site takes its place. */
export async function removeSite(
  deps: CompanyDeps,
  user: SessionUser,
  siteId: string,
): Promise<'ok' | 'not_found' | 'in_use' | 'headquarters'> {
  if (!isUuid(siteId)) return 'not_found';
  return deps.db.transaction().execute(async (trx) => {
    const site = await trx
      .selectFrom('company_sites')
      .select(['id', 'headquarters'])
      .where('region_code', '=', user.regionCode)
      .where('company_id', '=', user.companyId ?? '')
      .where('id', '=', siteId)
      .forUpdate()
      .executeTakeFirst();
    if (!site) return 'not_found';
    if (site.headquarters) return 'headquarters';
    const used = await trx
      .selectFrom('vacancies')
      .select('id')
      .where('region_code', '=', user.regionCode)
      .where('site_id', '=', siteId)
      .limit(1)
      .executeTakeFirst();
    if (used) return 'in_use';
    await trx
      .deleteFrom('company_sites')
      .where('region_code', '=', user.regionCode)
      .where('id', '=', siteId)
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'company.site_removed',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'company_site',
        objectId: siteId,
      },
      trx,
    );
    return 'ok';
  });
}

/** The public page: the company, its sites' municipalities, its published unexpired vacancies. */
export async function publicCompany(db: Db, regionCode: string, slug: string, today: string) {
  const company = await db
    .selectFrom('companies')
    .select(['id', 'name', 'ateco_section', 'size_band', 'description', 'website', 'public_slug'])
    .where('region_code', '=', regionCode)
    .where('public_slug', '=', slug)
    .executeTakeFirst();
  if (!company) return null;
  const places = await db
    .selectFrom('company_sites as s')
    .innerJoin('municipalities as m', 'm.istat_code', 's.municipality_code')
    .select(['m.name', 'm.province'])
    .select((eb) => eb.fn.max(sql<number>`s.headquarters::int`).as('hq'))
    .where('s.region_code', '=', regionCode)
    .where('s.company_id', '=', company.id)
    .groupBy(['m.name', 'm.province'])
    .orderBy('hq', 'desc')
    .orderBy('m.name')
    .execute();
  const vacancies = await db
    .selectFrom('vacancies as v')
    .leftJoin('municipalities as m', 'm.istat_code', 'v.municipality_code')
    .select(['v.id', 'v.title', 'v.contract_type', 'v.remote', 'v.expires_on', 'm.name as place'])
    .where('v.region_code', '=', regionCode)
    .where('v.company_id', '=', company.id)
    .where('v.status', '=', 'published')
    .where('v.expires_on', '>=', sql<Date>`${today}::date`)
    .orderBy('v.published_at', 'desc')
    .orderBy('v.match_seq')
    .limit(100)
    .execute();
  return { company, places, vacancies };
}
