import { type Profile, score } from './score.ts';

export interface Hit {
  id: number;
  score: number;
}

/** Best first; equal scores by the lower id (deterministic ties). */
export function byRank(a: Hit, b: Hit): number {
  return b.score - a.score || a.id - b.id;
}

/** Plain scan over JS objects: the reference. `forPerson` true = rank vacancies for a person. */
export function bruteForce(
  query: Profile,
  records: readonly Profile[],
  radiusKm: number,
  k: number,
  forPerson: boolean,
): Hit[] {
  const hits: Hit[] = [];
  for (const r of records) {
    if (!forPerson && !r.consent) continue;
    const s = forPerson ? score(query, r, radiusKm) : score(r, query, radiusKm);
    if (s >= 0) hits.push({ id: r.id, score: s });
  }
  hits.sort(byRank);
  return hits.slice(0, k);
}
