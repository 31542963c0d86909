-- Insights scan a site's events by time and count types, visitors and sessions (overview,
-- trends, filters by device): this index answers those scans without reading the rows, so
-- props (the bulk of a row) stay unread. It starts with (site, ts), so it replaces events_by_ts.
CREATE INDEX events_insights ON events (site, ts, type, flags, visitor, session);
DROP INDEX events_by_ts;
-- Pages, entry pages, journeys and sources read pageviews only: their URL, visitor and session.
CREATE INDEX events_pageviews ON events (site, ts, flags, visitor, session, url) WHERE type = 'pageview';
