-- Every save of a site is kept as a version (the newest 20 per site), with who saved it and
-- when, so any one can be read back and restored.
CREATE TABLE IF NOT EXISTS site_versions (
  site TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  origins TEXT NOT NULL,
  config TEXT NOT NULL,
  settings TEXT NOT NULL,
  by TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (site, version)
) WITHOUT ROWID;
