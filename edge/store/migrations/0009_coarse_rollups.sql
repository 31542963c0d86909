-- Coarser rollups for long windows (issue #11: ≤ 300 ms p95 at 90 days). The session-level rows
-- of 0008 stay (every filter reads them); these answer the unfiltered and device-filtered
-- insights without grouping a row per session. Kept by the same job, in the same transaction,
-- as a recount of the day (store/rollups.ts). `device` -1 is every device together (a visitor
-- seen on two devices in a day counts once there).

-- Per day and device: distinct visitors and sessions that day, pageviews, friction, NPS answers.
CREATE TABLE roll_totals (
  site       TEXT NOT NULL,
  day        INTEGER NOT NULL,
  device     INTEGER NOT NULL,
  visitors   INTEGER NOT NULL,
  sessions   INTEGER NOT NULL,
  pageviews  INTEGER NOT NULL,
  friction   INTEGER NOT NULL,
  nps        INTEGER NOT NULL,
  promoters  INTEGER NOT NULL,
  detractors INTEGER NOT NULL
);
CREATE INDEX roll_totals_by_day ON roll_totals (site, day);

-- Per day and device: distinct visitors who reached each funnel step (trends' conversions).
CREATE TABLE roll_funnel_days (
  site     TEXT NOT NULL,
  day      INTEGER NOT NULL,
  device   INTEGER NOT NULL,
  funnel   TEXT NOT NULL,
  step     TEXT,
  visitors INTEGER NOT NULL
);
CREATE INDEX roll_funnel_days_by_day ON roll_funnel_days (site, day);

-- Pageviews per raw path, day and device: the top paths of a window, whose names the rules of
-- settings.paths give, without the session rows of roll_pages.
CREATE TABLE roll_paths (
  site      TEXT NOT NULL,
  day       INTEGER NOT NULL,
  path      TEXT NOT NULL,
  device    INTEGER NOT NULL,
  pageviews INTEGER NOT NULL
);
CREATE INDEX roll_paths_by_day ON roll_paths (site, day);

-- Distinct visitors and sessions over a long window: read in visitor (session) order, so that
-- grouping needs no sort of the window's rows.
CREATE INDEX roll_sessions_by_visitor ON roll_sessions (site, visitor, day, device);
CREATE INDEX roll_sessions_by_session ON roll_sessions (site, session, day, device);
-- A funnel's goal step over a window, without reading the other steps.
CREATE INDEX roll_steps_by_step ON roll_steps (site, type, funnel, step, day, visitor, device);

-- The days already rolled up get their rows from the session-level rollups (the same counts a
-- recount of their events gives, as long as those events are kept).
INSERT INTO roll_totals (site, day, device, visitors, sessions, pageviews, friction, nps, promoters, detractors)
SELECT site, day, device, count(DISTINCT visitor), count(*), sum(pageviews), sum(friction), sum(nps), sum(promoters),
  sum(detractors)
FROM roll_sessions GROUP BY site, day, device
UNION ALL
SELECT site, day, -1, count(DISTINCT visitor), count(DISTINCT session), sum(pageviews), sum(friction), sum(nps),
  sum(promoters), sum(detractors)
FROM roll_sessions GROUP BY site, day;

INSERT INTO roll_paths (site, day, path, device, pageviews)
SELECT site, day, path, device, sum(pageviews) FROM roll_pages GROUP BY site, day, path, device;

INSERT INTO roll_funnel_days (site, day, device, funnel, step, visitors)
SELECT site, day, device, funnel, step, count(DISTINCT visitor) FROM roll_steps WHERE type = 'step'
GROUP BY site, day, device, funnel, step
UNION ALL
SELECT site, day, -1, funnel, step, count(DISTINCT visitor) FROM roll_steps WHERE type = 'step'
GROUP BY site, day, funnel, step;

-- Journeys' newest sessions of a window, read newest first.
CREATE INDEX roll_sessions_by_last ON roll_sessions (site, last_ts, day, device, session);
