/**
 * Expected waiting time from forecast demand and planned capacity (pure).
 *
 * A first-come-first-served backlog in weekly steps:
 *   backlog(w) = max(0, backlog(w-1) + demand(w) − capacity(w))
 * Unmet demand is carried over to the next week and is served before that week's new requests.
 * Requests arrive evenly through the week and seats are used evenly through the week, so a request
 * arriving in the middle of week w has ahead of it the backlog carried in plus half of that week's
 * requests. It is served when the cumulative capacity from the start of week w reaches that amount;
 * the wait is that moment minus the arrival (never below zero), in days (7 per week). If the seats
 * planned up to the end of the horizon are not enough, the wait is "beyond the horizon" (null), and
 * `atLeastDays` tells how long it is at least.
 */

export type WeekLoad = {
  demand: number;
  capacity: number;
  served: number;
  /** Unmet requests carried over to the next week. */
  backlog: number;
  /** Expected wait in days for a request made in the middle of this week; null = beyond the horizon. */
  waitDays: number | null;
  /** When waitDays is null: the wait is at least this many days. */
  atLeastDays: number;
};

export function queueWeeks(demand: number[], capacity: number[], initialBacklog = 0): WeekLoad[] {
  if (demand.length !== capacity.length) throw new Error('demand and capacity must cover the same weeks');
  if ([...demand, ...capacity, initialBacklog].some((x) => !Number.isFinite(x) || x < 0))
    throw new Error('demand, capacity and backlog must be finite and not negative');
  const weeks: WeekLoad[] = [];
  let carried = initialBacklog;
  for (let w = 0; w < demand.length; w++) {
    const d = demand[w]!;
    const c = capacity[w]!;
    const available = carried + d;
    const served = Math.min(available, c);
    const ahead = carried + d / 2;
    const end = servedAt(ahead, capacity, w);
    const horizonWeeks = demand.length - w - 0.5;
    weeks.push({
      demand: d,
      capacity: c,
      served,
      backlog: available - served,
      waitDays: end === null ? null : Math.max(0, end - 0.5) * 7,
      atLeastDays: end === null ? horizonWeeks * 7 : 0,
    });
    carried = available - served;
  }
  return weeks;
}

/**
 * When (in weeks from the start of week `from`) the cumulative capacity reaches `amount`; null if
 * the capacity up to the end of the horizon is not enough.
 */
export function servedAt(amount: number, capacity: number[], from: number): number | null {
  if (amount <= 0) return 0;
  let cumulative = 0;
  for (let k = from; k < capacity.length; k++) {
    const c = capacity[k]!;
    if (c > 0 && cumulative + c >= amount) return k - from + (amount - cumulative) / c;
    cumulative += c;
  }
  return null;
}
