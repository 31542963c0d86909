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
import { getSite, insertBatch } from '../store/queries'
import type { BatchAnswer } from '../../snippet/core/wire'

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
    if (!originAllowed(site.origins, origin)) return fail(c, 403, `origin ${origin} is not allowed for site '${batch.site}'`)

    const now = Date.now()
    const bot = isBot(c.req.header('user-agent'))
    const counts = await insertBatch(c.env.DB, batch, prepareEvents(batch, now, bot), now)
    const answer: BatchAnswer = { ...counts, decisions: decide(site.config, {}), surveys: [] }
    return c.json(answer)
  },
)
