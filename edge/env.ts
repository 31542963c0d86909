/** @module env: the worker's bindings, as wrangler.toml and .dev.vars declare them. */
export interface Env {
  DB: D1Database
  ASSETS: Fetcher
  /** Bearer token for /v1/admin, /v1/insights and /v1/visitors (a Worker secret). */
  ADMIN_TOKEN?: string
}

export type App = { Bindings: Env }
