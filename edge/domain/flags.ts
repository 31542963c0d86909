/** @module flags: bits of a stored event's `flags` column. */
export const FLAG = {
  /** A crawler, a headless browser or `navigator.webdriver`: stored, left out of insights. */
  bot: 1,
  /** Claims to come from more than 23 h after it was sent. */
  future: 2,
  /** An identify without a valid hash on a site that verifies identities: stored, links nothing. */
  unverified: 4,
  /** A survey answer without a valid signed offer of the worker: stored, left out of NPS and CSAT. */
  unsigned: 8,
  /** Sent by a phone's browser (by its user agent): the dashboard's device filter. */
  mobile: 16,
  /** Sent by a tablet's browser. Neither bit: a desktop (or an unknown device). */
  tablet: 32,
  /**
   * A signed survey answer that does not count (domain/answers.ts): not the visitor's first to
   * its question with that offer or within the survey's re-ask period, or to no question of the
   * survey. Stored, left out of NPS and CSAT, never alerting.
   */
  extra: 64,
} as const

/** Survey answers with either bit are left out of every score (NPS, CSAT) and never alert. */
export const UNCOUNTED = FLAG.unsigned | FLAG.extra
