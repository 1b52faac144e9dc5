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
};

/** The scope of a timeline read: always one person of one Region. */
export type TimelineScope = { regionCode: string; personId: string };

export type TimelineSource = (db: Db, scope: TimelineScope) => Promise<TimelineEntry[]>;
