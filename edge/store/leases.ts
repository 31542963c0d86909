/**
 * @module store/leases: the lease of a site's maintenance chain (jobs/maintain.ts; migration
 * 0017). A chain is a run of the job that sends itself again while work remains. The Cron Trigger
 * starts one where no chain holds a live lease; a chain's queue message is a ticket for one run
 * (its number), taken once: a message delivered twice, or one of a chain whose lease another has
 * taken since, runs nothing. So two runs of a site's upkeep never overlap (none rolls up or names
 * a day while another does), and a chain that died (its lease expired: a run renews it) is
 * started again by the next tick.
 */

/** A run of a chain: the chain's id and the run's number (0 for its first). */
export interface Ticket {
  chain: string
  run: number
}

/**
 * How long a lease lasts without a run renewing it: above the longest a queue consumer may run
 * (15 minutes of wall time on Cloudflare), so a chain never loses its lease while a run is still
 * going; below the hour between Cron ticks, so the next tick restarts a dead chain.
 */
export const LEASE_MS = 20 * 60_000

/**
 * Starts a chain for each of `sites` whose lease is free, or expired at `now`: the sites started,
 * each with its first ticket. `id` names a new chain.
 */
export async function startChains(
  db: D1Database,
  sites: string[],
  now: number,
  id: () => string = () => crypto.randomUUID(),
): Promise<Map<string, Ticket>> {
  const started = new Map<string, Ticket>()
  if (!sites.length) return started
  const results = await db.batch<{ chain: string }>(
    sites.map((site) =>
      db
        .prepare(
          `INSERT INTO maintain_leases (site, chain, run, until) VALUES (?1, ?2, 0, ?3)
           ON CONFLICT (site) DO UPDATE SET chain = excluded.chain, run = 0, until = excluded.until
             WHERE maintain_leases.until <= ?4
           RETURNING chain`,
        )
        .bind(site, id(), now + LEASE_MS, now),
    ),
  )
  results.forEach((r, i) => {
    const chain = r.results[0]?.chain
    if (chain) started.set(sites[i]!, { chain, run: 0 })
  })
  return started
}

/**
 * Takes the ticket's run: true when the chain holds the site's lease and this run is its next
 * (the lease is then renewed from `now` and the next run's number set), false otherwise.
 */
export async function claimRun(db: D1Database, site: string, t: Ticket, now: number): Promise<boolean> {
  const r = await db
    .prepare('UPDATE maintain_leases SET run = run + 1, until = ?4 WHERE site = ?1 AND chain = ?2 AND run = ?3')
    .bind(site, t.chain, t.run, now + LEASE_MS)
    .run()
  return r.meta.changes === 1
}

/** Gives a claimed run back (it failed: its message comes again, and takes it again). */
export async function unclaimRun(db: D1Database, site: string, t: Ticket): Promise<void> {
  await db
    .prepare('UPDATE maintain_leases SET run = ?3 WHERE site = ?1 AND chain = ?2 AND run = ?3 + 1')
    .bind(site, t.chain, t.run)
    .run()
}

/** Ends the chain after its claimed run `t`: the lease is free for the next tick. */
export async function endChain(db: D1Database, site: string, t: Ticket): Promise<void> {
  await db
    .prepare('DELETE FROM maintain_leases WHERE site = ?1 AND chain = ?2 AND run = ?3 + 1')
    .bind(site, t.chain, t.run)
    .run()
}
