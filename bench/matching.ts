/**
 * Matching engine (issue 7 item 4): B1 person → top-20 of 1,000,000 vacancies; B2 vacancy → top-50
 * of 3,000,000 people. Index vs plain JS scan, overlap with brute force, bytes per record.
 * TODO (later): PostgreSQL comparison and B3 (commit → searchable) — not measured yet, not reported.
 * Env MATCHING_SCALE (default 1) multiplies the record counts, for quick runs.
 */
import { bruteForce, type Hit } from '../src/matching/domain/brute-force.ts';
import { MatchIndex } from '../src/matching/domain/index.ts';
import type { Profile } from '../src/matching/domain/score.ts';
import { generatePeople, generateVacancies } from '../src/matching/domain/synthetic.ts';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0).toFixed(3));
}

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

function same(a: Hit[], b: Hit[]): boolean {
  return a.length === b.length && a.every((h, i) => h.id === b[i]?.id && h.score === b[i]?.score);
}

function scenario(n: number, k: number, forPerson: boolean, seed: number): Record<string, unknown> {
  const recs = forPerson ? generateVacancies(n, seed) : generatePeople(n, seed);
  const queries = forPerson
    ? generatePeople(200, seed + 1, 100_000_000)
    : generateVacancies(200, seed + 1, 100_000_000);
  const idx = new MatchIndex(n);
  const [, buildMs] = time(() => {
    for (const r of recs) idx.upsert(r);
    idx.compact();
  });
  const idxT: number[] = [];
  const naiveT: number[] = [];
  let agree = 0;
  queries.forEach((q: Profile, i: number) => {
    const radius = forPerson ? q.maxKm : 30;
    const [hit, t] = time(() => idx.search(q, radius, k, forPerson));
    idxT.push(t);
    if (i < 20) {
      const [ref, tn] = time(() => bruteForce(q, recs, radius, k, forPerson));
      naiveT.push(tn);
      if (same(hit, ref)) agree++;
    }
  });
  const mean = (xs: number[]) => Number((xs.reduce((s, x) => s + x, 0) / xs.length).toFixed(3));
  return {
    records: n,
    k,
    build_ms: Math.round(buildMs),
    bytes_per_record: Number(idx.bytesPerRecord().toFixed(1)),
    index_p50_ms: pct(idxT, 50),
    index_p95_ms: pct(idxT, 95),
    index_mean_ms: mean(idxT),
    naive_js_p50_ms: pct(naiveT, 50),
    naive_js_p95_ms: pct(naiveT, 95),
    naive_js_mean_ms: mean(naiveT),
    ratio_naive_over_index_p50: Number((pct(naiveT, 50) / Math.max(1e-3, pct(idxT, 50))).toFixed(1)),
    overlap_with_brute_force: agree / Math.min(20, queries.length),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const scale = Number(process.env.MATCHING_SCALE ?? '1');
  return {
    b1_person_to_vacancies: scenario(Math.round(1_000_000 * scale), 20, true, 11),
    b2_vacancy_to_people: scenario(Math.round(3_000_000 * scale), 50, false, 22),
  };
}
