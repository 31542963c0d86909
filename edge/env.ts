/** @module env: the worker's bindings (wrangler.toml, .dev.vars) and what middleware sets on a request. */
import type { VisitorShard } from './state/visitors'
import type { RateCounter } from './state/rate'
import type { SiteRow } from './store/sites'
import type { IngestPacket, JobMessage } from './jobs/messages'

export interface Env {
  DB: D1Database
  ASSETS: Fetcher
  /** Visitors' state: SHARDS Durable Objects per site (state/visitors.ts). */
  VISITORS: DurableObjectNamespace<VisitorShard>
  /** Accepted batches on their way to D1. */
  INGEST: Queue<IngestPacket>
  /** Daily exports and retention, one message per site. */
  JOBS: Queue<JobMessage>
  /** Raw events exported as NDJSON. */
  ARCHIVE: R2Bucket
  /** Global rate-limit counters, one per counted key. */
  RATES: DurableObjectNamespace<RateCounter>
  /** Bearer token for everything a site's team can do, on every site (a Worker secret). */
  ADMIN_TOKEN?: string
  /** How long an isolate trusts its copy of a site (ms; default 2000). Tests set 0. */
  SITE_CACHE_MS?: string
  /** Workers AI, when the deploy binds it (`[ai] binding = "AI"`): sentiment of written answers. */
  AI?: Ai
  /** Seconds before the first retry of a failed alert, doubling after (default 10). Tests set 0. */
  ALERT_RETRY_BASE_S?: string
  /**
   * Development only, never on a deployed worker: hosts a webhook may point at although they are
   * not public, over http too (a test receiver on 127.0.0.1). Comma separated (webhook-target.ts).
   */
  ALERTS_ALLOW_HOSTS?: string
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
