/**
 * Part 8 of `npm run bench` (`BENCH_ONLY=firstpage npm run bench` runs it alone): a first visit's
 * slot, as a visitor sees it. The demo's home page on its own `wrangler dev` (as `npm start` serves
 * it), opened in BENCH_FIRSTPAGE_VISITS (default 20) fresh headless Chromium contexts per
 * condition, without and with 100 ms of latency added to every request (Chromium's network
 * emulation, through CDP); conditions alternate visit by visit. Half the visits land from the
 * newsletter (`/?utm_source=newsletter&utm_medium=email`: the demo's rule shows the integrations
 * hero), half from a link on news.ycombinator.com (a referrer rule this bench adds to its own copy
 * of the demo site: the pricing hero).
 *
 * Each page records, from before its own scripts run, what the hero shows at every animation
 * frame and at every change of its DOM (its headline when visible, nothing while hidden). Per
 * visit: "decided in time" when the first headline ever visible is the one the landing should get
 * and no other is ever visible; "swapped" when two different headlines were visible; the wait is
 * how long the hero stayed hidden, from its first frame in the page to its first visible one (what
 * the visitor waits for; the site's CSS rule lets it wait 300 ms), and "from navigation" adds the
 * time until the page had painted at all. "Where the time goes": medians of when each request
 * ended (Resource Timing, ms from navigation start).
 *
 * BENCH_FIRSTPAGE_BEFORE=<folder>[,<folder>...]: also runs earlier checkouts of ciel, each built
 * there (`npm run build`), on its own `wrangler dev`, named by its folder: visits alternate between
 * them all, so a change is measured against the code before it in the same run, under the same load.
 */
/* global window, document, getComputedStyle, requestAnimationFrame, MutationObserver -- functions run in the page */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, loadavg } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { serve } from '../serve.mjs'

const VISITS = Number(process.env.BENCH_FIRSTPAGE_VISITS ?? 20)
const BEFORE = process.env.BENCH_FIRSTPAGE_BEFORE
const LATENCY_MS = 100
const INTEGRATIONS = 'Works with the tools you have'
const PRICING = 'Plans from $0 for small teams'
const LANDINGS = [
  { what: 'UTM tags', path: '/?utm_source=newsletter&utm_medium=email', expect: INTEGRATIONS },
  { what: 'referrer', path: '/', referer: 'https://news.ycombinator.com/item?id=1', expect: PRICING },
]

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]
const median = (xs) => pct(xs, 0.5)

/** Runs in the page before its scripts: what the hero shows, per frame and per DOM change once it renders. */
function recorder() {
  const log = (window.__hero = [])
  const look = (how) => {
    const el = document.querySelector('[data-ciel-slot=hero]')
    if (!el) return
    const shown =
      getComputedStyle(el).visibility === 'visible' ? (el.querySelector(':scope > h1')?.textContent ?? '') : null
    log.push({ t: performance.now(), how, shown })
    // When the site's CSS rule began the slot's wait (its animation's start).
    if (window.__waitFrom == null)
      window.__waitFrom = el.getAnimations?.().find((x) => x.animationName === 'ciel-wait')?.startTime ?? null
  }
  let rendering = false
  const frame = () => {
    rendering = true
    look('frame')
    if (performance.now() < 4000) requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
  // Until the first frame the page is not rendered (its stylesheets block it): nothing is seen.
  new MutationObserver(() => rendering && look('dom')).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['style', 'data-ciel-shown'],
  })
}

async function visit(browser, origin, landing, latency) {
  const context = await browser.newContext({
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  })
  try {
    await context.addInitScript(recorder)
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    if (latency)
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency,
        downloadThroughput: -1,
        uploadThroughput: -1,
      })
    await page.goto(origin + landing.path, landing.referer ? { referer: landing.referer } : {})
    // Until the hero is filled for good, and a few frames after (to see that it stays).
    await page.waitForFunction(() => document.querySelector('[data-ciel-slot=hero]')?.dataset.cielShown != null, null, {
      timeout: 10_000,
    })
    await page.evaluate(() => new Promise((r) => setTimeout(r, 600)))
    return await page.evaluate(() => {
      const log = window.__hero
      const seen = [...new Set(log.map((x) => x.shown).filter((s) => typeof s === 'string'))]
      const present = log.find((x) => x.how === 'frame')
      const visible = log.find((x) => typeof x.shown === 'string')
      const ends = {}
      for (const e of performance.getEntriesByType('resource')) {
        const name = new URL(e.name).pathname.replace(/^\/c\/(\w+)-.*$/, '$1 chunk')
        ends[name] ??= e.responseEnd
      }
      ends.document = performance.getEntriesByType('navigation')[0].responseEnd
      const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-paint')
      return {
        seen,
        present: present?.t,
        visible: visible?.t,
        first: visible?.shown,
        ends,
        paint: paint?.startTime,
        waitFrom: window.__waitFrom,
      }
    })
  } finally {
    await context.close()
  }
}

/** Starts one build's `wrangler dev` with this bench's copy of the demo site; answers its origin and stop. */
async function startBuild(serveFn, root) {
  const dir = mkdtempSync(join(root, 'ciel-bench-firstpage-'))
  const ciel = await serveFn({ port: await freePort(), persistTo: dir, quiet: true })
  try {
    // The hero also answers a referrer (the demo has no such rule).
    const admin = { authorization: `Bearer ${ciel.token}`, 'content-type': 'application/json' }
    const demo = await (await fetch(`${ciel.origin}/v1/admin/sites/demo`, { headers: admin })).json()
    const hero = demo.config.slots.find((s) => s.id === 'hero')
    hero.rules = [
      ...(hero.rules ?? []),
      { when: { field: 'entry.referrer', op: 'eq', value: 'news.ycombinator.com' }, variant: 'pricing' },
    ]
    const put = await fetch(`${ciel.origin}/v1/admin/sites/demo`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ origins: demo.origins, config: demo.config }),
    })
    if (!put.ok) throw new Error(`bench site: ${put.status} ${await put.text()}`)
  } catch (e) {
    await ciel.stop()
    throw e
  }
  return {
    origin: ciel.origin,
    stop: async () => {
      await ciel.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function report(name, rs) {
  const ok = rs.filter((r) => r.ok).length
  const swapped = rs.filter((r) => r.seen.length > 1).length
  const waits = rs.map((r) => r.visible - r.present)
  const fromNav = rs.map((r) => r.visible)
  const byLanding = LANDINGS.map((l) => {
    const mine = rs.filter((r) => r.landing === l)
    return `${l.what} ${mine.filter((r) => r.ok).length}/${mine.length}`
  }).join(', ')
  console.log(
    `   ${name}: decided in time ${ok}/${rs.length} (${Math.round((100 * ok) / rs.length)}%: ${byLanding}); swapped after paint ${swapped}; hero hidden median ${median(waits).toFixed(0)} ms, p95 ${pct(waits, 0.95).toFixed(0)} ms (visible ${median(fromNav).toFixed(0)} / ${pct(fromNav, 0.95).toFixed(0)} ms from navigation)`,
  )
  const names = [...new Set(rs.flatMap((r) => Object.keys(r.ends)))]
  const when = names
    .map((n) => [n, median(rs.map((r) => r.ends[n]).filter((x) => x !== undefined))])
    .sort((a, b) => a[1] - b[1])
    .filter(([n]) => !/vitals|later|deliver|events/.test(n))
  console.log(
    `     where the time goes (median ms from navigation): ${when.map(([n, t]) => `${n} ${t.toFixed(0)}`).join(', ')}, first paint ${median(rs.map((r) => r.paint ?? NaN)).toFixed(0)}, hero visible ${median(fromNav).toFixed(0)}`,
  )
}

export async function benchFirstPage() {
  const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium'
  if (!existsSync(executablePath))
    throw new Error(`no Chromium at ${executablePath}: apt-get install -y chromium, or set CHROME_PATH`)
  const root = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
  const builds = { '': await startBuild(serve, root) }
  for (const folder of BEFORE?.split(',') ?? []) {
    const earlier = await import(pathToFileURL(join(resolve(folder), 'scripts/serve.mjs')).href)
    builds[`${basename(resolve(folder))}: `] = await startBuild(earlier.serve, root)
  }
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  const version = browser.version()
  const results = {}
  try {
    // Warm up the workers and the browser (first isolate, first compile of each script).
    for (const b of Object.values(builds)) for (const l of LANDINGS) await visit(browser, b.origin, l, 0)
    // Conditions and builds alternate visit by visit: a slow moment of the machine hits them alike.
    for (let i = 0; i < VISITS; i++)
      for (const latency of [0, LATENCY_MS])
        for (const [name, b] of Object.entries(builds)) {
          const landing = LANDINGS[i % LANDINGS.length]
          const r = await visit(browser, b.origin, landing, latency)
          if (process.env.BENCH_FIRSTPAGE_DEBUG && !(r.first === landing.expect && r.seen.length === 1))
            console.log(name, latency, landing.what, JSON.stringify(r))
          ;(results[`${name}${latency}`] ??= []).push({
            ...r,
            landing,
            ok: r.first === landing.expect && r.seen.length === 1,
          })
        }
  } finally {
    await browser.close()
    for (const b of Object.values(builds)) await b.stop()
  }
  console.log(
    `8. first page: the demo's home, first visits in fresh Chromium ${version} contexts, ${VISITS} per condition (half by UTM tags, half by a referrer), load ${loadavg()[0].toFixed(1)}`,
  )
  for (const latency of [0, LATENCY_MS])
    for (const name of Object.keys(builds))
      report(`${name}${latency ? `+${latency} ms per request` : 'no added latency'}`, results[`${name}${latency}`])
}
