/**
 * The main-thread bench (part of `npm run bench`; `BENCH_ONLY=page npm run bench` runs it alone):
 * the same test page in headless Chromium (playwright-core, never a downloaded browser) with
 * nothing on it, with ciel (vitals and the IndexedDB outbox on), with Plausible's tracker and with
 * posthog-js (both dev dependencies). Everything is served from 127.0.0.1 by this script: the
 * scripts, their config and their event endpoints (answered, not forwarded); any other host is
 * aborted, so nothing leaves the machine.
 *
 * Per run, in a fresh browser context: load the page and wait until it is quiet (2.5 s), read
 * the main thread's counters (Chrome's Performance domain, in thread time: script and task time;
 * JS heap after a garbage collection; long tasks from a PerformanceObserver), then 200 real mouse
 * clicks (through the browser's input pipeline) on 8 targets in turn, 25 ms apart. "Handlers":
 * the time from the first listener of each click (window, capture phase) to the last (window,
 * bubbling), from performance.now() in a cross-origin isolated page (5 µs precision): the
 * median click times 200 (robust to a shared machine preempting a few clicks), and the sum;
 * "with deferred work": the main thread's task time from the first click to 3 s after the last
 * (timers, idle callbacks, sends, IndexedDB), and "(script)" the JavaScript part of that time
 * alone: the page's own style, layout and paint for 200 clicks are most of the task time and
 * vary from run to run by more than a tracker's whole cost (the task column can then come out
 * below zero), while the blank page's script time stayed within 1 ms over three runs here. Every figure is the script's page minus the blank
 * page of the same round, median of BENCH_PAGE_RUNS runs (default 7); the variants alternate in
 * each round. Then bytes: each script's files as served, gzip and brotli.
 *
 * BENCH_PAGE_BEFORE=<folder>: also runs ciel as built in that folder (a copy of an earlier
 * dist/public), as the row "ciel (before)", so a change is measured against the code before it
 * in the same run, on the same machine at the same moment.
 */
import { createServer } from 'node:http'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync, brotliCompressSync, constants } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { cpus, loadavg } from 'node:os'
import { chromium } from 'playwright-core'

const root = fileURLToPath(new URL('..', import.meta.url))
const RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 7)
const CLICKS = 200
const CLICK_GAP_MS = 25
const QUIET_MS = 2500
const AFTER_CLICKS_MS = 3000

const dist = join(root, 'dist/public')
const posthogDist = join(root, 'node_modules/posthog-js/dist')
const plausibleFile = join(root, 'node_modules/@plausible-analytics/tracker/plausible.js')
const manifest = JSON.parse(readFileSync(join(root, 'dist/manifest.json'), 'utf8'))
const before = process.env.BENCH_PAGE_BEFORE

/** The test page: a small product page whose own handlers answer some clicks, as pages do. */
const page = (head) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bench page</title>
<meta name="viewport" content="width=device-width">
<script>
  // Click handler time: from the first listener of a click (window, capture phase) to the last
  // (window, bubbling phase); everything the page and the scripts run for the click is between.
  window.__clicks = []
  var t0 = 0
  addEventListener('click', function () { t0 = performance.now() }, true)
  addEventListener('click', function () { window.__clicks.push(performance.now() - t0) })
</script>
<style>
  body { font: 16px/1.4 sans-serif; margin: 0; } header, main { padding: 16px; } nav a { margin-right: 24px; }
  .grid { display: grid; grid-template-columns: repeat(4, 200px); gap: 24px; } .card { border: 1px solid #ccc; padding: 12px; cursor: pointer; }
  button { padding: 8px 16px; } .on { background: #cde; }
</style>
${head}
</head><body>
<header><nav><a href="/features" id="nav-features">Features</a><a href="/pricing" id="nav-pricing">Pricing</a><a href="/docs" id="nav-docs">Docs</a></nav></header>
<main>
  <h1>Plan your work, together</h1>
  <p id="intro">Boards, roadmaps and reports for teams of every size. ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(6)}</p>
  <div class="grid">
    <div class="card" id="card-1" data-ciel-topic="boards"><h2>Boards</h2><p>Drag work across stages.</p></div>
    <div class="card" id="card-2" data-ciel-topic="reports"><h2>Reports</h2><p>See what shipped.</p></div>
    <div class="stepper"><button type="button" id="minus">−</button> <span id="count">1</span> <button type="button" id="plus">+</button></div>
    <div><button type="button" id="star" aria-pressed="false">Star</button></div>
    <div><button type="button" id="learn">Learn more</button></div>
    <div><button type="button" id="tab-a" role="tab" aria-selected="true">Monthly</button><button type="button" id="tab-b" role="tab" aria-selected="false">Yearly</button></div>
    <div><label><input type="checkbox" id="remember"> Remember me</label></div>
    <div><input id="email" name="email" placeholder="you@example.com"></div>
  </div>
  ${'<section><h2>More</h2><ul>' + '<li>Item with <b>bold</b> and <i>italic</i> text</li>'.repeat(40) + '</ul></section>'}
</main>
<script>
  // The page's own handlers (the same on every variant, blank included).
  var n = 1, count = document.getElementById('count')
  document.getElementById('plus').onclick = function () { count.textContent = ++n }
  document.getElementById('minus').onclick = function () { count.textContent = --n }
  var star = document.getElementById('star')
  star.onclick = function () { star.setAttribute('aria-pressed', star.classList.toggle('on')) }
  ;['tab-a', 'tab-b'].forEach(function (id) {
    document.getElementById(id).onclick = function () {
      document.querySelectorAll('[role=tab]').forEach(function (t) { t.setAttribute('aria-selected', t.id === id) })
    }
  })
  document.querySelectorAll('.card').forEach(function (c) { c.onclick = function () { c.classList.toggle('on') } })
</script>
</body></html>`

/** What each variant adds to the page's head. */
const VARIANTS = {
  blank: '',
  ciel:
    `<script>window.ciel=window.ciel||function(){(ciel.q=ciel.q||[]).push(arguments)}</script>\n` +
    `<script async src="/s.js" data-site="bench"></script>`,
  plausible: `<script type="module">import { init } from '/plausible.js'; init({ domain: 'bench.example', endpoint: '/api/event', captureOnLocalhost: true, outboundLinks: true })</script>`,
  ...(before && {
    'ciel (before)':
      `<script>window.ciel=window.ciel||function(){(ciel.q=ciel.q||[]).push(arguments)}</script>\n` +
      `<script async src="/before/s.js" data-site="bench"></script>`,
  }),
  'posthog-js': `<script>
    !function(){var s=document.createElement('script');s.async=true;s.src='/posthog/array.js';
    s.onload=function(){posthog.init('phc_bench',{api_host:location.origin,ui_host:location.origin,person_profiles:'identified_only'})};
    document.head.appendChild(s)}()</script>`,
}

/** ciel's site config on the bench page: click capture and web vitals on (the defaults), the outbox in IndexedDB. */
const CIEL_CONFIG = { consent: 'opt-out', capture: { clicks: true, vitals: true } }

/** Serves the page variants, the scripts, and answers their endpoints; 127.0.0.1 only. */
function startServer() {
  const type = (f) => (f.endsWith('.js') ? 'text/javascript' : f.endsWith('.json') ? 'application/json' : 'text/html')
  // Cross-origin isolated (everything is same-origin here): performance.now() is then precise to
  // 5 µs instead of 100 µs, which the click handler timings need.
  const isolated = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
  const file = (res, f) =>
    existsSync(f)
      ? res.writeHead(200, { 'content-type': type(f) + '; charset=utf-8', ...isolated }).end(readFileSync(f))
      : res.writeHead(404).end()
  const json = (res, body, status = 200) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
      const variant = /^\/p\/([\w-]+|ciel \(before\))$/.exec(path)?.[1]
      if (variant && VARIANTS[variant] !== undefined)
        return res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...isolated })
          .end(page(VARIANTS[variant]))
      if (path === '/s.js' || path.startsWith('/c/')) return file(res, join(dist, path))
      if (before && path.startsWith('/before/')) return file(res, join(before, path.slice(8)))
      if (path === '/v1/config') return json(res, CIEL_CONFIG)
      if (path === '/v1/events') {
        let n = 0
        try {
          n = JSON.parse(body).events.length
        } catch {}
        return json(res, { accepted: n, duplicates: 0, decisions: {}, surveys: [] })
      }
      if (path === '/plausible.js') return file(res, plausibleFile)
      if (path === '/api/event') return res.writeHead(202).end('ok')
      if (path === '/posthog/array.js') return file(res, join(posthogDist, 'array.js'))
      // Its lazy parts (surveys.js, …), with or without a version folder.
      if (path.startsWith('/static/'))
        return file(res, join(posthogDist, path.replace(/^\/static\/(\d+\.\d+\.\d+\/)?/, '')))
      // posthog's remote config, flags and capture endpoints: what its cloud answers a project
      // with autocapture on (its default) and no recordings, surveys or heatmaps.
      if (path.startsWith('/array/') && path.endsWith('/config.js'))
        return res.writeHead(200, { 'content-type': 'text/javascript', ...isolated }).end('')
      if (/^\/(flags|decide|array)\b/.test(path))
        return json(res, {
          autocapture_opt_out: false,
          captureDeadClicks: false,
          capturePerformance: false,
          heatmaps: false,
          sessionRecording: false,
          surveys: false,
          featureFlags: {},
          featureFlagPayloads: {},
          errorsWhileComputingFlags: false,
          supportedCompression: ['gzip', 'gzip-js'],
        })
      if (/^\/(e|i|s|batch)\b/.test(path)) return json(res, { status: 1 })
      res.writeHead(404).end()
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${server.address().port}`, server })),
  )
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Chrome's main-thread counters: seconds of script and of tasks, bytes of JS heap. */
async function metrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics')
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]))
  return { script: m.ScriptDuration * 1000, task: m.TaskDuration * 1000, heap: m.JSHeapUsedSize }
}

const TARGETS = ['#plus', '#card-1', '#star', '#intro', '#learn', '#tab-b', '#card-2', '#minus']

/** One run of a variant: figures of the page alone (the blank variant subtracts the page's own work). */
async function run(browser, origin, variant) {
  // A visitor's browser, not a bot's: Plausible and posthog-js do nothing for automation (a
  // headless user agent, navigator.webdriver), which would flatter them.
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  })
  // Nothing leaves the machine: any request to another host is aborted.
  await context.route(
    (url) => url.hostname !== '127.0.0.1',
    (r) => r.abort(),
  )
  await context.addInitScript(() => {
    Object.defineProperty(navigator, 'webdriver', { get: () => false })
    window.__long = 0
    try {
      new PerformanceObserver((l) => (window.__long += l.getEntries().length)).observe({
        type: 'longtask',
        buffered: true,
      })
    } catch {}
  })
  const p = await context.newPage()
  const cdp = await context.newCDPSession(p)
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  await p.goto(`${origin}/p/${variant}`, { waitUntil: 'load' })
  await sleep(QUIET_MS)
  await cdp.send('HeapProfiler.collectGarbage')
  const load = await metrics(cdp)
  const longTasks = await p.evaluate(() => window.__long)

  const boxes = []
  for (const t of TARGETS) {
    const b = await p.locator(t).boundingBox()
    boxes.push({ x: b.x + Math.min(20, b.width / 2), y: b.y + b.height / 2 })
  }
  const before = await metrics(cdp)
  for (let i = 0; i < CLICKS; i++) {
    const b = boxes[i % boxes.length]
    await p.mouse.click(b.x, b.y)
    await sleep(CLICK_GAP_MS)
  }
  // The typical click, times 200: on a machine shared with other work a few clicks are
  // preempted for milliseconds, whatever runs in them; the sum is kept too.
  const times = await p.evaluate(() => window.__clicks)
  const handlers = median(times) * times.length
  const handlersSum = times.reduce((a, b) => a + b, 0)
  const isolated = await p.evaluate(() => crossOriginIsolated)
  if (!isolated) throw new Error('the bench page is not cross-origin isolated: click timings would be coarse')
  await sleep(AFTER_CLICKS_MS)
  const after = await metrics(cdp)
  await context.close()
  return {
    loadScript: load.script,
    loadTask: load.task,
    heap: load.heap,
    longTasks,
    clickHandlers: handlers,
    clickHandlersSum: handlersSum,
    clickAll: after.task - before.task,
    clickScript: after.script - before.script,
  }
}

/** The bytes each script sends to a page, gzip and brotli. */
export function bytes() {
  const size = (files) => {
    let raw = 0,
      gz = 0,
      br = 0
    for (const f of files) {
      const buf = readFileSync(f)
      raw += buf.length
      gz += gzipSync(buf, { level: 9 }).length
      br += brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
    }
    return { raw, gz, br }
  }
  const chunk = (name) => join(dist, manifest[name].file)
  return [
    ['ciel loader (s.js)', size([join(dist, 's.js')])],
    ['ciel core (with the slots)', size([chunk('core')])],
    ['ciel outbox chunk (lazy, once consent allows sending)', size([chunk('deliver')])],
    ['ciel capture chunk (lazy, with rage/dead clicks)', size([chunk('later')])],
    ['ciel vitals chunk (lazy)', size([chunk('vitals')])],
    ['ciel survey chunk (lazy)', size([chunk('survey')])],
    ['posthog-js array.js', size([join(posthogDist, 'array.js')])],
    ['posthog-js module.slim.js', size([join(posthogDist, 'module.slim.js')])],
    ['posthog-js surveys.js (lazy)', size([join(posthogDist, 'surveys.js')])],
    ['Plausible tracker', size([plausibleFile])],
  ]
}

export async function benchPage() {
  const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium'
  if (!existsSync(executablePath))
    throw new Error(`no Chromium at ${executablePath}: apt-get install -y chromium, or set CHROME_PATH`)
  const { origin, server } = await startServer()
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  const browserVersion = `Chromium ${browser.version()}`
  const names = Object.keys(VARIANTS)
  const results = Object.fromEntries(names.map((n) => [n, []]))
  try {
    // Variants alternate within each round, so a slow moment of the machine hits them alike.
    for (let r = 0; r < RUNS; r++) for (const n of names) results[n].push(await run(browser, origin, n))
  } finally {
    await browser.close()
    server.close()
  }
  const blank = results.blank
  const med = (n, k) => median(results[n].map((x, i) => x[k] - (k === 'longTasks' ? 0 : blank[i][k])))
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
  console.log(
    `6. main thread: headless ${browserVersion}, ${cpus().length} cores (${cpu}), load ${loadavg()[0].toFixed(1)}, ${new Date().toISOString().slice(0, 10)}`,
  )
  console.log(`   median of ${RUNS} runs, each minus the blank page of its round (ms of main-thread time; heap in KB)`)
  const head = [
    'script',
    'JS at load',
    'all tasks at load',
    'heap',
    'long tasks',
    '200 clicks: handlers (typical)',
    '(sum)',
    'with deferred work',
    '(script)',
  ]
  console.log('   | ' + head.join(' | ') + ' |\n   |' + head.map(() => '---').join('|') + '|')
  const rows = {}
  for (const n of names.filter((x) => x !== 'blank')) {
    const x = (rows[n] = {
      load: med(n, 'loadScript'),
      task: med(n, 'loadTask'),
      heap: med(n, 'heap') / 1024,
      long: Math.max(...results[n].map((r) => r.longTasks)) - Math.max(...blank.map((r) => r.longTasks)),
      handlers: med(n, 'clickHandlers'),
      sum: med(n, 'clickHandlersSum'),
      all: med(n, 'clickAll'),
      allScript: med(n, 'clickScript'),
    })
    const cells = [
      n,
      x.load.toFixed(1),
      x.task.toFixed(1),
      x.heap.toFixed(0),
      Math.max(0, x.long),
      x.handlers.toFixed(2),
      x.sum.toFixed(1),
      x.all.toFixed(1),
      x.allScript.toFixed(1),
    ]
    console.log('   | ' + cells.join(' | ') + ' |')
  }
  const c = rows.ciel
  const pl = rows.plausible
  const r = (a, b) => (b > 0 ? (a / b).toFixed(2) + 'x' : 'n/a')
  console.log(
    `   ciel against Plausible: JS at load ${r(c.load, pl.load)} (goal ≤ 2x), click handlers ${r(c.handlers, pl.handlers)} (sum ${r(c.sum, pl.sum)}), with deferred work ${r(c.all, pl.all)}`,
  )
  console.log(
    `   ciel against the goals: tasks at load ${c.task.toFixed(1)} ms (≤ 15), heap ${c.heap.toFixed(0)} KB (≤ 250), ${Math.max(0, c.long)} long tasks more than blank (0); ` +
      `200 clicks ${c.handlers.toFixed(2)} ms in handlers (≤ 2), ${c.all.toFixed(1)} ms with deferred work (≤ 5; ${c.allScript.toFixed(1)} ms of it script)`,
  )
  console.log(`   bytes a page downloads:`)
  console.log(`   | file | raw | gzip | brotli |\n   |---|---|---|---|`)
  for (const [what, b] of bytes()) console.log(`   | ${what} | ${b.raw} | ${b.gz} | ${b.br} |`)
  return rows
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchPage()
/** For probing one variant by hand: the server and one run. */
export { startServer, run }
