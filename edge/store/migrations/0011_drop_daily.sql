-- The first rollups (0003): `daily` (events, visitors, sessions per day, type and name) and its
-- marks (`rollups`). Nothing reads them since the insights' rollups (0008–0010) count every day
-- they counted, and their job held retention back two days. Dropped with their writer.
DROP TABLE daily;
DROP TABLE rollups;
