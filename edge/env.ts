/** @module env: the worker's bindings (wrangler.toml, .dev.vars.example) and what middleware sets on a request. */
import type { SiteRow } from './store/sites'
import type { IngestPacket, JobMessage } from './jobs/messages'

/**
 * The worker's bindings: those of wrangler.toml and the secrets of .dev.vars.example as
 * `wrangler types` declares them (worker-configuration.d.ts, `npm run env-types`; CI fails when
 * it is stale), with the queues' message types, and what wrangler.toml cannot declare.
 */
export interface Env extends Omit<Cloudflare.Env, 'INGEST' | 'JOBS'> {
  // As generated: DB, ASSETS, ARCHIVE (raw events as NDJSON), VISITORS (visitors' state: SHARDS
  // Durable Objects per site, state/visitors.ts), RATES (global rate-limit counters); the secrets
  // ADMIN_TOKEN (the team API's bearer token; unset, the team API is off) and ALERTS_ALLOW_HOSTS
  // (development only: hosts a webhook may point at although not public, webhook-target.ts).
  /** Accepted batches on their way to D1. */
  INGEST: Queue<IngestPacket>
  /** Daily exports and retention, one message per site. */
  JOBS: Queue<JobMessage>
  /** How long an isolate trusts its copy of a site (ms; default 2000). Tests set 0. */
  SITE_CACHE_MS?: string
  /** Seconds before the first retry of a failed alert, doubling after (default 10). Tests set 0. */
  ALERT_RETRY_BASE_S?: string
  /** How long one run of the maintenance job works before handing over to the next (ms; default 1000, jobs/maintain.ts). */
  JOBS_RUN_MS?: string
  /** Workers AI, when the deploy binds it (`[ai] binding = "AI"`): sentiment of written answers. */
  AI?: Ai
}

/** Who is calling a team endpoint: the admin token, or a site's scoped key. */
export type Caller = { kind: 'admin' } | { kind: 'key'; id: string; site: string; scopes: Scope[] }

/** What a site's API key may do. */
export type Scope = 'read' | 'manage' | 'erase'

export type App = {
  Bindings: Env
  Variables: {
    caller: Caller
    /** The site a team request names (?site=KEY or /sites/:key), once checked. */
    site: SiteRow
  }
}
