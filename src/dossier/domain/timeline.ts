import type { Db } from '../../platform/db/database.ts';

/**
 * One line of the person's dossier timeline (fascicolo elettronico, issue 8 item 2). Every context
 * that records something about a person contributes a `TimelineSource`; the dossier merges them.
 */
export type TimelineEntry = {
  at: Date;
  /** What kind of fact this is: 'did', 'appointment', 'pact', 'referral', … (used for filters). */
  kind: string;
  /** i18n key of the line's title, with its variables (already plain text, never HTML). */
  titleKey: string;
  titleVars?: Record<string, string | number>;
  /** Where an operator can see more (optional, a path inside the app). */
  href?: string;
  /** Whether an accredited agency's operator (APL) may see this line for a person referred to it. */
  visibleToApl: boolean;
  /** Variables whose values are i18n keys, translated in the reader's language before use. */
  titleVarKeys?: Record<string, string>;
  /** Where the person can see more in their own area (optional, a path inside the app). */
  personHref?: string;
};

/** The scope of a timeline read: always one person of one Region. */
export type TimelineScope = { regionCode: string; personId: string };

export type TimelineSource = (db: Db, scope: TimelineScope) => Promise<TimelineEntry[]>;

/** Every kind of line the dossier's own sources write, in the order the filter offers them. */
export const DOSSIER_KINDS = [
  'did',
  'profile',
  'digital_check',
  'appointment',
  'pact',
  'plan',
  'application',
  'course',
  'badge',
  'conditionality',
  'message',
  'certificate',
] as const;

/** Newest first; equal times keep a stable order (kind, then title). */
export function sortTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort(
    (a, b) =>
      b.at.getTime() - a.at.getTime() || a.kind.localeCompare(b.kind) || a.titleKey.localeCompare(b.titleKey),
  );
}

/** What a reader may see: an APL operator only the lines marked for agencies; a kind filter if any. */
export function visibleEntries(
  entries: TimelineEntry[],
  reader: 'cpi' | 'apl' | 'person',
  kind?: string,
): TimelineEntry[] {
  return sortTimeline(
    entries.filter((e) => (reader !== 'apl' || e.visibleToApl) && (!kind || e.kind === kind)),
  );
}
