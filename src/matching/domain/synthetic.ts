import type { Profile } from './score.ts';

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

export function generate(n: number, seed: number, firstId = 1): Profile[] {
  const rnd = prng(seed);
  const out: Profile[] = [];
  for (let i = 0; i < n; i++) {
    let w = rnd() * TOTAL;
    let city = CITIES[0] as [number, number, number];
    for (const c of CITIES) {
      w -= c[2];
      if (w <= 0) {
        city = c;
        break;
      }
    }
    let skills = 0;
    const k = 1 + Math.floor(rnd() * 6);
    for (let j = 0; j < k; j++) skills |= 1 << Math.floor(rnd() ** 2 * 32); // skewed: low ids common
    out.push({
      id: firstId + i,
      skills,
      eqf: 1 + Math.floor(rnd() * 8),
      langs: Math.floor(rnd() * 7) | (Math.floor(rnd() * 4) << 3),
      contracts: 1 + Math.floor(rnd() * 31),
      licence: rnd() < 0.7,
      lat: Math.round((city[0] + (rnd() - 0.5) * 0.8) * 1e6),
      lon: Math.round((city[1] + (rnd() - 0.5) * 0.8) * 1e6),
      maxKm: 10 + Math.floor(rnd() * 60),
      consent: rnd() < 0.8,
    });
  }
  return out;
}
