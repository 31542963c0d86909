/**
 * The baseline of `npm run bench`: a Hono worker that does what any ingest endpoint must
 * (read the body, parse it, answer the same shape) and nothing else. ciel is measured as a
 * share of this worker's rate, on the same machine, in the same run.
 */
import { Hono } from 'hono'

const app = new Hono()
app.post('/v1/events', async (c) => {
  const b = JSON.parse(await c.req.text()) as { events: unknown[] }
  return c.json({ accepted: b.events.length, duplicates: 0, decisions: {}, surveys: [] })
})
export default app
