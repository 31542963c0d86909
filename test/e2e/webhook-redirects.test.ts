/**
 * Webhook redirects under the real runtime (`wrangler dev`): followed by hand, each Location
 * checked before it is asked. The receivers listen on 127.0.0.1, which the harness allows
 * (ALERTS_ALLOW_HOSTS, development only); the metadata address never is.
 */
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()

/** A receiver on 127.0.0.1: redirects when `to` is set, else answers 200; keeps what it got. */
function receiver(to?: () => string) {
  const got: { path: string; body: string; signature: string }[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      if (req.method === 'POST') got.push({ path: req.url!, body, signature: String(req.headers['ciel-signature']) })
      if (to) res.writeHead(307, { location: to() }).end()
      else res.writeHead(200).end()
    })
  })
  return { got, server }
}
const listen = (s: Server) =>
  new Promise<string>((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as any).port}`)))

const final = receiver()
let finalUrl = ''
let target = ''
const hop = receiver(() => target)
let hopUrl = ''
beforeAll(async () => {
  finalUrl = await listen(final.server)
  hopUrl = await listen(hop.server)
})
afterAll(async () => {
  final.server.close()
  hop.server.close()
})

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${env.edge.origin}${path}`, { ...init, headers: { authorization: `Bearer ${env.edge.token}` } })

async function testAlert() {
  const r = await admin(`/v1/admin/sites/${env.site}/alerts/test`, { method: 'POST' })
  expect(r.status).toBe(202)
  const { id } = (await r.json()) as { id: string }
  return eventually(async () => {
    const { alerts } = (await (await admin(`/v1/admin/sites/${env.site}/alerts`)).json()) as { alerts: any[] }
    const a = alerts.find((x) => x.id === id)
    expect(a?.status).toMatch(/^(delivered|failed)$/)
    return a
  }, 30_000)
}

describe('webhook redirects', () => {
  it('follows one to an allowed receiver with the same signed body, and refuses one to the metadata address', async () => {
    const r = await admin(`/v1/admin/sites/${env.site}`, {
      method: 'PATCH',
      body: JSON.stringify({ settings: { alerts: { url: `${hopUrl}/hook` } } }),
    })
    expect(r.status).toBe(200)

    target = `${finalUrl}/moved`
    expect(await testAlert()).toMatchObject({ status: 'delivered', attempts: 1 })
    expect(hop.got.map((g) => g.path)).toEqual(['/hook'])
    expect(final.got.map((g) => g.path)).toEqual(['/moved'])
    expect(final.got[0]!.body).toContain('a test alert')
    expect(final.got[0]!.body).toBe(hop.got[0]!.body)
    expect(final.got[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(final.got[0]!.signature).toBe(hop.got[0]!.signature)

    target = 'http://169.254.169.254/latest/meta-data/'
    expect(await testAlert()).toMatchObject({ status: 'failed', attempts: 1, lastError: 'refused: target not allowed' })
    expect(hop.got).toHaveLength(2)
    expect(final.got).toHaveLength(1)
  })
})
