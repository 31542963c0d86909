/** Seeds a running worker with known traffic through its public API, as pages would send it. */
import { expect } from 'vitest'
import { allowOrigin, eventually, storedEvents, type Edge } from './harness'
import { CRAWLER_UA, DESKTOP_UA, PHONE_UA } from '../user-agents'

export const SHOP = 'https://shop.example'

export interface SeedEvent {
  type: string
  url?: string
  name?: string
  props?: Record<string, unknown>
  /** Milliseconds before now (default: now). */
  ago?: number
  /** A survey answer's signed offer (domain/offers.ts). */
  hash?: string
}

let n = 0
/** Sends one visitor's events in one batch, as a person's browser (or a phone's) would. */
export async function visit(
  edge: Edge,
  site: string,
  visitor: string,
  events: SeedEvent[],
  o: { session?: string; phone?: boolean; bot?: boolean } = {},
) {
  const now = Date.now()
  const body = {
    site,
    visitor,
    session: o.session ?? `s-${visitor}`,
    sentAt: now,
    events: events.map((e) => ({
      id: `seed-${now.toString(36)}-${++n}`,
      type: e.type,
      ts: now - (e.ago ?? 0),
      url: e.url ?? `${SHOP}/`,
      ...(e.name !== undefined && { name: e.name }),
      ...(e.props !== undefined && { props: e.props }),
      ...(e.hash !== undefined && { hash: e.hash }),
    })),
  }
  const r = await fetch(`${edge.origin}/v1/events`, {
    method: 'POST',
    headers: {
      origin: SHOP,
      'content-type': 'text/plain',
      'user-agent': o.bot ? CRAWLER_UA : o.phone ? PHONE_UA : DESKTOP_UA,
    },
    body: JSON.stringify(body),
  })
  if (!r.ok) throw new Error(`seeding failed: ${r.status} ${await r.text()}`)
}

/** Lets the shop's origin send events to `site` (an existing one), or creates `site` with `config`. */
export async function shopSite(edge: Edge, site = 'demo', config?: unknown) {
  if (config !== undefined) {
    const r = await fetch(`${edge.origin}/v1/admin/sites/${site}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${edge.token}` },
      body: JSON.stringify({ name: site, origins: [SHOP], config: config ?? {} }),
    })
    if (!r.ok) throw new Error(`could not create ${site}: ${await r.text()}`)
  } else await allowOrigin(edge, SHOP, site)
}

/** Waits (up to `ms`) until the worker has stored `total` events of `site` (those `query` selects): the seed is in. */
export const untilStored = (edge: Edge, site: string, total: number, o: { query?: string; ms?: number } = {}) =>
  eventually(async () => expect((await storedEvents(edge, site, o.query)).total).toBe(total), o.ms)

/** The site's secrets: `secret` signs survey offers (domain/offers.ts), `webhookSecret` its webhooks' bodies. */
export async function secretsOf(edge: Edge, site: string): Promise<{ secret: string; webhookSecret: string }> {
  const r = await fetch(`${edge.origin}/v1/admin/sites/${site}/secret`, {
    headers: { authorization: `Bearer ${edge.token}` },
  })
  return r.json() as Promise<{ secret: string; webhookSecret: string }>
}
