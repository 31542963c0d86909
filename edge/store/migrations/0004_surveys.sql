-- Alerts for negative survey answers (issue 10): one row per answer, the webhook's delivery log.
-- status: pending (not tried yet), retrying (failed, will try again), delivered, failed (gave up
-- after 24 h). The body is kept as first built, so every retry sends the same bytes.
CREATE TABLE alerts (
  site         TEXT NOT NULL,
  id           TEXT NOT NULL,            -- the answer event's id: never two alerts for one answer
  survey       TEXT NOT NULL,
  visitor      TEXT NOT NULL,
  url          TEXT NOT NULL,
  reason       TEXT NOT NULL,
  answer       TEXT NOT NULL,            -- JSON: {q, kind, score | choice | choices | text}
  at           INTEGER NOT NULL,         -- when the answer was given
  created_at   INTEGER NOT NULL,
  status       TEXT NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_status  INTEGER,                  -- HTTP status of the last attempt (0: no answer)
  last_error   TEXT,
  next_at      INTEGER,
  delivered_at INTEGER,
  body         TEXT,
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
CREATE INDEX alerts_by_time ON alerts (site, created_at);
