-- What each written survey answer says (issue 25): scored once, when the answer reaches D1, by the
-- jobs queue (jobs/score.ts), never when the insights are read. One row per answer event, kept
-- while the event is (erasure deletes a visitor's; retention the rows whose event it deleted).
-- `scorer` is what gave the label (the offline scorer, or a Workers AI model); `version` the
-- offline scorer's (edge/domain/text/analyse.ts SCORER.version), which made the language, topics
-- and themes: rows of another version are scored again. `fallback` says why the offline scorer
-- stood in for Workers AI on this answer (NULL when it did not).
CREATE TABLE answer_analysis (
  site      TEXT NOT NULL,
  id        TEXT NOT NULL,            -- the answer event's id
  visitor   TEXT NOT NULL,
  survey    TEXT NOT NULL,
  ts        INTEGER NOT NULL,         -- the answer's time (as events.ts)
  lang      TEXT NOT NULL,
  label     TEXT NOT NULL,            -- positive | neutral | negative
  score     REAL NOT NULL,            -- -1 .. 1
  topics    TEXT NOT NULL,            -- JSON array of topics
  themes    TEXT NOT NULL,            -- JSON array of normalised themes
  scorer    TEXT NOT NULL,
  version   INTEGER NOT NULL,
  fallback  TEXT,
  scored_at INTEGER NOT NULL,
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
CREATE INDEX answer_analysis_by_time ON answer_analysis (site, ts);
