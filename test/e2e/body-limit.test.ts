/**
 * Bodies over the limit under `wrangler dev`: the 413 is answered and the requests after it are
 * served promptly. A chunked body the worker stopped reading used to leave the dev proxy with a
 * reset pooled connection: the next GET hung, the next POST got a 503 (see readBody in edge/http.ts).
 * Only the real dev server shows this; SELF.fetch in the edge tests has no connection to poison.
 */
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { useEdge } from './harness'

const env = useEdge()

interface Upload {
  size: number
  /** Send Content-Length; otherwise Transfer-Encoding: chunked. */
  declared?: boolean
  piece?: number
  /** Pause between pieces (a slow client). */
  delayMs?: number
}

/** POSTs `size` bytes in pieces over a fresh connection; resolves with the status (or the error). */
function upload(path: string, { size, declared = false, piece = 16 * 1024, delayMs = 0 }: Upload) {
  return new Promise<number | string>((resolve) => {
    const headers: Record<string, string> = { 'content-type': 'text/plain', origin: env.edge.origin }
    if (declared) headers['content-length'] = String(size)
    const req = request(`${env.edge.origin}${path}`, { method: 'POST', headers, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode!))
    })
    req.setTimeout(20_000, () => req.destroy(new Error('no answer within 20 s')))
    req.on('error', (e) => resolve(e.message))
    const chunk = Buffer.alloc(piece, 'a')
    let sent = 0
    const pump = () => {
      if (req.destroyed) return
      if (sent >= size) return void req.end()
      const n = Math.min(piece, size - sent)
      sent += n
      const more = req.write(chunk.subarray(0, n))
      if (delayMs) setTimeout(pump, delayMs)
      else if (more) setImmediate(pump)
      else req.once('drain', pump)
    }
    pump()
  })
}

/** Status of a request that must be answered within 5 s (or 'timeout'). */
async function status(path: string, init: RequestInit = {}): Promise<number | string> {
  try {
    const r = await fetch(`${env.edge.origin}${path}`, { ...init, signal: AbortSignal.timeout(5000) })
    await r.arrayBuffer()
    return r.status
  } catch (e) {
    return (e as Error).name === 'TimeoutError' ? 'timeout' : String(e)
  }
}

let n = 0
const validBatch = (): RequestInit => ({
  method: 'POST',
  headers: { origin: env.edge.origin, 'content-type': 'text/plain' },
  body: JSON.stringify({
    site: env.site,
    visitor: 'body-limit',
    session: 'body-limit',
    sentAt: Date.now(),
    events: [{ id: `body-limit-${Date.now()}-${++n}`, type: 'pageview', ts: Date.now(), url: `${env.edge.origin}/` }],
  }),
})

const cases: [string, string, Upload][] = [
  ['chunked 600 KB', '/v1/events', { size: 600 * 1024 }],
  ['chunked 20 KB', '/v1/decide', { size: 20 * 1024, piece: 1024 }],
  ['chunked 600 KB, dripped', '/v1/events', { size: 600 * 1024, piece: 64 * 1024, delayMs: 150 }],
  ['chunked 20 KB, dripped', '/v1/decide', { size: 20 * 1024, piece: 1024, delayMs: 60 }],
  ['declared 600 KB', '/v1/events', { size: 600 * 1024, declared: true }],
  ['declared 20 KB', '/v1/decide', { size: 20 * 1024, declared: true }],
]

describe('a body over the limit', () => {
  it.each(cases)('%s to %s: 413, then the next requests are served', async (_, path, body) => {
    expect(await upload(path, body)).toBe(413)
    expect(await status('/v1/health')).toBe(200)
    expect(await status('/v1/events', validBatch())).toBe(200)
    expect(await status('/v1/health')).toBe(200)
  })

  it('a small chunked batch is still accepted', async () => {
    const { body, ...init } = validBatch()
    const r = await fetch(`${env.edge.origin}/v1/events`, {
      ...init,
      body: new Blob([body as string]).stream(),
      duplex: 'half',
      signal: AbortSignal.timeout(5000),
    } as RequestInit)
    expect(r.status).toBe(200)
    expect(((await r.json()) as { accepted: number }).accepted).toBe(1)
  })
})
