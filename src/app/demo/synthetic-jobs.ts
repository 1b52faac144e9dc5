import { sql } from 'kysely';
import { checkDigitOf } from '../../employers/domain/partita-iva.ts';
import type { Db } from '../../platform/db/database.ts';

/**
 * The synthetic job market of the demo Region, for load tests and demos at scale (issue 10, item 3):
 * companies with published vacancies on curated ESCO occupations (with the occupation's skills), and
 * a completed profile, a self-assessment of skills and a choice about being found for every synthetic
 * citizen that has none yet. Everything is drawn in PostgreSQL from `setseed(seed)`, so the same seed
 * on the same data gives the same market. Never used in production (the CLI refuses outside demo).
 *
 * Synthetic companies are recognisable by their public page address `sintetica-NNNNN`; re-running
 * adds nothing once they exist.
 */
export type SyntheticJobsOptions = {
  regionCode: string;
  vacancies: number;
  seed: number;
  /** Vacancies per synthetic company (default 10). */
  perCompany?: number;
  /** Told after each step with its duration (the CLI prints them). */
  onStep?: (step: string, ms: number) => void;
};

export type SyntheticJobsResult = { companies: number; vacancies: number; profiles: number };

/** A valid partita IVA (office code 054, Perugia) for the n-th synthetic company. */
export function syntheticPartitaIva(n: number): string {
  const first10 = `${String(9_000_000 + n).padStart(7, '0')}054`;
  return `${first10}${checkDigitOf(first10)}`;
}

export async function loadSyntheticJobMarket(
  db: Db,
  options: SyntheticJobsOptions,
): Promise<SyntheticJobsResult> {
  const { regionCode, seed } = options;
  const perCompany = options.perCompany ?? 10;
  const timed = async <T>(step: string, work: Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await work;
    options.onStep?.(step, performance.now() - t0);
    return result;
  };
  return db.transaction().execute(async (trx) => {
    // setseed takes a double in [-1, 1]: map the integer seed into it.
    await timed('seed', sql`select setseed(${((seed % 1_000_000) / 1_000_000) * 2 - 1})`.execute(trx));
    const employer = await trx
      .selectFrom('users')
      .select('id')
      .where('region_code', '=', regionCode)
      .where('role', '=', 'employer')
      .orderBy('created_at')
      .executeTakeFirst();
    if (!employer) throw new Error(`Region ${regionCode} has no employer user: load the demo Region first.`);

    // Fresh bulk rows have no statistics yet: without them the planner picks nested loops that
    // take minutes instead of seconds at 100,000 people.
    await timed(
      'analyze',
      sql`analyze users, citizen_profiles, companies, vacancies, esco_occupation_skills`.execute(trx),
    );
    let companies = 0;
    let vacancies = 0;
    const already = await trx
      .selectFrom('companies')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('region_code', '=', regionCode)
      .where('public_slug', 'like', 'sintetica-%')
      .executeTakeFirstOrThrow();
    if (already.n === 0 && options.vacancies > 0) {
      const count = Math.ceil(options.vacancies / perCompany);
      const numbers = Array.from({ length: count }, (_, i) => i + 1);
      const inserted = await timed(
        'companies',
        sql`
        insert into companies (region_code, name, vat_number, fiscal_code, ateco_section, size_band,
                               description, public_slug)
        select ${regionCode}, 'Impresa sintetica ' || lpad(n::text, 5, '0') || ' S.r.l.', vat, vat,
               (array['C','F','G','H','I','M','N','Q'])[1 + floor(random() * 8)::int],
               (array['micro','small','medium','large'])[1 + floor(random() * 4)::int],
               'Impresa di prova per i test di carico della piattaforma.',
               'sintetica-' || lpad(n::text, 5, '0')
          from unnest(${numbers}::int[], ${numbers.map(syntheticPartitaIva)}::text[]) as t(n, vat)
        on conflict do nothing`.execute(trx),
      );
      companies = Number(inserted.numAffectedRows ?? 0n);

      const made = await timed(
        'vacancies',
        sql`
        with occ as (
          select array_agg(o.uri order by o.uri) as uris, array_agg(coalesce(o.label_it, o.label_en) order by o.uri) as labels
            from esco_occupations o
           where o.curated and exists (select 1 from esco_occupation_skills s
                                        where s.occupation_uri = o.uri and s.relation = 'essential')
        ), mun as (
          select array_agg(istat_code order by istat_code) as codes from municipalities
           where region_code = ${regionCode} and latitude is not null
        ), co as (
          select array_agg(id order by public_slug) as ids from companies
           where region_code = ${regionCode} and public_slug like 'sintetica-%'
        ), draw as (
          select g,
                 1 + floor(random() * cardinality(occ.uris))::int as o,
                 random() as r_remote, random() as r_lang,
                 occ.uris, occ.labels, mun.codes, co.ids
            from generate_series(1, ${options.vacancies}::int) g, occ, mun, co
        )
        insert into vacancies (region_code, company_id, title, description, occupation_uri, eqf_required,
                               experience_years, municipality_code, remote, contract_type, hours,
                               pay_min, pay_max, pay_period, positions, expires_on, reserved_l68, seasonal,
                               driving_licence, status, published_at, created_by)
        select ${regionCode}, ids[1 + (g - 1) / ${perCompany}::int],
               left(initcap(labels[o]), 140) || ' (rif. ' || g || ')',
               'Offerta sintetica per i test di carico: ' || labels[o] || '. Inserimento in un gruppo di lavoro esperto, formazione in azienda.',
               uris[o],
               floor(random() * 7)::int, floor(random() * 4)::int,
               case when r_remote < 0.08 then null else codes[1 + floor(random() * cardinality(codes))::int] end,
               case when r_remote < 0.08 then 'full' when r_remote < 0.15 then 'hybrid' else 'no' end,
               (array['indeterminato','determinato','apprendistato','somministrazione','tirocinio','stagionale'])[1 + floor(random() * 6)::int],
               case when random() < 0.75 then 'full_time' else 'part_time' end,
               1200 + floor(random() * 6)::int * 100, 1800 + floor(random() * 8)::int * 100, 'month',
               1 + floor(random() * 3)::int,
               current_date + 14 + floor(random() * 100)::int,
               random() < 0.03, random() < 0.08,
               case when random() < 0.2 then 'B' end,
               'published', now() - make_interval(days => floor(random() * 30)::int), ${employer.id}::uuid
          from draw`.execute(trx),
      );
      vacancies = Number(made.numAffectedRows ?? 0n);
      await sql`analyze vacancies, companies`.execute(trx);
      await timed(
        'vacancy skills',
        sql`
        insert into vacancy_skills (region_code, vacancy_id, skill_uri, essential)
        select v.region_code, v.id, s.skill_uri, s.relation = 'essential'
          from vacancies v
          join companies c on c.region_code = v.region_code and c.id = v.company_id
          join esco_occupation_skills s on s.occupation_uri = v.occupation_uri
         where v.region_code = ${regionCode} and c.public_slug like 'sintetica-%'
        on conflict do nothing`.execute(trx),
      );
      await timed(
        'vacancy languages',
        sql`
        insert into vacancy_languages (region_code, vacancy_id, language, level)
        select v.region_code, v.id, (array['en','fr','de','es'])[1 + floor(random() * 4)::int],
               (array['A2','B1','B2'])[1 + floor(random() * 3)::int]
          from vacancies v
          join companies c on c.region_code = v.region_code and c.id = v.company_id
         where v.region_code = ${regionCode} and c.public_slug like 'sintetica-%' and random() < 0.25
        on conflict do nothing`.execute(trx),
      );
    }

    // Profiles for synthetic citizens (no password: SPID users) that have none yet. Who needs one is
    // decided first, into a temporary table: an INSERT … SELECT that also reads its own target table
    // may re-scan the rows it has just written for every row (quadratic at 100,000 people).
    await sql`create temporary table synthetic_unprofiled on commit drop as
      select u.region_code, u.id, u.email, u.phone from users u
       where u.region_code = ${regionCode} and u.role = 'citizen' and u.password_hash is null
         and u.fiscal_code is not null and not u.is_minor
         and not exists (select 1 from citizen_profiles p where p.region_code = u.region_code and p.user_id = u.id)`.execute(
      trx,
    );
    await sql`analyze synthetic_unprofiled`.execute(trx);
    const profiles = await timed(
      'profiles',
      sql`
      with mun as (
        select array_agg(istat_code order by istat_code) as codes from municipalities
         where region_code = ${regionCode} and latitude is not null
      )
      insert into citizen_profiles (region_code, user_id, email, mobile, domicile_code, education_eqf,
                                    languages, driving_licences, availability, current_step, completed_at)
      select u.region_code, u.id, u.email, u.phone, codes[1 + floor(random() * cardinality(codes))::int],
             1 + floor(random() * 7)::int,
             case when random() < 0.4
                  then jsonb_build_array(jsonb_build_object('code', 'it', 'level', 'C2'),
                         jsonb_build_object('code', (array['en','fr','de','es'])[1 + floor(random() * 4)::int],
                                            'level', (array['A2','B1','B2','C1'])[1 + floor(random() * 4)::int]))
                  else jsonb_build_array(jsonb_build_object('code', 'it', 'level', 'C2')) end,
             case when random() < 0.6 then array['B'] else array[]::text[] end,
             jsonb_build_object(
               'hours', case when random() < 0.7 then 'full_time' else 'any' end,
               'contracts', case when random() < 0.5
                                 then jsonb_build_array('indeterminato','determinato','apprendistato','somministrazione','tirocinio','stagionale')
                                 else jsonb_build_array('indeterminato','determinato') end,
               'maxCommuteKm', 10 + floor(random() * 50)::int,
               'remote', case when random() < 0.3 then 'yes' else 'no' end),
             'riepilogo', now()
        from synthetic_unprofiled u, mun`.execute(trx),
    );
    const profiled = Number(profiles.numAffectedRows ?? 0n);
    if (profiled > 0) {
      await sql`analyze citizen_profiles`.execute(trx);
      await timed(
        'visibility',
        sql`
        insert into candidate_visibility (region_code, citizen_id, visible)
        select p.region_code, p.user_id, random() < 0.6
          from citizen_profiles p join users u on u.region_code = p.region_code and u.id = p.user_id
         where p.region_code = ${regionCode} and u.password_hash is null
        on conflict do nothing`.execute(trx),
      );
      // A self-assessment of the essential skills of one occupation each, so skills count in matching.
      await timed(
        'assessments',
        sql`
        insert into skill_assessments (region_code, citizen_id, status, education_eqf)
        select p.region_code, p.user_id, 'draft', p.education_eqf
          from citizen_profiles p join users u on u.region_code = p.region_code and u.id = p.user_id
         where p.region_code = ${regionCode} and u.password_hash is null
        on conflict do nothing`.execute(trx),
      );
      await timed(
        'assessment skills',
        sql`
        with occ as (
          select array_agg(o.uri order by o.uri) as uris from esco_occupations o
           where o.curated and exists (select 1 from esco_occupation_skills s
                                        where s.occupation_uri = o.uri and s.relation = 'essential')
        ), pick as (
          select a.region_code, a.id, occ.uris[1 + floor(random() * cardinality(occ.uris))::int] as occupation
            from skill_assessments a
            join users u on u.region_code = a.region_code and u.id = a.citizen_id, occ
           where a.region_code = ${regionCode} and u.password_hash is null
             and a.citizen_id in (select id from synthetic_unprofiled)
        )
        insert into skill_assessment_skills (region_code, assessment_id, skill_uri, self_level)
        select pick.region_code, pick.id, s.skill_uri, 2 + floor(random() * 3)::int
          from pick join esco_occupation_skills s on s.occupation_uri = pick.occupation
         where s.relation = 'essential' and random() < 0.8
        on conflict do nothing`.execute(trx),
      );
    }
    return { companies, vacancies, profiles: profiled };
  });
}
