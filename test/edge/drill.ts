/**
 * What the drill-down tests (drill-down*.test.ts) share: a seeded site made ready to read, people's
 * sessions and a crawler's, every page of a visitors list, and the drill-downs refused.
 */
import { expect } from 'vitest'
import { SELF } from 'cloudflare:test'
import { ADMIN, CRAWLER, DESKTOP, PHONE, batch, emptyDb, givenSite, post, runJob, scored, drained } from './helpers'
import type { Batch, SiteConfig, WireEvent } from '../../snippet/contract/wire'

export const DAY = 86_400_000
export const MIN = 60_000

/**
 * A fresh site `acme` with `config`, seeded by `seed`; then everything sent is stored (and any
 * written answer scored), the closed days rolled up as at `now`, and today left to raw events.
 */
export async function seeded(config: SiteConfig, now: number, seed: () => Promise<void>) {
  await emptyDb()
  await givenSite('acme', config)
  await seed()
  await scored()
  await runJob(now)
  await drained()
}

/**
 * When a seeded visitor's visit `k` happens, in the `span` days up to `now`: a day `d` days ago
 * (visit 0 of every fifth visitor today), at a random time of it; null for a time still to come.
 */
export function visitTime(rand: () => number, i: number, k: number, span: number, now: number) {
  const today = Math.floor(now / DAY) * DAY
  const d = k === 0 && i % 5 === 0 ? 0 : Math.floor(rand() * span)
  const start = today - d * DAY + MIN
  const at = Math.min(start + Math.floor(rand() * (DAY - 2 * MIN)), now - MIN)
  return at < start ? null : { d, at }
}

/** Sends one session's events as a person's phone or desktop browser would; the worker takes them. */
export async function send(
  events: WireEvent[],
  to: Partial<Batch>,
  o: { phone?: boolean; headers?: Record<string, string> } = {},
) {
  const r = await post('/v1/events', batch(events, to), { ...(o.phone ? PHONE : DESKTOP), ...o.headers })
  expect(r.status).toBe(200)
}

/** A crawler's session (visitor `crawler`): counted nowhere, listed nowhere. */
export async function crawl(events: WireEvent[]) {
  const r = await post('/v1/events', batch(events, { visitor: 'crawler', session: 'crawler-1' }), CRAWLER)
  expect(r.status).toBe(200)
}

/** An admin read that must succeed: its JSON. */
export async function get(path: string) {
  const r = await SELF.fetch(`https://edge.example${path}`, { headers: ADMIN })
  expect(r.status, path).toBe(200)
  return (await r.json()) as any
}

/**
 * Every page of the visitors list of `query` on `acme`, `limit` at a time, following `next`: the
 * ids (sorted; none twice, never the crawler, no page longer than `limit`) and the distinct
 * `total`s and `measure`s of its pages (one each, when the pages agree).
 */
export async function allPages(query: string, limit = 200) {
  const ids: string[] = []
  const totals = new Set<number>()
  const measures = new Set<number | null>()
  let offset: number | null = 0
  for (let pages = 0; offset !== null; pages++) {
    expect(pages, 'pages end').toBeLessThan(100)
    const page = await get(`/v1/insights/visitors?site=acme${query}&limit=${limit}&offset=${offset}`)
    expect(page.visitors.length).toBeLessThanOrEqual(limit)
    ids.push(...page.visitors.map((v: any) => v.id))
    totals.add(page.total)
    measures.add(page.measure)
    offset = page.next
  }
  expect(new Set(ids).size, `each once: ${query}`).toBe(ids.length)
  expect(ids).not.toContain('crawler')
  return { ids: ids.sort(), totals: [...totals], measures: [...measures] }
}

/** Each drill-down query on `acme` is refused with a 400 whose error (or its `path`) names the parameter. */
export async function expectRefused(cases: (readonly [query: string, parameter: string])[]) {
  for (const [query, parameter] of cases) {
    const r = await SELF.fetch(`https://edge.example/v1/insights/visitors?site=acme${query}`, { headers: ADMIN })
    expect(r.status, query).toBe(400)
    const body = (await r.json()) as any
    expect(typeof body.error, query).toBe('string')
    expect(body.path ?? body.error, query).toContain(parameter)
  }
}
