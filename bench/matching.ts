/**
 * Matching engine (issue 7 item 4), on seeded synthetic Italy (src/matching/domain/synthetic.ts):
 *   B1 person → top-20 of 1,000,000 vacancies (radius: the person's commute km, 10–69);
 *   B2 vacancy → top-50 of 3,000,000 people (radius 30 km; only people who agreed to be found);
 *   both against the same scoring done as a plain scan over JavaScript objects and in PostgreSQL (a
 *   bounding-box B-tree prefilter, then the formula in SQL), in the same run on the same data, and the
 *   overlap with the brute-force scorer's top-K (exact = 1.0);
 *   B3 commit → searchable: a vacancy inserted and committed through the real schema, until the live
 *   matcher (LISTEN/NOTIFY) has applied it and a search returns it.
 * Env MATCHING_SCALE (default 1) multiplies the record counts, for quick runs.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadDemoRegion } from '../src/app/demo/load-demo.ts';
import { bruteForce, type Hit } from '../src/matching/domain/brute-force.ts';
import { MatchIndex } from '../src/matching/domain/index.ts';
import { BAND, KM_PER_MICRODEGREE, type Profile } from '../src/matching/domain/score.ts';
import { generatePeople, generateVacancies } from '../src/matching/domain/synthetic.ts';
import { LiveMatcher } from '../src/matching/use-cases/live-matcher.ts';
import { createDb } from '../src/platform/db/database.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrate } from '../src/platform/db/migrate.ts';

const DATABASE = 'bench_matching';
const PG_QUERIES = 10;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0).toFixed(3));
}
const mean = (xs: number[]) => Number((xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length)).toFixed(3));

function same(a: Hit[], b: Hit[]): boolean {
  return a.length === b.length && a.every((h, i) => h.id === b[i]?.id && h.score === b[i]?.score);
}

// ── PostgreSQL: the same records and the same formula ──────────────────────────────────────────

const SCORE_SQL = `
create or replace function bench_points(req int, met int, eqf_ok bool, langs_ok bool, con_ok bool, lic_ok bool, km float8)
returns int immutable language sql as $$
  select (case when req = 0 then 400 else (400 * met) / req end)
       + (case when eqf_ok then 150 else 0 end) + (case when langs_ok then 100 else 0 end)
       + (case when con_ok then 100 else 0 end) + (case when lic_ok then 50 else 0 end)
       + greatest(0, 200 - floor(km * 2)::int)
$$;
create or replace function bench_km(plat int, plon int, vlat int, vlon int) returns float8 immutable language sql as $$
  select sqrt(power((vlon - plon) * cos(radians((floor(abs(vlat) / ${BAND}.0) * ${BAND} + ${BAND / 2}) / 1e6)), 2)
              + power(vlat - plat, 2)) * ${KM_PER_MICRODEGREE}
$$;
create or replace function bench_langs(p int, v int) returns bool immutable language sql as $$
  select ((p::bigint | 2290649224) - v) & 2290649224 = 2290649224
$$;`;

async function loadTable(pool: pg.Pool, table: string, recs: readonly Profile[]): Promise<void> {
  await pool.query(`drop table if exists ${table}`);
  await pool.query(`create unlogged table ${table} (id int primary key, lat int, lon int, eqf smallint, langs int,
    contracts smallint, licences int, remote bool, consent bool, skills int[])`);
  const BATCH = 20_000;
  for (let i = 0; i < recs.length; i += BATCH) {
    const part = recs.slice(i, i + BATCH);
    await pool.query(
      `insert into ${table} select id, lat, lon, eqf, langs, contracts, licences, remote, consent, skills::int[]
         from unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::bool[], $9::bool[], $10::text[])
           as t(id, lat, lon, eqf, langs, contracts, licences, remote, consent, skills)`,
      [
        part.map((r) => r.id),
        part.map((r) => r.lat),
        part.map((r) => r.lon),
        part.map((r) => r.eqf),
        part.map((r) => r.langs),
        part.map((r) => r.contracts),
        part.map((r) => r.licences),
        part.map((r) => r.remote),
        part.map((r) => r.consent),
        part.map((r) => `{${r.skills.join(',')}}`),
      ],
    );
  }
  await pool.query(`create index on ${table} (lat, lon)`);
  await pool.query(`vacuum analyze ${table}`);
}

/** The top-K in SQL: a bounding box through the B-tree, then the formula on every row inside it. */
async function pgSearch(
  pool: pg.Pool,
  table: string,
  q: Profile,
  radiusKm: number,
  k: number,
  forPerson: boolean,
) {
  const dLat = Math.ceil((radiusKm / KM_PER_MICRODEGREE) * 1.001);
  const dLon = Math.ceil(dLat / 0.6); // cos(53°): wider than Italy needs
  const box = `r.lat between q.lat - ${dLat} and q.lat + ${dLat} and r.lon between q.lon - ${dLon} and q.lon + ${dLon}`;
  // A fully remote vacancy is 0 km from everyone: no box.
  const where = forPerson ? `(r.remote or (${box}))` : q.remote ? 'r.consent' : `r.consent and ${box}`;
  const person = forPerson ? 'q' : 'r';
  const vacancy = forPerson ? 'r' : 'q';
  const sqlText = `
    with q as (select $1::int as lat, $2::int as lon, $3::int as eqf, $4::int as langs, $5::int as contracts,
                      $6::int as licences, $7::bool as remote, $8::int[] as skills)
    select id, score from (
      select r.id, bench_points(
          cardinality(${vacancy}.skills),
          (select count(*)::int from unnest(${vacancy}.skills) s where s = any(${person}.skills)),
          ${person}.eqf >= ${vacancy}.eqf,
          bench_langs(${person}.langs, ${vacancy}.langs),
          (${person}.contracts & ${vacancy}.contracts) <> 0,
          ${vacancy}.licences = 0 or (${person}.licences & ${vacancy}.licences) <> 0,
          d.km) as score, d.km
        from ${table} r cross join q
        cross join lateral (select case when ${vacancy}.remote then 0
                                   else bench_km(${person}.lat, ${person}.lon, ${vacancy}.lat, ${vacancy}.lon) end as km) d
       where ${where}
    ) s where km <= $9 order by score desc, id limit $10`;
  const res = await pool.query<{ id: number; score: number }>(sqlText, [
    q.lat,
    q.lon,
    q.eqf,
    q.langs,
    q.contracts,
    q.licences,
    q.remote,
    q.skills,
    radiusKm,
    k,
  ]);
  return res.rows.map((r) => ({ id: r.id, score: r.score }));
}

async function scenario(
  pool: pg.Pool,
  n: number,
  k: number,
  forPerson: boolean,
  seed: number,
): Promise<Record<string, unknown>> {
  const recs = forPerson ? generateVacancies(n, seed) : generatePeople(n, seed);
  const queries = forPerson
    ? generatePeople(200, seed + 1, 100_000_000)
    : generateVacancies(200, seed + 1, 100_000_000);
  const radiusOf = (q: Profile) => (forPerson ? q.maxKm : 30);
  const idx = new MatchIndex(n);
  const t0 = performance.now();
  for (const r of recs) idx.upsert(r);
  idx.compact();
  const buildMs = performance.now() - t0;

  const idxT: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    idx.search(q, radiusOf(q), k, forPerson);
    idxT.push(performance.now() - t);
  }
  // The plain scan and PostgreSQL on a sample of the same queries (they are slow); overlap checked on each.
  const naiveT: number[] = [];
  const pgT: number[] = [];
  let agree = 0;
  let pgAgree = 0;
  const table = forPerson ? 'bench_vacancies' : 'bench_people';
  console.error(`[bench] ${table}: index done (${Math.round(buildMs)} ms build), loading PostgreSQL…`);
  await loadTable(pool, table, recs);
  console.error(`[bench] ${table}: loaded; plain scan and PostgreSQL queries…`);
  const sample = queries.slice(0, 20);
  for (const [i, q] of sample.entries()) {
    const hit = idx.search(q, radiusOf(q), k, forPerson);
    let t = performance.now();
    const ref = bruteForce(q, recs, radiusOf(q), k, forPerson);
    naiveT.push(performance.now() - t);
    if (same(hit, ref)) agree++;
    if (i < PG_QUERIES) {
      t = performance.now();
      const viaPg = await pgSearch(pool, table, q, radiusOf(q), k, forPerson);
      pgT.push(performance.now() - t);
      if (same(viaPg, ref)) pgAgree++;
    }
  }
  await pool.query(`drop table ${table}`);
  const ratio = (a: number, b: number) => Number((a / Math.max(1e-3, b)).toFixed(1));
  return {
    records: n,
    k,
    queries: queries.length,
    build_ms: Math.round(buildMs),
    bytes_per_record: Number(idx.bytesPerRecord().toFixed(1)),
    index_p50_ms: pct(idxT, 50),
    index_p95_ms: pct(idxT, 95),
    index_mean_ms: mean(idxT),
    naive_js_queries: naiveT.length,
    naive_js_p50_ms: pct(naiveT, 50),
    naive_js_p95_ms: pct(naiveT, 95),
    naive_js_mean_ms: mean(naiveT),
    postgres_queries: pgT.length,
    postgres_p50_ms: pct(pgT, 50),
    postgres_p95_ms: pct(pgT, 95),
    postgres_mean_ms: mean(pgT),
    // Ratios on the same queries (the first ones of the 200).
    ratio_naive_over_index_p50: ratio(pct(naiveT, 50), pct(idxT.slice(0, naiveT.length), 50)),
    ratio_naive_over_index_mean: ratio(mean(naiveT), mean(idxT.slice(0, naiveT.length))),
    ratio_postgres_over_index_p50: ratio(pct(pgT, 50), pct(idxT.slice(0, pgT.length), 50)),
    ratio_postgres_over_index_mean: ratio(mean(pgT), mean(idxT.slice(0, pgT.length))),
    overlap_with_brute_force: agree / sample.length,
    postgres_overlap_with_brute_force: pgAgree / pgT.length,
  };
}

/** B3: a vacancy committed through the real schema until the live matcher returns it in a search. */
async function commitToSearchable(url: string): Promise<Record<string, unknown>> {
  const { db, pool } = createDb(url, 4);
  try {
    await migrate(pool);
    await loadDemoRegion(db);
    const company = await db.selectFrom('companies').select(['id', 'region_code']).executeTakeFirstOrThrow();
    const employer = await db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'employer')
      .executeTakeFirstOrThrow();
    const citizen = await db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'citizen')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('citizen_profiles')
      .values({ region_code: company.region_code, user_id: citizen.id, domicile_code: '054039' })
      .onConflict((oc) => oc.columns(['region_code', 'user_id']).doUpdateSet({ domicile_code: '054039' }))
      .execute();
    const matcher = new LiveMatcher(db);
    await matcher.start(pool);
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < 30; i++) {
      const applied = new Promise<void>((resolve) => {
        matcher.onApplied = (kind) => kind === 'vacancy' && resolve();
      });
      const v = await db
        .insertInto('vacancies')
        .values({
          region_code: company.region_code,
          company_id: company.id,
          title: `Posizione di prova ${i}`,
          description: 'Una posizione per misurare il tempo dal commit alla ricerca.',
          municipality_code: '054039',
          contract_type: 'determinato',
          hours: 'full_time',
          expires_on: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
          status: 'published',
          created_by: employer.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const committed = performance.now();
      await applied;
      const ranked = await matcher.rankVacanciesForPerson(company.region_code, citizen.id, {
        radiusKm: 20,
        limit: 100,
      });
      times.push(performance.now() - committed);
      if (ranked.some((r) => r.vacancyId === v.id)) found++;
    }
    await matcher.stop();
    return {
      trials: times.length,
      searchable_after_commit_p50_ms: pct(times, 50),
      searchable_after_commit_p95_ms: pct(times, 95),
      searchable_after_commit_max_ms: Number(Math.max(...times).toFixed(3)),
      found_by_search: found,
    };
  } finally {
    await db.destroy();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const scale = Number(process.env.MATCHING_SCALE ?? '1');
  const pgDir = path.resolve('.tmp', 'bench-matching-pg');
  mkdirSync(pgDir, { recursive: true });
  const server = await startEmbeddedPostgres(pgDir, (m) => {
    if (!/terminating connection due to administrator command/.test(m)) console.error(`[pg] ${m}`);
  });
  try {
    const admin = new pg.Client({ connectionString: server.url('postgres') });
    await admin.connect();
    await admin.query(`drop database if exists "${DATABASE}" with (force)`);
    await admin.end();
    await ensureDatabase(server.url('postgres'), DATABASE);
    const pool = new pg.Pool({ connectionString: server.url(DATABASE), max: 2 });
    pool.on('error', (e) => console.error(`[bench] idle connection lost: ${e.message}`));
    try {
      await pool.query(SCORE_SQL);
      const b1 = await scenario(pool, Math.round(1_000_000 * scale), 20, true, 11);
      const b2 = await scenario(pool, Math.round(3_000_000 * scale), 50, false, 22);
      const b3 = await commitToSearchable(server.url(DATABASE));
      return { b1_person_to_vacancies: b1, b2_vacancy_to_people: b2, b3_commit_to_searchable: b3 };
    } finally {
      await pool.end();
    }
  } finally {
    await server.stop();
  }
}
