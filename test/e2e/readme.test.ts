/**
 * The code in README.md and docs/*.md runs as written. Every fenced block is either run here or
 * marked, on the line before it, `<!-- not run: why -->`; a block that is neither fails the
 * first test. Kinds, by the `<!-- test: KIND … -->` mark (sh blocks calling curl need none):
 * - sh with curl: run against a started worker (its origin and token swapped in); 2xx JSON.
 * - refused: the same, but must answer 4xx with `{error, path}`.
 * - tag, calls, slot, css: pasted into a page of another origin, in Chromium; what they record
 *   is found stored, and the slot shown.
 * - config, segment: saved on a copy of the demo site (the worker's schema accepts it).
 * - identity, verify: Node runs them against the site's real secrets.
 * - commands: README's test command is the one CI (.ci/run) runs.
 * `text` blocks are diagrams.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createHmac } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { allowOrigin, eventually, humanContext, launch, startEdge, storedEvents, type Edge } from './harness'

const root = new URL('../../', import.meta.url)
const files = [
  'README.md',
  ...readdirSync(new URL('docs/', root))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
]

interface Block {
  where: string
  lang: string
  code: string
  /** `test: KIND`, `not run`, or undefined. */
  mark?: string
}
const blocks: Block[] = files.flatMap((file) => {
  const text = readFileSync(new URL(file, root), 'utf8')
  return [...text.matchAll(/(?:<!-- (test: \w+|not run)[^\n]*-->\n)?```(\w*)[^\n]*\n([\s\S]*?)```/g)].map((m) => ({
    where: `${file}:${text.slice(0, m.index).split('\n').length}`,
    mark: m[1],
    lang: m[2]!,
    code: m[3]!,
  }))
})
const kind = (b: Block) =>
  b.mark?.startsWith('test: ')
    ? b.mark.slice(6)
    : (b.mark ?? (b.lang === 'sh' && b.code.includes('curl') ? 'curl' : b.lang === 'text' ? 'diagram' : undefined))
const of = (k: string) => blocks.filter((b) => kind(b) === k)
const one = (k: string) => {
  const found = of(k)
  expect(found.length, `one block marked test: ${k}`).toBe(1)
  return found[0]!.code
}
const KINDS = ['curl', 'refused', 'tag', 'calls', 'slot', 'css', 'config', 'segment', 'identity', 'verify', 'commands']

let edge: Edge
let browser: Browser
const admin = () => ({ authorization: `Bearer ${edge.token}`, 'content-type': 'application/json' })
async function api(method: string, path: string, body?: unknown) {
  const r = await fetch(`${edge.origin}${path}`, {
    method,
    headers: admin(),
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = (await r.json()) as any
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`)
  return json
}
function sh(script: string) {
  const s = script.replaceAll('http://127.0.0.1:8787', edge.origin).replaceAll('ciel-demo-admin', edge.token)
  // curl fails on a 4xx/5xx, and says what the worker answered; one answer a line.
  return execFileSync('bash', ['-c', `set -e\ncurl() { command curl -sS --fail-with-body -w '\\n' "$@"; }\n${s}`], {
    encoding: 'utf8',
    timeout: 30_000,
  })
}
function node(code: string, env: Record<string, string> = {}) {
  const file = join(mkdtempSync(join(tmpdir(), 'ciel-doc-')), 'block.mjs')
  writeFileSync(file, code)
  return execFileSync('node', [file], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } }).trim()
}

beforeAll(async () => {
  ;[edge, browser] = await Promise.all([startEdge(), launch()])
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await edge?.stop()
})

describe('the code in README.md and docs/', () => {
  it('every block is run here or marked <!-- not run: why -->', () => {
    const unknown = blocks.filter((b) => !['diagram', 'not run', ...KINDS].includes(kind(b) ?? '')).map((b) => b.where)
    expect(unknown).toEqual([])
    for (const k of KINDS) expect(of(k).length, `a block of kind ${k}`).toBeGreaterThan(0)
  })

  it("README's test command is the one CI runs", () => {
    const ci = readFileSync(new URL('.ci/run', root), 'utf8').trim().split('\n').at(-1)!.trim()
    const readme = one('commands')
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
    expect(readme).toContain(ci)
  })

  it('the tag, the calls and a slot work when pasted into a page on another origin', async () => {
    const css = one('css')
    const slot = one('slot')
    const tag = one('tag').replaceAll('https://EDGE_HOST', edge.origin).replaceAll('SITE_KEY', 'demo')
    const calls = one('calls')
    const page = `<!doctype html><html lang="en"><head><style>${css}</style>${tag}
      <script>${calls.replace(/ciel\('reset'\).*/, '')}</script></head><body>${slot}</body></html>`
    const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    try {
      await allowOrigin(edge, origin)
      const context = await humanContext(browser)
      const tab = await context.newPage()
      await tab.goto(`${origin}/`)
      await tab.waitForSelector('[data-ciel-slot="hero"][data-ciel-shown]', { state: 'visible' })
      const types = await eventually(async () => {
        const { events } = await storedEvents(edge, 'demo', `&visitor=`)
        const mine = events.filter((e) => e.url.startsWith(origin))
        const seen = mine.map((e) => `${e.type}:${e.name ?? ''}`)
        for (const want of ['pageview:', 'track:signup_started', 'identify:user-42', 'step:onboarding'])
          expect(seen).toContain(want)
        return mine
      }, 20_000)
      expect(types.find((e) => e.type === 'track')?.props).toMatchObject({ plan: 'pro' })
      await context.close()
    } finally {
      server.close()
    }
  }, 60_000)

  it('every sh example calling the API answers 2xx with JSON', () => {
    for (const b of of('curl')) {
      const lines = sh(b.code).split('\n').filter(Boolean)
      expect(lines.length, b.where).toBeGreaterThan(0)
      for (const l of lines) expect(() => JSON.parse(l), b.where).not.toThrow()
    }
  })

  it('a refused example answers 4xx with {error, path}', () => {
    for (const b of of('refused')) {
      let out = ''
      try {
        sh(b.code)
      } catch (e) {
        out = String((e as { stdout?: string }).stdout)
      }
      expect(JSON.parse(out.trim()), b.where).toMatchObject({ error: expect.any(String), path: expect.any(String) })
    }
  })

  it('every site config and segment shown is accepted by the worker', async () => {
    const demo = await api('GET', '/v1/admin/sites/demo')
    await api('PUT', '/v1/admin/sites/doccheck', { ...demo, key: undefined })
    for (const b of of('config')) await api('PATCH', '/v1/admin/sites/doccheck', { config: JSON.parse(b.code) })
    for (const b of of('segment')) {
      const segment = JSON.parse(b.code)
      const { config } = await api('GET', '/v1/admin/sites/doccheck')
      const site = await api('PATCH', '/v1/admin/sites/doccheck', {
        config: { segments: [...(config.segments ?? []), segment] },
      })
      expect(site.config.segments, b.where).toContainEqual(segment)
    }
  })

  it('the identity hash in Node links the visitor on a site that verifies identities', async () => {
    await api('PUT', '/v1/admin/sites/docid', { name: 'Docs', origins: [], settings: { verifyIdentity: true } })
    const { secret } = await api('GET', '/v1/admin/sites/docid/secret')
    const prelude = "const user = { id: 'user-42', plan: 'pro' }\n"
    const hash = node(`${prelude}${one('identity')}\nconsole.log(hash)`, { CIEL_SITE_SECRET: secret })
    const ev = (type: string, more = {}) => ({
      id: `doc-${type}-${Date.now()}`,
      type,
      ts: Date.now(),
      url: 'https://docs.example/',
      ...more,
    })
    const r = await fetch(`${edge.origin}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        site: 'docid',
        visitor: 'doc-visitor',
        session: 'doc-session',
        sentAt: Date.now(),
        events: [ev('pageview'), ev('identify', { name: 'user-42', hash })],
      }),
    })
    expect(r.status).toBe(200)
    await eventually(async () => {
      const v = await api('GET', '/v1/visitors/doc-visitor?site=docid')
      expect(v.userId).toBe('user-42')
    }, 20_000)
  }, 40_000)

  it("the webhook verifier accepts the worker's signature and refuses a changed body", async () => {
    const { webhookSecret } = await api('GET', '/v1/admin/sites/demo/secret')
    const body = JSON.stringify({ id: 'x', type: 'survey.negative_answer' })
    const t = Math.floor(Date.now() / 1000)
    const header = `t=${t},v1=${createHmac('sha256', webhookSecret).update(`${t}.${body}`).digest('hex')}`
    const run = (b: string) =>
      node(
        `${one('verify')}\nconsole.log(verify(${JSON.stringify(b)}, ${JSON.stringify(header)}, ${JSON.stringify(webhookSecret)}))`,
      )
    expect(run(body)).toBe('true')
    expect(run(body + ' ')).toBe('false')
  })
})
