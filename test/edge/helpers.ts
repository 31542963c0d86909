/** Helpers for edge tests: a site, a batch, requests through the real worker (SELF), and waiting for the queue. */
import { SELF, env, listDurableObjectIds, runInDurableObject, abortAllDurableObjects } from 'cloudflare:test'
import { putSite } from '../../edge/store/sites'
import { maintain } from '../../edge/jobs/maintain'
import { answersToScore } from '../../edge/store/analysis'
import { SCORER } from '../../edge/domain/text/analyse'
import type { Settings } from '../../edge/domain/site'
import type { VisitorShard } from '../../edge/state/visitors'
import type { Batch, SiteConfig, WireEvent } from '../../snippet/contract/wire'
import { CRAWLER_UA, DESKTOP_UA, PHONE_UA } from '../user-agents'

export const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` }
export const ORIGIN = 'https://shop.example'

const TABLES = [
  'events',
  'visitors',
  'sites',
  'site_versions',
  'ingest_loss',
  'identities',
  'links',
  'erased',
  'usage',
  'api_keys',
  'saved_views',
  'auth_failures',
  'exports',
  'alerts',
  'answer_analysis',
  'propensity_models',
  'churn_models',
  'roll_sessions',
  'roll_pages',
  'roll_steps',
  'roll_tracks',
  'roll_props',
  'roll_types',
  'roll_totals',
  'roll_funnel_days',
  'roll_paths',
  'roll_page_days',
  'roll_entries',
  'roll_hits',
  'roll_days',
  'roll_marks',
  'maintain_leases',
]

/**
 * Storage is shared between the tests of a file: each test starts from an empty database and
 * no visitor state (after what earlier tests queued has landed).
 */
export async function emptyDb() {
  await drained()
  await env.DB.batch(TABLES.map((t) => env.DB.prepare(`DELETE FROM ${t}`)))
  for (const ns of [env.VISITORS, env.RATES] as unknown as DurableObjectNamespace[])
    for (const id of await listDurableObjectIds(ns))
      await runInDurableObject(ns.get(id), async (_, state) => {
        await state.storage.deleteAlarm()
        await state.storage.deleteAll()
      })
  await abortAllDurableObjects()
}

export async function givenSite(key = 'acme', config: SiteConfig = {}, origins = [ORIGIN], settings: Settings = {}) {
  await putSite(env.DB, { key, name: key, origins, config, settings }, Date.now())
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
  // A page makes its own session ids: by default each visitor's is theirs (rollups count a session as one person's).
  const visitor = over.visitor ?? 'visitor-1'
  return { site: 'acme', visitor, session: `session-of-${visitor}`, sentAt: Date.now(), events, ...over }
}

let address = 0
/**
 * POSTs like a page would. Each call comes from its own client address, so tests never share
 * a rate-limit bucket by accident (the rate limit tests name their addresses).
 */
export function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const ip = `198.51.${(++address >> 8) & 255}.${address & 255}`
  return SELF.fetch(`https://edge.example${path}`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'text/plain', 'cf-connecting-ip': ip, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** Polls until check() stops throwing (or 10 s pass, then throws its last error). */
export async function until<T>(check: () => Promise<T>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    try {
      return await check()
    } catch (e) {
      if (Date.now() > end) throw e
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

let markers = 0
/**
 * Waits until everything accepted so far has been written to D1: the visitor shards send their
 * outboxes now (instead of at their alarm), and the local queue delivers in order, one batch at
 * a time, so once a marker sent after them is stored, all before it are too.
 */
export async function drained() {
  for (const id of await listDurableObjectIds(env.VISITORS))
    await runInDurableObject(env.VISITORS.get(id), (shard) => (shard as unknown as VisitorShard).flush())
  const id = `marker-${++markers}`
  await env.INGEST.send({
    batches: [
      {
        site: '~drain',
        visitor: 'marker',
        session: 'marker',
        receivedAt: Date.now(),
        rows: JSON.stringify([{ id, type: 'marker', url: 'about:blank', ts: 1, clientTs: 1, flags: 0 }]),
        fresh: 0,
      },
    ],
  })
  await until(async () => {
    const row = await env.DB.prepare("SELECT 1 AS ok FROM events WHERE site = '~drain' AND id = ?").bind(id).first()
    if (!row) throw new Error('the ingest queue has not delivered yet')
  }, 60_000)
  await env.DB.prepare("DELETE FROM events WHERE site = '~drain'").run()
}

/**
 * Waits until every written survey answer accepted so far has been scored (jobs/score.ts: the
 * ingest consumer sends them to the jobs queue once they are in D1).
 */
export async function scored(site = 'acme') {
  await drained()
  await until(async () => {
    const left = await answersToScore(env.DB, site, {
      version: SCORER.version,
      limit: 1,
      receivedBefore: Number.MAX_SAFE_INTEGER,
    })
    if (left.length) throw new Error(`answer ${left[0]!.id} is not scored yet`)
  }, 30_000)
}

/** Events as the admin API reads them back, once the queue has delivered. */
export async function storedEvents(site = 'acme', query = '') {
  await drained()
  const r = await SELF.fetch(`https://edge.example/v1/admin/sites/${site}/events?limit=1000${query}`, {
    headers: ADMIN,
  })
  return (await r.json()) as {
    total: number
    events: { id: string; visitor: string; type: string; ts: number; clientTs: number; flags: number; props: any }[]
  }
}

export { random } from '../random'
export { DESKTOP_UA, PHONE_UA, CRAWLER_UA }

/** Headers of a request from a person's desktop browser, a person's phone, and a crawler. */
export const DESKTOP = { 'user-agent': DESKTOP_UA }
export const PHONE = { 'user-agent': PHONE_UA }
export const CRAWLER = { 'user-agent': CRAWLER_UA }

/** Runs the hourly job for `site` until it has nothing left to do, as if at `now`. */
export async function runJob(now: number, site = 'acme') {
  for (let i = 0; i < 20; i++) if (!(await maintain(env, site, now)).more) return
  throw new Error('the job did not finish')
}

/** The day after the last day of `site` rolled up. */
export const rolledTo = async (site = 'acme') =>
  ((await env.DB.prepare('SELECT max(day) AS d FROM roll_days WHERE site = ?').bind(site).first<{ d: number }>())?.d ??
    -1) + 1
