/**
 * The employment status for the "certificato dello stato occupazionale con storico" (C2 storico),
 * derived from what the platform records: DID declarations and their events (onboarding/use-cases/
 * did.ts), hirings (employment_outcomes) and conditionality decisions. Pure: no database, no clock.
 *
 * The rules, and where they come from:
 * - D.Lgs. 150/2015, art. 19, c. 1: a person is "disoccupato" when without work and having declared
 *   immediate availability (DID). No DID → no state of unemployment; a withdrawn DID ends it.
 * - Starting a job after the DID ends the state (art. 19), except when the expected income from work
 *   stays under the tax-free threshold: D.L. 4/2019, art. 4, c. 15-quater keeps those people in the
 *   state. The platform does not know the income, so the certificate says "occupato" and tells the
 *   person the CPI can confirm the state when the income is under the threshold.
 * - A job of up to six months suspends the state instead of ending it (art. 19, c. 3 D.Lgs. 150/2015,
 *   as read with D.L. 4/2019, art. 4, c. 15-quater): a suspended DID is "stato di disoccupazione
 *   sospeso" for at most six months from the suspension; past that the suspension no longer holds
 *   and the CPI must check the state ("sospensione oltre i sei mesi").
 * - Resuming the DID (the short job ended) brings the state back to "disoccupato".
 * - Conditionality: the platform's decisions are proposals (warnings, sanction proposals sent to the
 *   benefit's payer, art. 21 c. 7 D.Lgs. 150/2015); only the payer's measure changes the state, so
 *   sanction proposals are listed in the history and never change the status computed here.
 * The latest DID (by declaration time) is the one in force; events before it are history only.
 */
export type DidStatus = 'active' | 'suspended' | 'withdrawn';
export type DidRecord = { id: string; declaredAt: Date; status: DidStatus };
export type DidEventRecord = {
  didId: string;
  event: 'declared' | 'suspended' | 'resumed' | 'withdrawn';
  at: Date;
  reason: string | null;
};
export type EmploymentRecord = { startedOn: Date; source: string };
export type ConditionalityRecord = {
  decidedAt: Date;
  decision: 'archive' | 'warning' | 'sanction_proposal';
  kind: string;
  benefit: string | null;
};

export type HistoryEntry =
  | { kind: 'did_declared'; at: Date }
  | { kind: 'did_suspended'; at: Date; reason: string | null }
  | { kind: 'did_resumed'; at: Date; reason: string | null }
  | { kind: 'did_withdrawn'; at: Date; reason: string | null }
  | { kind: 'employment_started'; at: Date; source: string }
  | { kind: 'sanction_proposal'; at: Date; event: string; benefit: string | null };

export type EmploymentStatus =
  | { status: 'no_did' }
  | { status: 'unemployed'; since: Date; didDeclaredAt: Date }
  | { status: 'suspended'; since: Date; didDeclaredAt: Date; until: Date }
  | { status: 'suspension_expired'; since: Date; didDeclaredAt: Date; until: Date }
  | { status: 'employed'; since: Date; didDeclaredAt: Date }
  | { status: 'did_withdrawn'; since: Date; didDeclaredAt: Date };

export const SUSPENSION_MONTHS = 6;

/** Same-instant entries: the order in which they happened in the platform's flows. */
const ORDER: Record<HistoryEntry['kind'], number> = {
  did_declared: 0,
  employment_started: 1,
  did_suspended: 2,
  did_resumed: 3,
  sanction_proposal: 4,
  did_withdrawn: 5,
};

export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** Every recorded change, oldest first (a certificate reads top to bottom in time). */
export function employmentHistory(input: {
  dids: DidRecord[];
  didEvents: DidEventRecord[];
  employment: EmploymentRecord[];
  conditionality: ConditionalityRecord[];
}): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  const declaredByEvent = new Set(input.didEvents.filter((e) => e.event === 'declared').map((e) => e.didId));
  for (const d of input.dids)
    if (!declaredByEvent.has(d.id)) entries.push({ kind: 'did_declared', at: d.declaredAt });
  for (const e of input.didEvents) {
    if (e.event === 'declared') entries.push({ kind: 'did_declared', at: e.at });
    else entries.push({ kind: `did_${e.event}`, at: e.at, reason: e.reason });
  }
  for (const j of input.employment)
    entries.push({ kind: 'employment_started', at: j.startedOn, source: j.source });
  for (const c of input.conditionality)
    if (c.decision === 'sanction_proposal')
      entries.push({ kind: 'sanction_proposal', at: c.decidedAt, event: c.kind, benefit: c.benefit });
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime() || ORDER[a.kind] - ORDER[b.kind]);
}

/** The status on `now`, following the rules above. */
export function employmentStatus(
  input: { dids: DidRecord[]; didEvents: DidEventRecord[]; employment: EmploymentRecord[] },
  now: Date,
): EmploymentStatus {
  const current = [...input.dids]
    .filter((d) => d.declaredAt.getTime() <= now.getTime())
    .sort((a, b) => b.declaredAt.getTime() - a.declaredAt.getTime())[0];
  if (!current) return { status: 'no_did' };
  const didDeclaredAt = current.declaredAt;
  const own = input.didEvents
    .filter((e) => e.didId === current.id && e.at.getTime() <= now.getTime())
    .map((e) => ({ at: e.at, kind: e.event as string }));
  if (current.status === 'withdrawn') {
    const withdrawn = own.filter((e) => e.kind === 'withdrawn').at(-1);
    return { status: 'did_withdrawn', since: withdrawn?.at ?? didDeclaredAt, didDeclaredAt };
  }
  const jobs = input.employment
    .filter((j) => j.startedOn.getTime() >= didDeclaredAt.getTime() && j.startedOn.getTime() <= now.getTime())
    .map((j) => ({ at: j.startedOn, kind: 'employment' }));
  const rank = (k: string) => (k === 'employment' ? 1 : k === 'suspended' ? 2 : k === 'resumed' ? 3 : 0);
  const steps = [...own, ...jobs].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || rank(a.kind) - rank(b.kind),
  );
  let state: 'unemployed' | 'employed' | 'suspended' = 'unemployed';
  let since = didDeclaredAt;
  for (const s of steps) {
    if (s.kind === 'employment' && state === 'unemployed') {
      state = 'employed';
      since = s.at;
    } else if (s.kind === 'suspended') {
      state = 'suspended';
      since = s.at;
    } else if (s.kind === 'resumed') {
      state = 'unemployed';
      since = s.at;
    }
  }
  // The DID's own status is the record of truth for suspension: a suspended DID without its event
  // (older data) counts from the declaration; an active DID is never "suspended".
  if (current.status === 'suspended' && state !== 'suspended') {
    state = 'suspended';
    since = own.filter((e) => e.kind === 'suspended').at(-1)?.at ?? didDeclaredAt;
  }
  if (current.status === 'active' && state === 'suspended') {
    state = 'unemployed';
    since = own.filter((e) => e.kind === 'resumed').at(-1)?.at ?? didDeclaredAt;
  }
  if (state === 'suspended') {
    const until = addMonths(since, SUSPENSION_MONTHS);
    return until.getTime() < now.getTime()
      ? { status: 'suspension_expired', since, didDeclaredAt, until }
      : { status: 'suspended', since, didDeclaredAt, until };
  }
  return state === 'employed'
    ? { status: 'employed', since, didDeclaredAt }
    : { status: 'unemployed', since, didDeclaredAt };
}
