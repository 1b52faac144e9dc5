/**
 * Seeded synthetic Italy for the matching benchmark and tests: people and vacancies around 24 cities
 * weighted by population, skills drawn from a 3,000-skill vocabulary with a long tail (a few skills
 * are common, most are rare), Italian for almost everyone, English for some.
 */
import { ALL_CONTRACTS, type Profile } from './score.ts';

/** Seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** [lat, lon, weight ~ population in 10k]. */
const CITIES: [number, number, number][] = [
  [41.9, 12.5, 280],
  [45.46, 9.19, 140],
  [40.85, 14.27, 95],
  [45.07, 7.69, 85],
  [38.12, 13.36, 65],
  [44.41, 8.93, 56],
  [44.49, 11.34, 39],
  [43.77, 11.25, 37],
  [41.12, 16.87, 32],
  [37.5, 15.09, 30],
  [45.44, 12.32, 26],
  [45.44, 10.99, 26],
  [38.19, 15.55, 22],
  [45.41, 11.88, 21],
  [45.65, 13.78, 20],
  [45.54, 10.22, 19],
  [44.8, 10.33, 19],
  [40.47, 17.24, 19],
  [39.22, 9.12, 15],
  [46.07, 11.12, 12],
  [43.62, 13.51, 10],
  [42.46, 14.21, 12],
  [40.64, 15.8, 7],
  [39.3, 16.25, 7],
];
const TOTAL = CITIES.reduce((s, c) => s + c[2], 0);
export const SYNTHETIC_SKILLS = 3000;

function place(rnd: () => number): [number, number] {
  let w = rnd() * TOTAL;
  let city = CITIES[0] as [number, number, number];
  for (const c of CITIES) {
    w -= c[2];
    if (w <= 0) {
      city = c;
      break;
    }
  }
  // Spread ±0.4° around the city, denser near the centre.
  const r = () => (rnd() + rnd() - 1) * 0.4;
  return [Math.round((city[0] + r()) * 1e6), Math.round((city[1] + r()) * 1e6)];
}

function skills(rnd: () => number, min: number, max: number): number[] {
  const n = min + Math.floor(rnd() * (max - min + 1));
  const set = new Set<number>();
  // Long tail: skill 1 is the most common, 3,000 the rarest.
  while (set.size < n) set.add(1 + Math.floor(rnd() ** 3 * SYNTHETIC_SKILLS));
  return [...set].sort((a, b) => a - b);
}

export function generatePeople(n: number, seed: number, firstId = 1): Profile[] {
  const rnd = prng(seed);
  const out: Profile[] = [];
  for (let i = 0; i < n; i++) {
    const [lat, lon] = place(rnd);
    const italian = rnd() < 0.85 ? 7 : 1 + Math.floor(rnd() * 6);
    const english = rnd() < 0.5 ? Math.floor(rnd() * 7) : 0;
    out.push({
      id: firstId + i,
      skills: skills(rnd, 2, 10),
      eqf: 1 + Math.floor(rnd() * 8),
      langs: (italian | (english << 4)) >>> 0,
      contracts: rnd() < 0.4 ? ALL_CONTRACTS : 1 + Math.floor(rnd() * ALL_CONTRACTS),
      licences: rnd() < 0.7 ? 1 << 4 : 0,
      lat,
      lon,
      remote: false,
      maxKm: 10 + Math.floor(rnd() * 60),
      consent: rnd() < 0.8,
    });
  }
  return out;
}

export function generateVacancies(n: number, seed: number, firstId = 1): Profile[] {
  const rnd = prng(seed);
  const out: Profile[] = [];
  for (let i = 0; i < n; i++) {
    const [lat, lon] = place(rnd);
    const italian = 2 + Math.floor(rnd() * 4);
    const english = rnd() < 0.3 ? 2 + Math.floor(rnd() * 3) : 0;
    out.push({
      id: firstId + i,
      skills: skills(rnd, 1, 6),
      eqf: Math.floor(rnd() * 8),
      langs: (italian | (english << 4)) >>> 0,
      contracts: 1 << Math.floor(rnd() * 6),
      licences: rnd() < 0.3 ? 1 << 4 : 0,
      lat,
      lon,
      remote: rnd() < 0.01,
      maxKm: 0,
      consent: true,
    });
  }
  return out;
}
