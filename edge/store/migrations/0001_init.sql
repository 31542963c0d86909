-- Sites: the public key, the origins allowed to send, and the public config (JSON).
CREATE TABLE sites (
  key        TEXT PRIMARY KEY,
  name       TEXT NOT NULL DEFAULT '',
  origins    TEXT NOT NULL DEFAULT '[]',
  config     TEXT NOT NULL DEFAULT '{}',
  updated_at INTEGER NOT NULL DEFAULT 0
);

-- Events: (site, id) is the idempotency key. A retried event hits the primary key and is
-- counted as a duplicate; nothing is stored twice, ever.
CREATE TABLE events (
  site        TEXT NOT NULL,
  id          TEXT NOT NULL,
  visitor     TEXT NOT NULL,
  session     TEXT NOT NULL,
  type        TEXT NOT NULL,
  name        TEXT,
  url         TEXT NOT NULL,
  ts          INTEGER NOT NULL,      -- event time corrected for the client's clock skew
  client_ts   INTEGER NOT NULL,      -- event time as the client sent it
  received_at INTEGER NOT NULL,
  props       TEXT,                  -- JSON
  flags       INTEGER NOT NULL DEFAULT 0, -- bit 1: bot, bit 2: from the future
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
CREATE INDEX events_by_type ON events (site, type, ts);
CREATE INDEX events_by_visitor ON events (site, visitor, ts);

-- Visitors: one row per (site, visitor id); interests is a JSON map topic → score.
CREATE TABLE visitors (
  site       TEXT NOT NULL,
  id         TEXT NOT NULL,
  user_id    TEXT,
  traits     TEXT,
  interests  TEXT NOT NULL DEFAULT '{}',
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  PRIMARY KEY (site, id)
) WITHOUT ROWID;

-- What the snippets report they lost or dropped, per site and day, so loss is visible.
CREATE TABLE ingest_loss (
  site    TEXT NOT NULL,
  day     TEXT NOT NULL,
  evicted INTEGER NOT NULL DEFAULT 0,
  dropped INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day)
) WITHOUT ROWID;
