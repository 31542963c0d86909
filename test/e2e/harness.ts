/**
 * e2e harness: the real worker (`wrangler dev` on 127.0.0.1, its own D1 folder) and Debian's
 * Chromium driven by playwright-core. Never downloads a browser: CHROME_PATH or /usr/bin/chromium.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
// @ts-expect-error plain ESM script shared with `npm start`
import { serve } from '../../scripts/serve.mjs'

export interface Edge {
  origin: string
  token: string
  stop: () => Promise<void>
  output: () => string
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Starts the worker with a fresh local database; stop() removes it. */
export async function startEdge(): Promise<Edge> {
  const dir = mkdtempSync(join(tmpdir(), 'ciel-e2e-'))
  const edge: Edge = await serve({ port: await freePort(), persistTo: dir, quiet: true })
  return {
    ...edge,
    stop: async () => {
      await edge.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function chromePath(): string {
  const p = process.env.CHROME_PATH || '/usr/bin/chromium'
  if (!existsSync(p)) throw new Error(`no Chromium at ${p}: apt-get install -y chromium, or set CHROME_PATH`)
  return p
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromePath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

export interface StoredEvent {
  id: string
  visitor: string
  type: string
  name: string | null
  url: string
  props: Record<string, any> | null
  flags: number
}

/** Reads events back through the admin API. */
export async function storedEvents(edge: Edge, site = 'demo', query = ''): Promise<{ total: number; events: StoredEvent[] }> {
  const r = await fetch(`${edge.origin}/v1/admin/sites/${site}/events?limit=1000${query}`, {
    headers: { authorization: `Bearer ${edge.token}` },
  })
  if (!r.ok) throw new Error(`admin read failed: ${r.status} ${await r.text()}`)
  return r.json()
}

/** Polls until check() passes or the time is up (then throws its last error). */
export async function eventually<T>(check: () => Promise<T>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    try {
      return await check()
    } catch (e) {
      if (Date.now() > end) throw e
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}
