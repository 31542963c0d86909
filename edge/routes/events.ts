/**
 * @module routes/events: `POST /v1/events`, the ingest path.
 *
 * One batch costs one call to the visitor's Durable Object (which events are new, the profile
 * brought up to date) and one queue send (every event, for D1). The page is answered once both
 * are done: what it sent is then durable, and the outbox may delete it. The site comes from the
 * isolate's cache; rate limits from Cloudflare's binding.
 */
import { Hono, type Context } from 'hono'
import type { App } from '../env'
import type { BatchAnswer } from '../../snippet/core/wire'
import { fail, readJson } from '../http'
import { validateBatch } from '../domain/batch'
import { dayOf, prepareEvents, type PreparedEvent } from '../domain/ingest'
import { profileEvent } from '../domain/profile'
import { isBot } from '../domain/bots'
import { decide } from '../domain/decide'
import { dueSurveys } from '../domain/surveys'
import { verifyIdentity } from '../domain/identity'
import { originAllowed } from '../middleware/cors'
import { RATE_WINDOW_SEC, withinRate } from '../middleware/rate'
import { cachedSite, noteStored } from '../cache'
import { countRefused } from '../store/usage'
import type { IngestMessage } from '../jobs/messages'
import type { SiteForIngest } from '../store/sites'
import { visitorState } from '../state/visitor'

/** A queue message holds at most 128 KB; leave room for the envelope. */
const MESSAGE_CHARS = 100_000
/** One sendBatch carries at most 256 KB. */
const SEND_CHARS = 200_000

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
  const prepared = prepareEvents(batch, now, isBot(c.req.header('user-agent'), batch.automation), unverified)
  const loss = { evicted: batch.evicted ?? 0, dropped: batch.dropped ?? 0, rejected: batch.rejected.length }
  const stub = visitorState(c.env, site.key, batch.visitor)

  // Nothing to store (an empty batch): no visitor is created, but reported loss still counts.
  if (!prepared.length) {
    if (loss.evicted || loss.dropped || loss.rejected) await send(c, [message(batch, now, [], 0, loss)])
    const read = await stub.read()
    return c.json(
      answer(0, 0, read.profile ? decide(site.config, read.profile.interests.scores) : {}, [], batch.rejected),
    )
  }

  const r = await stub.ingest(prepared.map(profileEvent), batch.session, now)
  // An erased visitor's replay: acknowledged (the outbox may let go of it), never stored.
  if (r.erased) return c.json(answer(prepared.length, 0, {}, [], batch.rejected))
  const fresh = new Set(r.fresh)
  await send(c, split(batch, now, prepared, fresh.size, loss, r.profile))
  noteStored(site.key, fresh.size)
  const news = batch.events.filter((e) => fresh.has(e.id))
  const surveys = r.profile ? dueSurveys(site.config.surveys, news, r.profile.surveys, now) : []
  const decisions = r.profile ? decide(site.config, r.profile.interests.scores) : {}
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

type Loss = NonNullable<IngestMessage['loss']>

const message = (
  b: { site: string; visitor: string; session: string },
  now: number,
  events: PreparedEvent[],
  fresh: number,
  loss?: Loss,
): IngestMessage => {
  const m: IngestMessage = { site: b.site, visitor: b.visitor, session: b.session, receivedAt: now, events, fresh }
  if (loss && (loss.evicted || loss.dropped || loss.rejected)) m.loss = loss
  return m
}

/** The batch as queue messages of at most ~100 KB; the profile rides on the last one. */
function split(
  b: { site: string; visitor: string; session: string },
  now: number,
  events: PreparedEvent[],
  fresh: number,
  loss: Loss,
  profile: IngestMessage['profile'] | null,
): IngestMessage[] {
  const out: IngestMessage[] = []
  let part: PreparedEvent[] = []
  let chars = 0
  for (const e of events) {
    const n = JSON.stringify(e).length
    if (part.length && chars + n > MESSAGE_CHARS) ((out.push(message(b, now, part, 0)), (part = [])), (chars = 0))
    part.push(e)
    chars += n
  }
  const last = message(b, now, part, fresh, loss)
  if (profile) last.profile = profile
  out.push(last)
  return out
}

/** Enqueues the messages (≤ 256 KB per call); once this resolves they are durable. */
async function send(c: Context<App>, messages: IngestMessage[]) {
  let group: { body: IngestMessage }[] = []
  let chars = 0
  for (const m of messages) {
    const n = JSON.stringify(m).length
    if (group.length && chars + n > SEND_CHARS) {
      await c.env.INGEST.sendBatch(group)
      ;((group = []), (chars = 0))
    }
    group.push({ body: m })
    chars += n
  }
  if (group.length) await c.env.INGEST.sendBatch(group)
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
