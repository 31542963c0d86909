/** @module routes/events: `POST /v1/events`, the ingest path. */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { App } from '../env'
import { fail, readJson } from '../http'
import { LIMITS, validateBatch } from '../domain/validate'
import { prepareEvents } from '../domain/ingest'
import { isBot } from '../domain/bots'
import { decide } from '../domain/decide'
import { originAllowed } from '../cors'
import { getInterests, getSite, insertBatch, saveIdentity, saveInterests, surveysShown } from '../store/queries'
import { anyTriggered, dueSurveys } from '../domain/surveys'
import { identity } from '../domain/visitors'
import { clientAddress, createLimiter } from '../domain/rate'
import { score, topicsOf } from '../domain/interests'
import type { BatchAnswer } from '../../snippet/core/wire'

/** Per site and client address: far above what a visitor's snippet sends (a few a minute). */
export const RATE = { limit: 600, windowMs: 60_000 }
const limiter = createLimiter(RATE)

export const events = new Hono<App>()

events.post(
  '/',
  bodyLimit({
    maxSize: LIMITS.bodyBytes,
    onError: (c) => fail(c, 413, `body is larger than ${LIMITS.bodyBytes} bytes; send smaller batches`),
  }),
  async (c) => {
    const body = await readJson(c)
    if (!body.ok) return fail(c, 400, body.error)
    const parsed = validateBatch(body.value)
    if (!parsed.ok) return fail(c, 400, parsed.error)
    const batch = parsed.value
    const site = await getSite(c.env.DB, batch.site)
    if (!site) return fail(c, 404, `unknown site key '${batch.site}'`)
    const origin = c.req.header('origin')
    if (!originAllowed(site.origins, origin))
      return fail(c, 403, `origin ${origin} is not allowed for site '${batch.site}'`)

    const now = Date.now()
    const limited = limiter.hit(`${batch.site} ${clientAddress(c.req.raw.headers)}`, now)
    if (!limited.ok) {
      c.header('retry-after', String(limited.retryAfterSec))
      return fail(
        c,
        429,
        `too many requests for site '${batch.site}' from this address; retry in ${limited.retryAfterSec} s`,
      )
    }
    const bot = isBot(c.req.header('user-agent'), batch.automation)
    const prepared = prepareEvents(batch, now, bot)
    const { accepted, duplicates, fresh } = await insertBatch(c.env.DB, batch, prepared, now)
    // Only events stored for the first time count below: a retry changes nothing.
    const news = batch.events.filter((e) => fresh.has(e.id))
    const who = identity(news)
    if (who) await saveIdentity(c.env.DB, batch.site, batch.visitor, who)
    const interests = score(await getInterests(c.env.DB, batch.site, batch.visitor), news, now)
    if (news.some((e) => topicsOf(e).length)) await saveInterests(c.env.DB, batch.site, batch.visitor, interests)
    // A survey is due only when a new event triggers one: most batches need no history query.
    const surveys = anyTriggered(site.config.surveys, news)
      ? dueSurveys(site.config.surveys, news, await surveysShown(c.env.DB, batch.site, batch.visitor), now)
      : []
    const answer: BatchAnswer = { accepted, duplicates, decisions: decide(site.config, interests.scores), surveys }
    return c.json(answer)
  },
)
