-- Ordered funnels from rollups (issue #23: ≤ 300 ms p95 at 90 days). A funnel step is a
-- pageview of a path pattern, a custom event or a `step`, and order needs each event's time:
-- read from raw events, a 90-day funnel took 845 ms in the bench. roll_hits keeps, per session,
-- day and device, the times of the events that can be a step, under one key per kind of event
-- ('page:' and the raw path, 'track:' and the name, 'step:' and funnel/step): a saved or an ad
-- hoc funnel reads the rows of its keys only (page patterns are matched against the keys'
-- paths), and stays exact, repeats within a session included. Filled by the job's rollDay
-- (store/rollup-tables.ts); outlives raw events as the other rollups do.
CREATE TABLE roll_hits (
  site    TEXT NOT NULL,
  day     INTEGER NOT NULL,
  key     TEXT NOT NULL,
  session TEXT NOT NULL,
  device  INTEGER NOT NULL,
  visitor TEXT NOT NULL,
  -- The first event's time (ms), and every event's, ascending, comma-separated (read as text,
  -- never parsed in SQL).
  at      INTEGER NOT NULL,
  times   TEXT NOT NULL,
  PRIMARY KEY (site, key, day, session, device)
) WITHOUT ROWID;
CREATE INDEX roll_hits_by_day ON roll_hits (site, day);

-- 1 once roll_hits holds the day. Days rolled up before this migration have NULL: the job fills
-- their rows from raw events (store/rollups.ts fillHits); until then ordered funnels read them raw.
ALTER TABLE roll_days ADD COLUMN hits INTEGER;
