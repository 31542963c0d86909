/**
 * `npm run screenshots`: the README's two pictures, and the dashboard in Hebrew for
 * docs/dashboard.md, made from the product itself so they stay true. Starts a worker on a fresh local database (a free port, a temporary folder), fills it
 * with `simulate` (300 visitors), then in Chromium (playwright-core, never downloaded:
 * CHROME_PATH or /usr/bin/chromium) takes:
 *   docs/demo-survey.png  the Hebrew demo page (right to left), its slots decided, the
 *                         multilingual survey open
 *   docs/dashboard.png    the dashboard with that data
 *   docs/dashboard-he.png the same dashboard in Hebrew, right to left (a browser set to Hebrew)
 * `--origin http://127.0.0.1:PORT` uses a running worker (and its data) instead.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import { adminToken, root, serve } from './serve.mjs'
import { simulate } from './simulate.mjs'

const { values } = parseArgs({ options: { origin: { type: 'string' }, visitors: { type: 'string', default: '300' } } })
const out = join(root, 'docs')
mkdirSync(out, { recursive: true })

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

let worker
let dir
let origin = values.origin
let token = adminToken()
if (!origin) {
  dir = mkdtempSync(join(tmpdir(), 'ciel-shots-'))
  console.error('starting a worker on a fresh database…')
  worker = await serve({ port: await freePort(), persistTo: dir, quiet: true })
  origin = worker.origin
  token = worker.token
  await simulate({
    origin,
    site: 'demo',
    visitors: Number(values.visitors),
    days: 28,
    concurrency: 6,
    maxSeconds: 600,
    seed: 1,
  })
}

const chrome = process.env.CHROME_PATH || '/usr/bin/chromium'
if (!existsSync(chrome)) throw new Error(`no Chromium at ${chrome}: apt-get install -y chromium, or set CHROME_PATH`)
const browser = await chromium.launch({
  executablePath: chrome,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
})
try {
  // A person's browser (automation is flagged as a bot and its surveys are not offered the same way).
  const context = await browser.newContext({
    viewport: { width: 1100, height: 720 },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
  })
  await context.addInitScript(() => Object.defineProperty(navigator, 'webdriver', { get: () => false }))
  const page = await context.newPage()
  // The slots wait up to 3 s for their decision (data-wait and the CSS rule, as a site owner may
  // set them), so that this busy machine's speed does not decide the picture.
  await page.route(/\/he\?/, async (route) => {
    const r = await route.fetch()
    const body = (await r.text()).replace('data-site="demo"', 'data-site="demo" data-wait="3000"')
    await route.fulfill({ response: r, body })
  })
  await page.route(/demo\.css$/, async (route) => {
    const r = await route.fetch()
    await route.fulfill({ response: r, body: (await r.text()).replace('var(--ciel-wait, 300ms)', '3000ms') })
  })
  // A newsletter reader: the hero slot shows the integrations variant, in Hebrew.
  await page.goto(`${origin}/he?utm_source=newsletter`)
  await page.locator('[data-ciel-slot=hero][data-ciel-shown]').waitFor({ timeout: 15_000 })
  // The site's multilingual survey shows after two seconds on /he (the `voice` survey's trigger).
  const survey = page.locator('[data-ciel-survey] button').first()
  await survey.waitFor({ timeout: 30_000 })
  await page.waitForTimeout(400) // its entrance animation
  await page.screenshot({ path: join(out, 'demo-survey.png') })
  await context.close()

  /** The dashboard's first screens, signed in, in the language of a browser set to `locale`. */
  const dashboard = async (locale, file) => {
    const dash = await browser.newPage({ viewport: { width: 1280, height: 1500 }, locale })
    await dash.goto(`${origin}/dashboard/`, { waitUntil: 'domcontentloaded' })
    await dash.fill('input[type=password]', token)
    await dash.click('button[type=submit]')
    await dash.locator('#overview').waitFor()
    await dash.locator('section[aria-labelledby=trends] canvas').first().waitFor({ timeout: 30_000 })
    await dash.waitForLoadState('networkidle')
    await dash.waitForTimeout(500)
    await dash.screenshot({ path: join(out, file) })
    await dash.close()
  }
  await dashboard('en-US', 'dashboard.png')
  await dashboard('he-IL', 'dashboard-he.png')
  console.error(`wrote ${['demo-survey.png', 'dashboard.png', 'dashboard-he.png'].map((f) => join(out, f)).join(', ')}`)
} finally {
  await browser.close()
  if (worker) await worker.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
}
