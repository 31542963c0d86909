-- Daily rollups the insights read for whole UTC days (issue #11, "fast at volume"). `day` is the
-- UTC day number (ts / 86400000). Every row keeps the session, visitor and device it counts, so
-- each segment filter (device, referrer, new/returning, named segment) applies to rollups as it
-- does to raw events and distinct counts over many days stay exact. Bots are left out
-- (roll_types counts them apart). A day is rolled up by the hourly job once it is over (and again
-- when late events arrive): its rows are deleted and recomputed in one transaction, so a replayed
-- batch (stored once, by (site, id)) or a second run never counts twice.

-- One row per session, day and device: the session list, entry page and source of each session.
CREATE TABLE roll_sessions (
  site         TEXT NOT NULL,
  day          INTEGER NOT NULL,
  session      TEXT NOT NULL,
  device       INTEGER NOT NULL,
  visitor      TEXT NOT NULL,
  events       INTEGER NOT NULL,
  pageviews    INTEGER NOT NULL,
  friction     INTEGER NOT NULL,
  -- The first pageview of the session that day (null: none): when, its path and source.
  entry_ts     INTEGER,
  entry        TEXT,
  source       TEXT,
  utm_source   TEXT,
  utm_medium   TEXT,
  utm_campaign TEXT,
  -- Events by type, as a JSON object (overview's counts under a segment filter).
  types        TEXT NOT NULL,
  -- For journeys: the last pageview's time, the first 30 pageviews' paths in order (JSON array),
  -- and per custom event name the pageviews before its first occurrence (JSON object).
  last_ts      INTEGER,
  pages        TEXT,
  goals        TEXT,
  -- NPS answers (survey_answer of kind nps with a score): how many, promoters (9–10), detractors (0–6).
  nps          INTEGER NOT NULL DEFAULT 0,
  promoters    INTEGER NOT NULL DEFAULT 0,
  detractors   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX roll_sessions_by_day ON roll_sessions (site, day);

-- Pageviews per raw path (no query, no fragment), session, day and device.
CREATE TABLE roll_pages (
  site      TEXT NOT NULL,
  day       INTEGER NOT NULL,
  path      TEXT NOT NULL,
  session   TEXT NOT NULL,
  device    INTEGER NOT NULL,
  visitor   TEXT NOT NULL,
  pageviews INTEGER NOT NULL
);
CREATE INDEX roll_pages_by_day ON roll_pages (site, day);

-- Funnel steps reached and stalls ('step' / 'stall'), per funnel, step, session, day and device.
CREATE TABLE roll_steps (
  site    TEXT NOT NULL,
  day     INTEGER NOT NULL,
  type    TEXT NOT NULL,
  funnel  TEXT NOT NULL,
  step    TEXT,
  session TEXT NOT NULL,
  device  INTEGER NOT NULL,
  visitor TEXT NOT NULL,
  events  INTEGER NOT NULL
);
CREATE INDEX roll_steps_by_day ON roll_steps (site, day);

-- Custom events (`track`) per name, session, day and device; their scalar props' values per day.
CREATE TABLE roll_tracks (
  site    TEXT NOT NULL,
  day     INTEGER NOT NULL,
  name    TEXT NOT NULL,
  session TEXT NOT NULL,
  device  INTEGER NOT NULL,
  visitor TEXT NOT NULL,
  events  INTEGER NOT NULL
);
CREATE INDEX roll_tracks_by_day ON roll_tracks (site, day);
CREATE TABLE roll_props (
  site   TEXT NOT NULL,
  day    INTEGER NOT NULL,
  name   TEXT NOT NULL,
  key    TEXT NOT NULL,
  value  TEXT,
  device INTEGER NOT NULL,
  events INTEGER NOT NULL
);
CREATE INDEX roll_props_by_day ON roll_props (site, day);

-- Events per type, day and device, bots included (bot = 1) so the overview can count them apart.
CREATE TABLE roll_types (
  site   TEXT NOT NULL,
  day    INTEGER NOT NULL,
  type   TEXT NOT NULL,
  device INTEGER NOT NULL,
  bot    INTEGER NOT NULL,
  events INTEGER NOT NULL
);
CREATE INDEX roll_types_by_day ON roll_types (site, day);

-- Days rolled up (and when), and how far late arrivals have been looked for (received_at).
CREATE TABLE roll_days (
  site TEXT NOT NULL,
  day  INTEGER NOT NULL,
  at   INTEGER NOT NULL,
  PRIMARY KEY (site, day)
) WITHOUT ROWID;
CREATE TABLE roll_marks (
  site     TEXT PRIMARY KEY,
  received INTEGER NOT NULL
) WITHOUT ROWID;
