/** Helpers for edge tests: a site, a batch, and requests through the real worker (SELF). */
import { SELF, env } from 'cloudflare:test'
import { putSite } from '../../edge/store/queries'
import type { Batch, WireEvent } from '../../snippet/core/wire'

export const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` }
export const ORIGIN = 'https://shop.example'

/** Storage is shared between the tests of a file: each test starts from an empty database. */
export async function emptyDb() {
  await env.DB.batch(['events', 'visitors', 'sites', 'ingest_loss'].map((t) => env.DB.prepare(`DELETE FROM ${t}`)))
}

export async function givenSite(key = 'acme', config = {}, origins = [ORIGIN]) {
  await putSite(env.DB, { key, name: key, origins, config }, Date.now())
  return key
}

let n = 0
export function event(over: Partial<WireEvent> = {}): WireEvent {
  return {
    id: `ev-${Date.now().toString(36)}-${++n}`,
    type: 'pageview',
    ts: Date.now(),
    url: 'https://shop.example/',
    ...over,
  }
}

export function batch(events: WireEvent[], over: Partial<Batch> = {}): Batch {
  return { site: 'acme', visitor: 'visitor-1', session: 'session-1', sentAt: Date.now(), events, ...over }
}

export function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return SELF.fetch(`https://edge.example${path}`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'text/plain', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export async function storedEvents(site = 'acme', query = '') {
  const r = await SELF.fetch(`https://edge.example/v1/admin/sites/${site}/events?limit=1000${query}`, {
    headers: ADMIN,
  })
  return (await r.json()) as {
    total: number
    events: { id: string; type: string; ts: number; clientTs: number; flags: number; props: any }[]
  }
}
