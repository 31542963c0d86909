-- Saved views (issue #27): a team names what the dashboard shows (its URL state without the site,
-- domain/saved-views.ts) and opens it again later. Per site; a name once per site.
CREATE TABLE saved_views (
  site       TEXT NOT NULL,
  id         TEXT NOT NULL,
  name       TEXT NOT NULL,
  -- The state as JSON, as validated when saved.
  state      TEXT NOT NULL,
  -- Who saved it: 'admin' or 'key:<id>'.
  by         TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX saved_views_by_name ON saved_views (site, name);
