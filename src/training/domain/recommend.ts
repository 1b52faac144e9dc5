/**
 * Course recommendation, pure: which courses close the person's skill gaps, ranked and explained.
 *
 * score = 100 × weighted coverage of the missing skills (an essential skill weighs 1, an optional one
 *         0.4; coverage is the covered weight over the missing weight, so 0..1)
 *       − 0.5 per km beyond 30 km (remote courses are at distance 0; unknown place: no penalty)
 *       − 0.1 per day until the course starts
 * Courses already started (starts before today), full, or covering none of the missing skills are
 * left out. Each result keeps the parts of its explanation: the missing skills it covers, the
 * distance, the start date, free or cost, the funding programme.
 */
import type { CourseMode, FundingCode } from '../adapters/training-tables.ts';

export const ESSENTIAL_WEIGHT = 1;
export const OPTIONAL_WEIGHT = 0.4;
export const FREE_DISTANCE_KM = 30;
export const PENALTY_PER_KM = 0.5;
export const PENALTY_PER_DAY = 0.1;

export type MissingSkill = { uri: string; label: string; relation: 'essential' | 'optional' };
export type Place = { latitude: number; longitude: number };

export type CandidateCourse = {
  id: string;
  title: string;
  providerName: string;
  mode: CourseMode;
  /** Where an in-person or blended course takes place (null when unknown). */
  place: Place | null;
  municipalityName: string | null;
  /** 'YYYY-MM-DD' */
  startsOn: string;
  seats: number;
  seatsTaken: number;
  costEur: number;
  funding: FundingCode;
  eqfLevel: number | null;
  /** The course's skills (at least those among the missing ones). */
  skillUris: readonly string[];
};

export type Recommendation = {
  course: CandidateCourse;
  score: number;
  explanation: {
    covers: MissingSkill[];
    coveredEssential: number;
    coveredOptional: number;
    /** Share of the missing weight the course covers, 0..1. */
    coverage: number;
    /** km from the person's place; 0 for remote; null when either place is unknown. */
    distanceKm: number | null;
    startsOn: string;
    daysToStart: number;
    free: boolean;
    costEur: number;
    funding: FundingCode;
  };
};

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km (haversine). */
export function haversineKm(a: Place, b: Place): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whole days from `from` to `to` ('YYYY-MM-DD'), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The missing skills of several target occupations, once each; essential wins over optional. */
export function mergeMissing(gaps: readonly { missing: readonly MissingSkill[] }[]): MissingSkill[] {
  const byUri = new Map<string, MissingSkill>();
  for (const gap of gaps)
    for (const m of gap.missing) {
      const seen = byUri.get(m.uri);
      if (!seen || (seen.relation === 'optional' && m.relation === 'essential')) byUri.set(m.uri, { ...m });
    }
  return [...byUri.values()];
}

export function distanceOf(course: CandidateCourse, home: Place | null): number | null {
  if (course.mode === 'remote') return 0;
  if (!home || !course.place) return null;
  return Math.round(haversineKm(home, course.place) * 10) / 10;
}

export function recommendCourses(input: {
  missing: readonly MissingSkill[];
  home: Place | null;
  /** 'YYYY-MM-DD' in Europe/Rome */
  today: string;
  candidates: readonly CandidateCourse[];
  limit?: number;
}): Recommendation[] {
  const weight = (m: MissingSkill) => (m.relation === 'essential' ? ESSENTIAL_WEIGHT : OPTIONAL_WEIGHT);
  const missingByUri = new Map(input.missing.map((m) => [m.uri, m]));
  const total = input.missing.reduce((sum, m) => sum + weight(m), 0);
  if (total === 0) return [];
  const results: Recommendation[] = [];
  for (const course of input.candidates) {
    const daysToStart = daysBetween(input.today, course.startsOn);
    if (daysToStart < 0 || course.seatsTaken >= course.seats) continue;
    const covers: MissingSkill[] = [];
    const seen = new Set<string>();
    for (const uri of course.skillUris) {
      const m = missingByUri.get(uri);
      if (m && !seen.has(uri)) {
        covers.push(m);
        seen.add(uri);
      }
    }
    if (covers.length === 0) continue;
    covers.sort(
      (a, b) =>
        (a.relation === b.relation ? 0 : a.relation === 'essential' ? -1 : 1) ||
        a.label.localeCompare(b.label),
    );
    const coverage = covers.reduce((sum, m) => sum + weight(m), 0) / total;
    const distanceKm = distanceOf(course, input.home);
    const beyond = distanceKm === null ? 0 : Math.max(0, distanceKm - FREE_DISTANCE_KM);
    const score = 100 * coverage - PENALTY_PER_KM * beyond - PENALTY_PER_DAY * daysToStart;
    results.push({
      course,
      score: Math.round(score * 100) / 100,
      explanation: {
        covers,
        coveredEssential: covers.filter((c) => c.relation === 'essential').length,
        coveredOptional: covers.filter((c) => c.relation === 'optional').length,
        coverage: Math.round(coverage * 1000) / 1000,
        distanceKm,
        startsOn: course.startsOn,
        daysToStart,
        free: course.costEur === 0,
        costEur: course.costEur,
        funding: course.funding,
      },
    });
  }
  results.sort(
    (a, b) =>
      b.score - a.score ||
      a.explanation.daysToStart - b.explanation.daysToStart ||
      a.course.title.localeCompare(b.course.title) ||
      a.course.id.localeCompare(b.course.id),
  );
  return results.slice(0, input.limit ?? 10);
}
