-- Visitors by the user they were identified as (erasure requests come by user id), and the
-- most recent visitors first (the dashboard's list).
CREATE INDEX visitors_by_user ON visitors (site, user_id);
CREATE INDEX visitors_by_last_seen ON visitors (site, last_seen);
