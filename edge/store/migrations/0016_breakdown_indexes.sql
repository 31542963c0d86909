-- Breakdowns over long windows (issue #27: ≤ 300 ms p95 at 90 days). Pageviews by source read
-- every session row with a pageview and the source of its session's first one in the window
-- (a window function over sessions): from roll_sessions' wide rows and a sort of them, 375 ms
-- p50 in the bench. These rows in (session, entry_ts) order, with the columns read, need
-- neither. A breakdown's people who viewed a page (its total) are counted from the same rows in
-- visitor order, without a sort. Partial: only rows with a pageview (entry_ts is set exactly
-- then). Built from the rows already there, so days rolled up before need nothing more.
CREATE INDEX roll_sessions_entries ON roll_sessions (site, session, entry_ts, day, device, visitor, source, pageviews)
  WHERE entry_ts IS NOT NULL;
CREATE INDEX roll_sessions_viewers ON roll_sessions (site, visitor, day, device, entry_ts) WHERE entry_ts IS NOT NULL;
