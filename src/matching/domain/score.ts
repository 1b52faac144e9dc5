/**
 * The one matching score, used by both directions and by the brute-force reference.
 * Integer points; ties are broken by record id ascending by the callers.
 */
export interface Profile {
  id: number;
  /** Skill bitset over up to 32 skill ids (bit i = skill i). */
  skills: number;
  eqf: number;
  /** Language levels packed: 4 languages × 3 bits (CEFR 0 = none … 6 = C2). */
  langs: number;
  /** Bitmask of contract types. */
  contracts: number;
  licence: boolean;
  /** Latitude/longitude in micro-degrees (fixed point). */
  lat: number;
  lon: number;
  /** Person: max commute km. Vacancy: unused (search radius passed to the query). */
  maxKm: number;
  consent: boolean;
}

export function popcount(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Equirectangular distance in km (deterministic, good enough inside Italy). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const k = Math.PI / 180e6;
  const x = (lon2 - lon1) * k * Math.cos(((lat1 + lat2) / 2) * k);
  const y = (lat2 - lat1) * k;
  return Math.sqrt(x * x + y * y) * 6371;
}

function langsMet(person: number, vacancy: number): number {
  let missing = 0;
  for (let i = 0; i < 4; i++) {
    if (((person >>> (i * 3)) & 7) < ((vacancy >>> (i * 3)) & 7)) missing |= 1 << i;
  }
  return missing;
}

/** Score in integer points, or -1 if outside the radius. */
export function score(person: Profile, vacancy: Profile, radiusKm: number): number {
  const d = distanceKm(person.lat, person.lon, vacancy.lat, vacancy.lon);
  if (d > radiusKm) return -1;
  const req = popcount(vacancy.skills);
  const met = popcount(person.skills & vacancy.skills);
  let s = req === 0 ? 400 : Math.floor((400 * met) / req);
  if (person.eqf >= vacancy.eqf) s += 150;
  if (langsMet(person.langs, vacancy.langs) === 0) s += 100;
  if ((person.contracts & vacancy.contracts) !== 0) s += 100;
  if (!vacancy.licence || person.licence) s += 50;
  s += Math.max(0, 200 - Math.floor(d * 2));
  return s;
}

export interface Explanation {
  score: number;
  distanceKm: number;
  skillsMet: number[];
  skillsMissing: number[];
  eqfMet: boolean;
  languagesMissing: number[];
  contractMet: boolean;
  licenceMet: boolean;
}

export function explain(person: Profile, vacancy: Profile, radiusKm: number): Explanation {
  const bits = (x: number) => {
    const out: number[] = [];
    for (let i = 0; i < 32; i++) if ((x >>> i) & 1) out.push(i);
    return out;
  };
  return {
    score: score(person, vacancy, radiusKm),
    distanceKm: Math.round(distanceKm(person.lat, person.lon, vacancy.lat, vacancy.lon) * 10) / 10,
    skillsMet: bits(person.skills & vacancy.skills),
    skillsMissing: bits(vacancy.skills & ~person.skills),
    eqfMet: person.eqf >= vacancy.eqf,
    languagesMissing: bits(langsMet(person.langs, vacancy.langs)),
    contractMet: (person.contracts & vacancy.contracts) !== 0,
    licenceMet: !vacancy.licence || person.licence,
  };
}
