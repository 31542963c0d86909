/**
 * @module routes/events: `POST /v1/events`, the ingest path.
 *
 * One batch costs one call to the Durable Object holding its visitor's state (state/visitors.ts):
 * which events are new, the profile brought up to date, and the batch kept there until it goes
 * to the ingest queue (and D1) with others. The page is answered once that call returns: what
 * it sent is then durable, and its outbox may delete it. The site comes from the isolate's
 * cache; rate limits count across isolates (middleware/rate.ts).
 */
import { Hono, type Context } from 'hono'
import type { App } from '../env'
import type { BatchAnswer } from '../../snippet/core/wire'
import { fail, readJson } from '../http'
import { validateBatch } from '../domain/batch'
import { dayOf, prepareEvents } from '../domain/ingest'
import { profileEvent } from '../domain/profile'
import { deviceFlags, isBot } from '../domain/bots'
import { decide } from '../domain/decide'
import { dueSurveys } from '../domain/surveys'
import { verifyIdentity } from '../domain/identity'
import { originAllowed } from '../middleware/cors'
import { RATE_WINDOW_SEC, withinRate } from '../middleware/rate'
import { cachedSite, noteStored } from '../cache'
import { countRefused } from '../store/usage'
import { messages } from '../jobs/messages'
import type { SiteForIngest } from '../store/sites'
import { shardOfVisitor } from '../state/visitors'

export const events = new Hono<App>().post('/', async (c) => {
  const parsed = validateBatch(await readJson(c))
  if (!parsed.ok) return fail(c, 400, parsed.error)
  const batch = parsed.value
  const now = Date.now()
  const site = await cachedSite(c.env, batch.site, now)
  if (!site) {
    // Junk keys are rate limited too (by address), so guessing costs the guesser.
    if (!(await withinRate(c, '?'))) return tooMany(c, 'too many requests for unknown sites from this address')
    return fail(c, 404, `unknown site key '${batch.site}'`)
  }
  const origin = c.req.header('origin')
  if (!originAllowed(site.origins, origin))
    return fail(c, 403, `origin ${origin} is not allowed for site '${site.key}'`)
  if (!(await withinRate(c, site.key)))
    return refused(c, site, now, 'too many requests for this site from this address')
  if (site.storedToday >= site.settings.eventsPerDay)
    return refused(
      c,
      site,
      now,
      `site '${site.key}' has stored its ${site.settings.eventsPerDay} events for today`,
      untilMidnight(now),
    )

  const unverified = new Set<string>()
  if (site.settings.verifyIdentity)
    for (const e of batch.events)
      if (e.type === 'identify' && !(e.name && (await verifyIdentity(site.secret, e.name, e.hash))))
        unverified.add(e.id)
  const agent = c.req.header('user-agent')
  const prepared = prepareEvents(batch, now, isBot(agent, batch.automation), unverified, deviceFlags(agent))
  const loss = { evicted: batch.evicted ?? 0, dropped: batch.dropped ?? 0, rejected: batch.rejected.length }
  const shard = shardOfVisitor(c.env, site.key, batch.visitor)
  // An empty batch creates no visitor; only the loss it reports is kept.
  const outgoing =
    prepared.length || loss.evicted || loss.dropped || loss.rejected ? messages(batch, now, prepared, loss) : []
  // Every event goes out, new or not: D1's primary key stores each once.
  const r = await shard.ingest(site.key, batch.visitor, batch.session, prepared.map(profileEvent), now, outgoing)
  // An erased visitor's replay: acknowledged (the outbox may let go of it), never stored.
  if (r.erased) return c.json(answer(prepared.length, 0, {}, [], batch.rejected))
  const fresh = new Set(r.fresh)
  noteStored(site.key, fresh.size)
  const news = fresh.size ? batch.events.filter((e) => fresh.has(e.id)) : []
  const surveys = r.view && news.length ? dueSurveys(site.config.surveys, news, r.view.surveys, now) : []
  const decisions = r.view ? decide(site.config, r.view.scores) : {}
  return c.json(answer(fresh.size, prepared.length - fresh.size, decisions, surveys, batch.rejected))
})

function answer(
  accepted: number,
  duplicates: number,
  decisions: BatchAnswer['decisions'],
  surveys: BatchAnswer['surveys'],
  rejected: NonNullable<BatchAnswer['rejected']>,
): BatchAnswer {
  const a: BatchAnswer = { accepted, duplicates, decisions, surveys }
  if (rejected.length) a.rejected = rejected
  return a
}

const untilMidnight = (now: number) => Math.ceil((Date.parse(dayOf(now + 86_400_000)) - now) / 1000)

function tooMany(c: Context<App>, error: string, retryAfter = RATE_WINDOW_SEC) {
  return fail(c, 429, `${error}; retry in ${retryAfter} s`, { 'retry-after': String(retryAfter) })
}

/** 429 with Retry-After, counted against the site (batched per isolate: one write a second at most). */
function refused(c: Context<App>, site: SiteForIngest, now: number, error: string, retryAfter = RATE_WINDOW_SEC) {
  const n = (pendingRefusals.get(site.key) ?? 0) + 1
  pendingRefusals.set(site.key, n)
  if (n === 1)
    c.executionCtx.waitUntil(
      new Promise((r) => setTimeout(r, 1000)).then(async () => {
        const count = pendingRefusals.get(site.key) ?? 0
        pendingRefusals.delete(site.key)
        if (count) await countRefused(c.env.DB, site.key, now, count).catch(() => {})
      }),
    )
  return tooMany(c, error, retryAfter)
}
const pendingRefusals = new Map<string, number>()
