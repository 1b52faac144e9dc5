/** Pure rules of the coaching context: alerts, month boundaries, peer percentiles. */
import { romeDay } from '../../platform/i18n/format.ts';
import rulesData from '../data/alert-rules.json' with { type: 'json' };

export type AlertKind =
  | 'no_sign_in'
  | 'no_progress'
  | 'overdue_action'
  | 'missed_appointment'
  | 'cv_review'
  | 'inconsistent_distance';

export const ALERT_KINDS: readonly AlertKind[] = [
  'no_sign_in',
  'no_progress',
  'overdue_action',
  'missed_appointment',
  'cv_review',
  'inconsistent_distance',
];

/** Alerts that also send a kind message to the person. */
export const ALERTS_WITH_MESSAGE: readonly AlertKind[] = ['overdue_action', 'cv_review'];

export type AlertRules = {
  noSignInDays: number;
  noProgressDays: number;
  overdueGraceDays: number;
  noReply: { minApplications: number; windowDays: number };
  distance: { factor: number; minApplications: number };
  peerGroupMin: number;
};

export const alertRules: AlertRules = {
  noSignInDays: rulesData.noSignInDays.value,
  noProgressDays: rulesData.noProgressDays.value,
  overdueGraceDays: rulesData.overdueGraceDays.value,
  noReply: { minApplications: rulesData.noReply.minApplications, windowDays: rulesData.noReply.windowDays },
  distance: { factor: rulesData.distance.factor, minApplications: rulesData.distance.minApplications },
  peerGroupMin: rulesData.peerGroupMin.value,
};

const DAY = 86_400_000;

/** What the daily job knows of one person (all times already read from the database). */
export type PersonFacts = {
  lastSeenAt: Date | null;
  /** When the person was first followed (pact created); no "no sign-in" alert before N days of it. */
  followedSince: Date;
  openActions: { id: string; dueDate: Date; lastProgressAt: Date }[];
  noShowsSinceLastRun: number;
  /** Applications in the window: whether a reply came, and the distance when known. */
  applications: { at: Date; replied: boolean; distanceKm: number | null }[];
  maxCommuteKm: number | null;
};

export type AlertFinding = { kind: AlertKind; details: Record<string, unknown> };

/** Date at 00:00 UTC of the Rome calendar day of `d` (good enough: dates are stored as days). */
export function dayOf(d: Date): Date {
  return new Date(`${romeDay(d)}T00:00:00Z`);
}

export function evaluateAlerts(f: PersonFacts, now: Date, rules: AlertRules = alertRules): AlertFinding[] {
  const out: AlertFinding[] = [];
  const seen = f.lastSeenAt ?? f.followedSince;
  const idleDays = Math.floor((now.getTime() - seen.getTime()) / DAY);
  if (idleDays >= rules.noSignInDays) out.push({ kind: 'no_sign_in', details: { days: idleDays } });

  if (f.openActions.length > 0) {
    const last = Math.max(...f.openActions.map((a) => a.lastProgressAt.getTime()));
    const days = Math.floor((now.getTime() - last) / DAY);
    if (days >= rules.noProgressDays) out.push({ kind: 'no_progress', details: { days } });
  }
  const today = dayOf(now).getTime();
  const overdue = f.openActions.filter((a) => a.dueDate.getTime() + rules.overdueGraceDays * DAY < today);
  if (overdue.length > 0)
    out.push({
      kind: 'overdue_action',
      details: { count: overdue.length, actionIds: overdue.map((a) => a.id) },
    });

  if (f.noShowsSinceLastRun > 0)
    out.push({ kind: 'missed_appointment', details: { count: f.noShowsSinceLastRun } });

  const windowStart = now.getTime() - rules.noReply.windowDays * DAY;
  // Applications sent at least `windowDays` ago that never got a reply.
  const unanswered = f.applications.filter((a) => !a.replied && a.at.getTime() <= windowStart).length;
  if (unanswered >= rules.noReply.minApplications)
    out.push({ kind: 'cv_review', details: { applications: unanswered } });

  const recent = f.applications.filter((a) => a.at.getTime() >= windowStart);
  if (f.maxCommuteKm !== null && f.maxCommuteKm >= 0) {
    const far = recent.filter(
      (a) => a.distanceKm !== null && a.distanceKm > rules.distance.factor * Math.max(f.maxCommuteKm ?? 0, 1),
    );
    if (far.length >= rules.distance.minApplications)
      out.push({
        kind: 'inconsistent_distance',
        details: { applications: far.length, maxCommuteKm: f.maxCommuteKm, factor: rules.distance.factor },
      });
  }
  return out;
}

/** First and last day (inclusive start, exclusive end) of the calendar month containing `day`. */
export function monthBounds(day: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));
  const end = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1));
  return { start, end };
}

/** The previous calendar month (Rome time) of `now`: what the monthly job reports on. */
export function previousMonth(now: Date): { start: Date; end: Date } {
  const today = dayOf(now);
  const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
  return monthBounds(start);
}

/** Percentage of the group with a strictly lower score, plus half of the ties (mid-rank percentile). */
export function percentile(score: number, group: readonly number[]): number {
  if (group.length === 0) return 0;
  const below = group.filter((s) => s < score).length;
  const equal = group.filter((s) => s === score).length;
  return Math.round(((below + equal / 2) / group.length) * 100);
}

export type PeerPerson = {
  userId: string;
  tier: number | null;
  iscoGroup: string;
  province: string;
  score: number;
};

export function groupKey(p: PeerPerson): string {
  return `${p.tier ?? 'none'}|${p.iscoGroup}|${p.province}`;
}

/** Percentile per person for groups of at least `min` people; smaller groups get nothing. */
export function peerPercentiles(people: readonly PeerPerson[], min: number = alertRules.peerGroupMin) {
  const groups = new Map<string, PeerPerson[]>();
  for (const p of people) {
    const k = groupKey(p);
    const g = groups.get(k) ?? [];
    g.push(p);
    groups.set(k, g);
  }
  const result = new Map<string, { percentile: number; groupSize: number; median: number }>();
  for (const g of groups.values()) {
    if (g.length < min) continue;
    const scores = g.map((p) => p.score);
    const sorted = [...scores].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
    for (const p of g)
      result.set(p.userId, { percentile: percentile(p.score, scores), groupSize: g.length, median });
  }
  return result;
}

/** The ISCO major group (first digit) of the latest job, or 'none'. */
export function iscoGroupOf(workHistory: unknown): string {
  if (!Array.isArray(workHistory) || workHistory.length === 0) return 'none';
  const sorted = [...workHistory].sort((a, b) =>
    String((b as { to?: string; from?: string }).to ?? '9999').localeCompare(
      String((a as { to?: string }).to ?? '9999'),
    ),
  );
  const g = String(
    (sorted[0] as { iscoGroup?: unknown; isco?: unknown }).iscoGroup ??
      (sorted[0] as { isco?: unknown }).isco ??
      '',
  );
  return /^[0-9]/.test(g) ? g.charAt(0) : 'none';
}
