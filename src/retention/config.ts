/**
 * How long each category of data is kept, and on which legal basis (issue 8 item 10). Every period
 * can be overridden by an environment variable `RETENTION_<CATEGORY>_DAYS` (e.g.
 * RETENTION_SESSIONS_DAYS=2) within the category's bounds; a value out of bounds stops the start-up
 * with a message naming it. The audit log is never erased before 24 months (730 days): its lower
 * bound says so, and the job never deletes it in any case (the table is append-only and
 * hash-chained; older entries leave only through the archival procedure, docs/operations).
 */

export type RetentionAction = 'erase' | 'pseudonymise' | 'keep';

export type CategoryPolicy = {
  /** Days after the category's reference date (expiry, last use, closure, creation) before the action. */
  days: number;
  min: number;
  max: number;
  action: RetentionAction;
  /** What the days are counted from (shown to the admin). */
  from: string;
  /** The legal basis, as written in the record of processing activities. */
  basis: string;
};

export const RETENTION_DEFAULTS = {
  // Sign-in sessions are needed only while valid (idle 30 min, absolute 12 h): kept one more day for
  // incident analysis, then erased. GDPR art. 5(1)(e) storage limitation; art. 32 security.
  sessions: {
    days: 1,
    min: 1,
    max: 30,
    action: 'erase',
    from: 'expiry',
    basis: 'GDPR art. 5(1)(e) (storage limitation) and art. 32 (security of processing)',
  },
  // One-time codes, password reset links, pact signing codes and one-click appointment links: useless
  // once used or expired; kept 7 days to answer "I did not receive / use the code" questions.
  one_time_tokens: {
    days: 7,
    min: 1,
    max: 90,
    action: 'erase',
    from: 'expiry',
    basis: 'GDPR art. 5(1)(c) and (e) (minimisation, storage limitation)',
  },
  // SPID/CIE sign-in transactions (state, nonce, PKCE verifier): only for the few minutes of a sign-in.
  oidc_transactions: {
    days: 1,
    min: 1,
    max: 30,
    action: 'erase',
    from: 'creation',
    basis: 'GDPR art. 5(1)(e); AgID SPID technical rules (no retention of transaction data)',
  },
  // Rate-limit counters keyed by IP or account: only their window matters.
  rate_limits: {
    days: 1,
    min: 1,
    max: 30,
    action: 'erase',
    from: 'window start',
    basis: 'GDPR art. 5(1)(e); art. 32 (protection against brute force)',
  },
  // Attachments uploaded to a message that was never sent.
  draft_attachments: {
    days: 7,
    min: 1,
    max: 90,
    action: 'erase',
    from: 'upload',
    basis: 'GDPR art. 5(1)(c) (minimisation): never part of a communication',
  },
  // Files attached to secure messages: the documents they carry are registered in the dossier when
  // they matter; the copy in the conversation is kept 24 months.
  message_attachments: {
    days: 730,
    min: 180,
    max: 3650,
    action: 'erase',
    from: 'upload',
    basis: 'GDPR art. 6(1)(e) with D.Lgs. 150/2015 art. 13 (dossier); art. 5(1)(e) for the copies',
  },
  // Accounts closed (disabled) for 12 months: contacts, credentials, second factor, CV and visibility
  // to companies are erased; name and fiscal code stay, because the service records they identify
  // (DID, pact, conditionality, outcomes) must be kept for their own periods.
  closed_accounts: {
    days: 365,
    min: 30,
    max: 3650,
    action: 'pseudonymise',
    from: 'account closure',
    basis: 'GDPR art. 17(1)(a) with art. 17(3)(b) (records of the public employment service kept)',
  },
  // Help requests (name, contact, message) once closed: pseudonymised after 24 months.
  help_requests: {
    days: 730,
    min: 90,
    max: 3650,
    action: 'pseudonymise',
    from: 'request',
    basis: 'GDPR art. 5(1)(e); L. 241/1990 (records of requests to a public office)',
  },
  // The optional contact left with accessibility feedback: 12 months, the feedback itself stays.
  accessibility_contacts: {
    days: 365,
    min: 30,
    max: 3650,
    action: 'erase',
    from: 'feedback',
    basis: 'GDPR art. 5(1)(e); L. 4/2004 and AgID accessibility guidelines (feedback mechanism)',
  },
  // The delivery log of e-mails and SMS (recipient addresses): 90 days is enough for retries and
  // complaints about delivery.
  sent_messages: {
    days: 90,
    min: 30,
    max: 730,
    action: 'erase',
    from: 'sending',
    basis: 'GDPR art. 5(1)(e); art. 32 (proof of delivery for a limited time)',
  },
  // Employment outcomes: kept 10 years for the certificates of employment status (C2 storico) and the
  // indicators, then erased.
  employment_outcomes: {
    days: 3650,
    min: 1825,
    max: 7300,
    action: 'erase',
    from: 'start of the employment',
    basis: 'D.Lgs. 150/2015 art. 13-14 (fascicolo elettronico del lavoratore); D.P.R. 445/2000',
  },
  // The audit log: at least 24 months (accountability, art. 5(2) GDPR; Garante's measures on
  // system logs). Never erased by this job.
  audit_log: {
    days: 3650,
    min: 730,
    max: 7300,
    action: 'keep',
    from: 'entry',
    basis:
      'GDPR art. 5(2) (accountability) and art. 30; Garante, provv. 27/11/2008 (log retention ≥ 6 months), Region policy 24 months minimum',
  },
} as const satisfies Record<string, CategoryPolicy>;

export type RetentionCategory = keyof typeof RETENTION_DEFAULTS;
export const RETENTION_CATEGORIES = Object.keys(RETENTION_DEFAULTS) as RetentionCategory[];
export type RetentionConfig = Record<RetentionCategory, CategoryPolicy>;

export function envName(category: RetentionCategory): string {
  return `RETENTION_${category.toUpperCase()}_DAYS`;
}

/** The periods in force: the defaults, each overridable by its environment variable within its bounds. */
export function loadRetentionConfig(env: Record<string, string | undefined> = process.env): RetentionConfig {
  const out = {} as RetentionConfig;
  for (const category of RETENTION_CATEGORIES) {
    const base: CategoryPolicy = { ...RETENTION_DEFAULTS[category] };
    const raw = env[envName(category)];
    if (raw !== undefined && raw.trim() !== '') {
      const value = raw.trim();
      const days = Number(value);
      if (!/^\d+$/.test(value) || days < base.min || days > base.max)
        throw new Error(
          `${envName(category)} must be a whole number of days between ${base.min} and ${base.max} (got "${value.slice(0, 20)}")`,
        );
      base.days = days;
    }
    out[category] = base;
  }
  return out;
}
