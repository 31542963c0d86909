/**
 * In development (`npm start`), the demo pages are served by the worker itself: whether the
 * browser was pointed at 127.0.0.1 or at localhost, their events are accepted. Other origins
 * are still refused, as in production.
 */
import { describe, expect, it } from 'vitest'
import { useEdge } from './harness'

const env = useEdge()

const send = (origin: string) =>
  fetch(`${env.edge.origin}/v1/events`, {
    method: 'POST',
    headers: { origin, 'content-type': 'text/plain' },
    body: JSON.stringify({
      site: env.site,
      visitor: 'dev-v',
      session: 'dev-s',
      sentAt: Date.now(),
      events: [{ id: `dev-${origin}`, type: 'pageview', ts: Date.now(), url: `${origin}/` }],
    }),
  })

describe('development origins', () => {
  it('accepts the demo pages opened at http://localhost:PORT as at http://127.0.0.1:PORT', async () => {
    const local = `http://localhost:${env.edge.port}`
    const r = await send(local)
    expect(r.status, await r.text()).toBe(200)
    expect((await send(`http://127.0.0.1:${env.edge.port}`)).status).toBe(200)
  })

  it('still refuses an origin the site does not list', async () => {
    const r = await send('https://elsewhere.example')
    expect(r.status).toBe(403)
    expect(await r.json()).toEqual({ error: `origin https://elsewhere.example is not allowed for site '${env.site}'` })
  })
})
