-- The lease of each site's maintenance chain (jobs/maintain.ts, store/leases.ts): the hourly Cron
-- Trigger starts a chain only where none holds a live lease, and each queue message of a chain is
-- a ticket for one run (`run`), so a second chain, or a message delivered twice, never runs beside
-- the one that holds it. A chain that died (its lease `until` passed) is started again.
CREATE TABLE maintain_leases (
  site  TEXT NOT NULL PRIMARY KEY,
  -- The chain holding the lease (a random id), and the number of its run to come.
  chain TEXT NOT NULL,
  run   INTEGER NOT NULL,
  -- Until when (ms): renewed by every run, freed when the chain ends.
  until INTEGER NOT NULL
) WITHOUT ROWID;
