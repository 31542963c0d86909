/**
 * e2e harness: the real worker (`wrangler dev` on 127.0.0.1, its own D1 folder) and Debian's
 * Chromium driven by playwright-core. Never downloads a browser: CHROME_PATH or /usr/bin/chromium.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { afterAll, beforeAll, expect, inject } from 'vitest'
import { randomBytes } from 'node:crypto'
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type Route } from 'playwright-core'
// @ts-expect-error plain ESM script shared with `npm start`
import { serve } from '../../scripts/serve.mjs'
import { DESKTOP_UA } from '../user-agents'

export interface Edge {
  origin: string
  token: string
  port: number
  dir: string
  /** Stops the worker; its database folder is removed unless keepData. */
  stop: (keepData?: boolean) => Promise<void>
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

/** Starts the worker with a fresh local database (or again on a kept one: same port and dir). */
export async function startEdge(again?: { port: number; dir: string }): Promise<Edge> {
  const dir = again?.dir ?? mkdtempSync(join(tmpdir(), 'ciel-e2e-'))
  let port = again?.port ?? (await freePort())
  let edge: Awaited<ReturnType<typeof serve>>
  for (let attempt = 1; ; attempt++) {
    try {
      // Webhook receivers of the tests listen on 127.0.0.1, which only this allow lets alerts reach
      // (.dev.vars.example has it too; a .dev.vars made before it may not).
      edge = await serve({
        port,
        persistTo: dir,
        quiet: true,
        migrated: !!again,
        vars: { ALERTS_ALLOW_HOSTS: '127.0.0.1' },
      })
      break
    } catch (e) {
      // A free port can be taken between finding it and wrangler binding it (another worker
      // starting on this machine): try another, or the same one a moment later.
      if (attempt >= 4 || !/Address already in use/.test(String(e))) throw e
      await new Promise((r) => setTimeout(r, 500 * attempt))
      if (!again) port = await freePort()
    }
  }
  return {
    ...edge,
    port,
    dir,
    stop: async (keepData = false) => {
      await edge.stop()
      if (!keepData) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The demo site served from its own origin (a customer's site), embedding the snippet from
 * the edge's origin exactly as the README tells site owners to. Allows that origin on the site.
 * `slotWait`: slots wait that many ms for their decision (`data-wait` and the CSS rule), as a site
 * owner may configure it, so that first-visit decisions do not depend on this machine's speed.
 */
export async function startSite(
  edge: Edge,
  o: { slotWait?: number } = {},
): Promise<{ origin: string; stop: () => Promise<void> }> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const root = join(import.meta.dirname, '../../dist/public')
  const server = createHttpServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    const file =
      path === '/'
        ? 'index.html'
        : path.endsWith('.js') || path.endsWith('.css')
          ? path.slice(1)
          : `${path.slice(1)}.html`
    const full = join(root, file)
    if (!full.startsWith(root) || !existsSync(full)) return res.writeHead(404).end('not found')
    let body = readFileSync(full, 'utf8')
    if (file.endsWith('.html'))
      body = body
        .replaceAll('src="/s.js"', `src="${edge.origin}/s.js"`)
        .replace("script-src 'self'", `script-src 'self' ${edge.origin}`)
        .replace("connect-src 'self'", `connect-src 'self' ${edge.origin}`)
    if (o.slotWait) {
      body = body.replace('data-site="demo"', `data-site="demo" data-wait="${o.slotWait}"`)
      body = body.replace('var(--ciel-wait, 300ms)', `${o.slotWait}ms`)
    }
    const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.css') ? 'text/css' : 'text/javascript'
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body)
  })
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r))
  await allowOrigin(edge, origin)
  return { origin, stop: () => new Promise((r) => server.close(() => r())) }
}

/** A site as the admin API reads it back: its name, origins, config and settings. */
export async function siteOf(edge: Pick<Edge, 'origin' | 'token'>, site: string): Promise<any> {
  const r = await fetch(`${edge.origin}/v1/admin/sites/${site}`, { headers: { authorization: `Bearer ${edge.token}` } })
  return r.json()
}

/** Adds an origin to the demo site's allowed origins through the admin API. */
export async function allowOrigin(edge: Edge, origin: string, site = 'demo') {
  const current = (await siteOf(edge, site)) as { origins: string[] }
  const r = await fetch(`${edge.origin}/v1/admin/sites/${site}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${edge.token}` },
    body: JSON.stringify({ ...current, origins: [...current.origins, origin] }),
  })
  if (!r.ok) throw new Error(`could not allow ${origin}: ${await r.text()}`)
}

export function chromePath(): string {
  const p = process.env.CHROME_PATH || '/usr/bin/chromium'
  if (!existsSync(p)) throw new Error(`no Chromium at ${p}: apt-get install -y chromium, or set CHROME_PATH`)
  return p
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromePath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/**
 * A browser context that looks like a person's (a plain user agent, no navigator.webdriver):
 * automation is flagged as a bot and left out of insights. Keepalive requests sent while a
 * page unloads do not get Playwright's user-agent override, so those still look like a bot.
 */
export async function humanContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    userAgent: DESKTOP_UA,
  })
  await context.addInitScript(() => Object.defineProperty(navigator, 'webdriver', { get: () => false }))
  return context
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
export async function storedEvents(
  edge: Edge,
  site = 'demo',
  query = '',
): Promise<{ total: number; events: StoredEvent[] }> {
  // `query` may set its own limit (one `limit` only: the worker refuses two).
  const limit = /[?&]limit=/.test(`&${query}`) ? '' : 'limit=1000'
  const r = await fetch(`${edge.origin}/v1/admin/sites/${site}/events?${limit}${query}`, {
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

/** What test/e2e/global-setup.ts provides: the project's one worker. */
export type SharedEdge = Pick<Edge, 'origin' | 'token' | 'port' | 'dir'>

declare module 'vitest' {
  export interface ProvidedContext {
    edge: SharedEdge | undefined
  }
}

/** The project's worker (global-setup.ts), shared by its files: never stopped by one of them. */
function sharedEdge(): Edge | undefined {
  const e = inject('edge')
  if (!e) return
  const stop = async () => {
    throw new Error('the shared worker cannot be stopped: use useEdgeAndBrowser({ own: true })')
  }
  return { ...e, stop, output: () => '' }
}

/**
 * A new site with the demo's name, origins and config under a fresh key: a test file's own
 * traffic on the shared worker, however many files ran before it.
 */
export async function demoCopy(edge: Edge): Promise<string> {
  const demo = await siteOf(edge, 'demo')
  const key = `demo-${randomBytes(4).toString('hex')}`
  const r = await fetch(`${edge.origin}/v1/admin/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${edge.token}` },
    body: JSON.stringify({ ...demo, key, updatedAt: undefined }),
  })
  if (!r.ok) throw new Error(`could not copy the demo site: ${r.status} ${await r.text()}`)
  return key
}

/** The site the demo pages of this file's browser carry (`data-site`): its demoCopy(). */
let pagesSite = 'demo'

/** A demo page's HTML for this file's site: its script tag names the file's site. */
export const forSite = (html: string) => html.replaceAll('data-site="demo"', `data-site="${pagesSite}"`)

/** The worker's pages (not its API, scripts or styles): the documents whose tag names a site. */
const isPage = (origin: string) => (u: URL) =>
  u.origin === origin && !u.pathname.startsWith('/v1/') && !/\.(m?js|css|json|svg|png|ico|txt|woff2?)$/.test(u.pathname)

/** Whether the page a route's request is for has closed. */
const closed = (route: Route) => {
  try {
    return route.request().frame().page().isClosed()
  } catch {
    return true
  }
}

/**
 * The browser, with every context it makes serving the demo pages for `site`. A page's own route
 * (longWait) comes first and serves them through forSite() too.
 */
function sitePages(browser: Browser, origin: string): Browser {
  const rewrite = async (context: BrowserContext) => {
    await context.route(isPage(origin), async (route) => {
      if (route.request().resourceType() !== 'document') return route.fallback()
      for (let tries = 1; ; tries++)
        try {
          const r = await route.fetch()
          return await route.fulfill({ response: r, body: forSite(await r.text()) })
        } catch {
          // The page closed while this document was on its way (the survey editor's preview frame
          // still loading when a test is done): its answer is disposed and nobody is left to answer.
          // Else the fetch itself failed (a reload on a loaded machine, once in a clean-clone run):
          // the browser would have loaded it, so ask once more before failing the page.
          if (tries === 2 || closed(route)) return route.abort().catch(() => {})
        }
    })
    return context
  }
  return new Proxy(browser, {
    get(target, key) {
      if (key === 'newContext') return async (o?: any) => rewrite(await target.newContext(o))
      if (key === 'newPage')
        return async (o?: any) => {
          // As browser.newPage(): a context of its own, closed with the page.
          const context = await rewrite(await target.newContext(o))
          const page = await context.newPage()
          page.on('close', () => void context.close().catch(() => {}))
          return page
        }
      const v = Reflect.get(target, key)
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
}

/**
 * A worker for a test file without a browser: the project's shared one with a copy of the demo
 * site (`env.site`), or a fresh one of its own with 'demo'.
 */
export function useEdge(): { edge: Edge; site: string } {
  const env = {} as { edge: Edge; site: string }
  let own = false
  beforeAll(async () => {
    const shared = sharedEdge()
    own = !shared
    env.edge = shared ?? (await startEdge())
    env.site = shared ? await demoCopy(shared) : 'demo'
  })
  afterAll(async () => {
    if (own) await env.edge?.stop()
  })
  return env
}

/**
 * A worker and one Chromium for a test file. The worker is the project's shared one, and
 * `env.site` a copy of the demo site made for this file, which the demo pages opened in
 * `env.browser` carry; with `own` (a file that restarts it) a fresh worker of its own, and
 * `env.site` is 'demo'. Read them as `env.edge` / `env.browser` / `env.site`.
 */
export function useEdgeAndBrowser(o: { own?: boolean } = {}): { edge: Edge; browser: Browser; site: string } {
  const env = {} as { edge: Edge; browser: Browser; site: string }
  let own = false
  beforeAll(async () => {
    const shared = o.own ? undefined : sharedEdge()
    own = !shared
    env.edge = shared ?? (await startEdge())
    env.site = pagesSite = shared ? await demoCopy(shared) : 'demo'
    const browser = await launch()
    env.browser = shared ? sitePages(browser, shared.origin) : browser
  })
  afterAll(async () => {
    await env.browser?.close()
    if (own) await env.edge?.stop()
  })
  return env
}

/**
 * Waits until the snippet's core has loaded and taken over window.ciel. (The loader's stub also
 * has l === 2 while the core is on its way, but it keeps a queue, `q`; the core's api has none.)
 */
export const snippetReady = (page: Page) =>
  page.waitForFunction(() => (window as any).ciel?.l === 2 && !(window as any).ciel.q)

/**
 * The demo with slots waiting up to 3 s for their decision (`data-wait` and the CSS rule), as
 * a site owner may configure it: tests about decisions then do not depend on this machine's speed.
 */
export async function longWait(page: Page) {
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.fallback()
    const r = await route.fetch()
    await route.fulfill({
      response: r,
      body: forSite((await r.text()).replace('data-site="demo"', 'data-site="demo" data-wait="3000"')),
    })
  })
  await page.route(/demo\.css$/, async (route) => {
    const r = await route.fetch()
    await route.fulfill({ response: r, body: (await r.text()).replace('var(--ciel-wait, 300ms)', '3000ms') })
  })
}

/** Console errors and uncaught exceptions of a page, as they come (a test expects none). */
export function problemsOf(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  page.on('pageerror', (e) => problems.push(e.message))
  return problems
}

/**
 * Moves the mouse onto a trend chart's plot (its `.u-over`) as a reader would, from its middle to
 * its right end, today; returns that point, to click.
 */
export async function hoverToday(page: Page, plot: Locator) {
  await plot.scrollIntoViewIfNeeded()
  const box = (await plot.boundingBox())!
  const today = { x: box.x + box.width - 2, y: box.y + box.height / 2 }
  await page.mouse.move(box.x + box.width / 2, today.y)
  await page.mouse.move(today.x, today.y, { steps: 5 })
  return today
}

/**
 * Opens a dashboard address (a link may name its site and view) and signs in on its form with
 * `token`. The form is there once the DOM is: no need to wait for every request of the page (a
 * busy machine made 'load' miss the 30 s default once).
 */
export async function signInAt(page: Page, url: string, token: string, o: { timeout?: number } = {}) {
  await page.goto(url, { waitUntil: 'domcontentloaded', ...(o.timeout && { timeout: o.timeout }) })
  await page.fill('input[type=password]', token)
  await page.click('button[type=submit]')
}

interface SignIn {
  /**
   * Where the site is chosen: in the address (`?site=`, the default), or in the header's menu as
   * soon as it is there ('menu') or once the first site's overview has shown ('menu after overview').
   */
  choose?: 'address' | 'menu' | 'menu after overview'
  /** More of the address after `?site=` (`&goal=signup`). */
  query?: string
  /** Waits for the first funnel's table too. */
  funnels?: boolean
  /** The page load's timeout (ms). */
  timeout?: number
}

/**
 * Signs in to the dashboard with the worker's token and waits for `site`'s Insights (its overview).
 * The worker holds other files' sites too: the first in its list may not be this file's.
 */
export async function signIn(page: Page, edge: Pick<Edge, 'origin' | 'token'>, site: string, o: SignIn = {}) {
  const inAddress = (o.choose ?? 'address') === 'address'
  await signInAt(page, `${edge.origin}/dashboard/${inAddress ? `?site=${site}${o.query ?? ''}` : ''}`, edge.token, o)
  if (o.choose === 'menu') await page.selectOption('header select >> nth=0', site)
  await page.locator('#overview').waitFor()
  if (o.choose === 'menu after overview') await page.selectOption('header select >> nth=0', site)
  if (o.funnels) await page.locator('section[aria-labelledby=funnels] table').first().waitFor()
}

/**
 * Signs in to the dashboard and opens `site`'s Settings, the site chosen in the header (the first in
 * the list may be a site a test made).
 */
export async function openSettings(page: Page, edge: Pick<Edge, 'origin' | 'token'>, site: string) {
  await signInAt(page, `${edge.origin}/dashboard`, edge.token)
  await page.locator('header select').first().selectOption(site)
  await page.getByRole('button', { name: 'Settings' }).click()
}

/** A new page signed in on the Settings of the file's copy of the demo, once shown, and its problems as they come. */
export async function demoSettings(env: { edge: Edge; browser: Browser; site: string }) {
  const page = await env.browser.newPage()
  const errors = problemsOf(page)
  await openSettings(page, env.edge, env.site)
  await eventually(async () =>
    expect(await page.locator('#settings').textContent()).toBe('Settings of Tandem (demo SaaS)'),
  )
  return { page, errors }
}

/** Clicks the dashboard's "Copy link" and, once it says it copied it, reads the link from the clipboard. */
export async function copiedLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Copy link' }).click()
  await eventually(async () =>
    expect(await page.locator('.copy-link [role=status]').textContent()).toBe('Link copied.'),
  )
  return page.evaluate(() => navigator.clipboard.readText())
}
