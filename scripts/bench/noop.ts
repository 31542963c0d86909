/**
 * The baseline of `npm run bench`: a Hono worker that does what any ingest endpoint must
 * (read the body, parse it, answer the same shape) and nothing else. ciel is measured as a
 * share of this worker's rate, on the same machine, in the same run.
 */
import { Hono } from 'hono'
import { decide } from '../../edge/domain/decide'
import { richConfig, richProfile } from './rich-site'

const app = new Hono()
app.post('/v1/events', async (c) => {
  const b = JSON.parse(await c.req.text()) as { events: unknown[] }
  return c.json({ accepted: b.events.length, duplicates: 0, decisions: {}, surveys: [] })
})

/**
 * Decision time, in workerd: `n` decisions (each for another visitor) of the bench's rich site
 * (20 segments, 10 slots, 50-topic profiles); answers the mean ms of one. Not part of the
 * ingest baseline: the bench's rich site config comes from here too.
 */
const config = richConfig()
let visitor = 0
app.get('/bench/decide', (c) => {
  const n = Number(c.req.query('n') ?? 100)
  const now = Date.now()
  const profiles = Array.from({ length: n }, () => richProfile(++visitor, now))
  const t = performance.now()
  let decided = 0
  for (const p of profiles) decided += Object.keys(decide(config, p, `v${visitor}`, now).decisions).length
  return c.json({ ms: (performance.now() - t) / n, decided: decided / n })
})
app.get('/bench/rich-config', (c) => c.json(config))

export default app
