-- Named rollups (issue #11: ≤ 300 ms p95 at 90 days for top pages, entry pages and sources).
-- Top pages counted distinct visitors per page from every (raw path, visitor) of the window and
-- then named the paths by the site's rules (settings.paths): two sorts of every row. These
-- tables hold rows already named, so that a covering index reads them in (page, visitor) order.
-- They are derived from roll_pages and roll_sessions (not from raw events: rules can change
-- after retention deleted a day's events) by the job right after it rolls a day up
-- (store/named.ts). roll_days.paths is the rules' key they were named under: a day whose key
-- is not the site's current one is read the old way until the job names it again.
ALTER TABLE roll_days ADD COLUMN paths TEXT;

-- Pageviews per page (named), day, device and visitor (roll_pages without the session).
CREATE TABLE roll_page_days (
  site      TEXT NOT NULL,
  day       INTEGER NOT NULL,
  page      TEXT NOT NULL,
  device    INTEGER NOT NULL,
  visitor   TEXT NOT NULL,
  pageviews INTEGER NOT NULL
);
CREATE INDEX roll_page_days_by_day ON roll_page_days (site, day);
CREATE INDEX roll_page_days_by_page ON roll_page_days (site, page, visitor, day, device, pageviews);

-- The entry columns of roll_sessions (rows with a pageview), the entry named, and `lead`: 1 on
-- the row holding the session's first pageview of all its rows (by entry_ts, then day, then
-- device). A session's source and entry page in a window are those of its first pageview in
-- the window: its lead row, unless that lies before the window (read apart, few).
CREATE TABLE roll_entries (
  site         TEXT NOT NULL,
  day          INTEGER NOT NULL,
  session      TEXT NOT NULL,
  device       INTEGER NOT NULL,
  visitor      TEXT NOT NULL,
  entry_ts     INTEGER NOT NULL,
  page         TEXT NOT NULL,
  source       TEXT NOT NULL,
  utm_source   TEXT,
  utm_medium   TEXT,
  utm_campaign TEXT,
  lead         INTEGER NOT NULL
);
CREATE INDEX roll_entries_by_day ON roll_entries (site, day);
CREATE INDEX roll_entries_by_session ON roll_entries (site, session, day, lead, device);
-- The rows that are not their session's first (sessions running past midnight): few.
CREATE INDEX roll_entries_follow ON roll_entries (site, day) WHERE lead = 0;
CREATE INDEX roll_entries_by_page ON roll_entries (site, lead, page, visitor, day, device);
CREATE INDEX roll_entries_by_source ON roll_entries (site, lead, source, visitor, day, device, session, page);
CREATE INDEX roll_entries_by_campaign ON roll_entries (site, lead, utm_source, utm_medium, utm_campaign, visitor, day, device)
  WHERE utm_source IS NOT NULL;

-- The names the rules give the raw paths of named days (only paths they rename), under each
-- rules' key: a segment's top pages name the raw paths of its sessions' roll_pages rows by it.
CREATE TABLE roll_names (
  site TEXT NOT NULL,
  key  TEXT NOT NULL,
  path TEXT NOT NULL,
  page TEXT NOT NULL,
  PRIMARY KEY (site, key, path)
) WITHOUT ROWID;
-- A segment's sessions' pages, found by session (covering: 116 → 80 ms for a referrer's
-- 18,000 sessions of 90 days in the bench, at the cost of a second copy of roll_pages' columns).
CREATE INDEX roll_pages_by_session ON roll_pages (site, session, day, device, path, visitor, pageviews);
