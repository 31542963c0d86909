-- Private settings (retention, quota, identity verification), the site's secret (identity
-- hashes), and a version that every save increments (isolates cache sites by it).
ALTER TABLE sites ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE sites ADD COLUMN secret TEXT;
ALTER TABLE sites ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- The visitor's profile as its Durable Object last reported it (the team's lists read it here).
ALTER TABLE visitors ADD COLUMN profile TEXT;
ALTER TABLE visitors ADD COLUMN sessions INTEGER NOT NULL DEFAULT 0;

-- Every user a visitor was ever identified as (erasure by user finds every device through it).
CREATE TABLE identities (
  site    TEXT NOT NULL,
  user_id TEXT NOT NULL,
  visitor TEXT NOT NULL,
  at      INTEGER NOT NULL,
  PRIMARY KEY (site, user_id, visitor)
) WITHOUT ROWID;
CREATE INDEX identities_by_visitor ON identities (site, visitor);
INSERT OR IGNORE INTO identities (site, user_id, visitor, at)
  SELECT site, user_id, id, last_seen FROM visitors WHERE user_id IS NOT NULL;
INSERT OR IGNORE INTO identities (site, user_id, visitor, at)
  SELECT site, name, visitor, ts FROM events WHERE type = 'identify' AND name IS NOT NULL;

-- A cookieless page's id (alias) linked by a `consent` event to the visitor it became.
CREATE TABLE links (
  site    TEXT NOT NULL,
  alias   TEXT NOT NULL,
  visitor TEXT NOT NULL,
  PRIMARY KEY (site, alias)
) WITHOUT ROWID;
CREATE INDEX links_by_visitor ON links (site, visitor);
INSERT OR IGNORE INTO links (site, alias, visitor)
  SELECT site, json_extract(props, '$.from'), visitor FROM events
  WHERE type = 'consent' AND json_extract(props, '$.from') IS NOT NULL;

-- Tombstones: visitors erased on request. Their replayed events are acknowledged, not stored.
CREATE TABLE erased (
  site    TEXT NOT NULL,
  visitor TEXT NOT NULL,
  at      INTEGER NOT NULL,
  PRIMARY KEY (site, visitor)
) WITHOUT ROWID;

-- Events stored per site and day (the quota), and requests refused for quota or rate.
CREATE TABLE usage (
  site    TEXT NOT NULL,
  day     TEXT NOT NULL,
  events  INTEGER NOT NULL DEFAULT 0,
  refused INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day)
) WITHOUT ROWID;

-- Events the worker refused one by one as bad input (the rest of their batch was stored).
ALTER TABLE ingest_loss ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0;

-- Per-site API keys: the secret is shown once and stored only as its SHA-256.
CREATE TABLE api_keys (
  id         TEXT PRIMARY KEY,
  site       TEXT NOT NULL,
  name       TEXT NOT NULL,
  hash       TEXT NOT NULL,
  scopes     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  used_at    INTEGER
);
CREATE INDEX api_keys_by_site ON api_keys (site);

-- Failed team authentication per site (or '' when no site was named) and day.
CREATE TABLE auth_failures (
  site TEXT NOT NULL,
  day  TEXT NOT NULL,
  n    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day)
) WITHOUT ROWID;

-- Daily rollups by event time, kept when raw events age out: per site, day, type and name.
-- A day is rolled up once, two days after it ends (late events of the outbox included).
CREATE TABLE daily (
  site     TEXT NOT NULL,
  day      TEXT NOT NULL,
  type     TEXT NOT NULL,
  name     TEXT NOT NULL DEFAULT '',
  events   INTEGER NOT NULL,
  visitors INTEGER NOT NULL,
  sessions INTEGER NOT NULL,
  PRIMARY KEY (site, day, type, name)
) WITHOUT ROWID;

CREATE TABLE rollups (
  site TEXT NOT NULL,
  day  TEXT NOT NULL,
  at   INTEGER NOT NULL,
  PRIMARY KEY (site, day)
) WITHOUT ROWID;

-- R2 exports by the day events were received (a received day never changes once over):
-- progress (parts written, the last event written) and whether the day is complete.
CREATE TABLE exports (
  site      TEXT NOT NULL,
  day       TEXT NOT NULL,
  parts     INTEGER NOT NULL DEFAULT 0,
  events    INTEGER NOT NULL DEFAULT 0,
  after_at  INTEGER NOT NULL DEFAULT 0,
  after_id  TEXT NOT NULL DEFAULT '',
  done      INTEGER NOT NULL DEFAULT 0,
  at        INTEGER NOT NULL,
  PRIMARY KEY (site, day)
) WITHOUT ROWID;

-- Exports and retention scan by the time events were received.
CREATE INDEX events_by_received ON events (site, received_at);
-- Rollups and the insights' time windows scan a site's events by event time.
CREATE INDEX events_by_ts ON events (site, ts);
