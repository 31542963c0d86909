/**
 * The demo's story: `npm run simulate` fills a running worker with visitors whose data the
 * insights API then shows, and the Polish, Hebrew and Arabic pages show personalised slots.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eventually, humanContext, longWait, snippetReady, storedEvents, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()
const script = join(import.meta.dirname, '../../scripts/simulate.mjs')

/** Runs the simulate command; resolves with its exit code and output. */
function simulate(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('exit', (code) => resolve({ code, out, err }))
  })
}

async function insight(path: string) {
  const days = path.includes('days=') ? '' : '&days=60'
  const r = await fetch(
    `${env.edge.origin}/v1/insights/${path}${path.includes('?') ? '&' : '?'}site=${env.site}${days}`,
    {
      headers: { authorization: `Bearer ${env.edge.token}` },
    },
  )
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`)
  return (await r.json()) as any
}

describe('npm run simulate', () => {
  it('sends a bounded number of visitors whose traffic, surveys and experiment reach the insights', async () => {
    const run = await simulate([
      '--visitors',
      '40',
      '--origin',
      env.edge.origin,
      '--site',
      env.site,
      '--max-seconds',
      '240',
    ])
    expect(run.err).toContain('40/40 visitors')
    expect(run.code).toBe(0)
    const sent = Number(/sent (\d+) events/.exec(run.out)?.[1])
    expect(sent).toBeGreaterThan(200)
    // Everything sent is stored (the queue writes D1 within a second or two).
    await eventually(async () => expect((await storedEvents(env.edge, env.site, '&limit=1')).total).toBe(sent), 30_000)

    const overview = await insight('overview')
    expect(overview.visitors).toBeGreaterThan(20)
    expect(overview.botEvents).toBeGreaterThan(0)
    // Spread over past days: more than a week of the trend has visitors.
    const trends = await insight('trends?days=30')
    const visitors = trends.metrics.find((m: any) => m.id === 'visitors')
    expect(visitors.current.filter((n: number) => n > 0).length).toBeGreaterThan(7)
    const sources = await insight('sources')
    expect(sources.referrers.map((r: any) => r.source)).toContain('google.com')
    expect(sources.campaigns.map((c: any) => c.source)).toContain('newsletter')
    // Survey answers were obtained as the snippet obtains them: signed by the worker's offer.
    const surveys = await insight('surveys')
    const answered = surveys.surveys.filter((s: any) => s.answered > 0)
    expect(answered.length).toBeGreaterThan(0)
    expect(surveys.surveys.every((s: any) => s.unsigned === 0)).toBe(true)
    const voice = surveys.surveys.find((s: any) => s.id === 'voice')
    expect(voice.languages.length).toBeGreaterThan(1)
    // The demo's own complaints (the rage and stall surveys, in every language) read as negative
    // once the jobs queue has scored them.
    await eventually(async () => {
      const now = (await insight('surveys')).surveys
      const complaints = now.filter((s: any) => s.id === 'rage' || s.id === 'onboarding-stall')
      expect(complaints.map((s: any) => s.scoring.pending)).toEqual([0, 0])
      expect(complaints.map((s: any) => s.sentiment.positive + s.sentiment.neutral)).toEqual([0, 0])
      expect(complaints.reduce((n: number, s: any) => n + s.sentiment.negative, 0)).toBeGreaterThan(0)
    }, 30_000)
    const experiment = (await insight('personalisation')).experiments.find((e: any) => e.experiment === 'trial-cta-1')
    expect(experiment.arms.reduce((n: number, a: any) => n + a.exposed, 0)).toBeGreaterThan(0)
    const funnel = (await insight('funnels')).funnels[0]
    expect(funnel.steps[0].visitors).toBeGreaterThan(0)
  }, 300_000)

  it('says clearly when no worker answers, and refuses hosts other than this machine', async () => {
    const none = await simulate(['--visitors', '3', '--origin', 'http://127.0.0.1:9'])
    expect(none.code).toBe(1)
    expect(none.err).toContain('no ciel worker answers at http://127.0.0.1:9')
    const away = await simulate(['--visitors', '3', '--origin', 'https://example.com'])
    expect(away.code).toBe(2)
    expect(away.err).toContain('--origin must be a worker on this machine')
    const many = await simulate(['--visitors', '100000', '--origin', env.edge.origin])
    expect(many.code).toBe(2)
    expect(many.err).toContain('--visitors must be a whole number from 1 to 10000')
  })
})

describe('demo pages in Polish, Hebrew and Arabic', () => {
  const pages = [
    { path: '/pl', lang: 'pl', dir: null, hero: 'Działa z narzędziami, które już masz' },
    { path: '/he', lang: 'he', dir: 'rtl', hero: 'עובד עם הכלים שכבר יש לכם' },
    { path: '/ar', lang: 'ar', dir: 'rtl', hero: 'يعمل مع الأدوات التي لديك' },
  ]
  for (const p of pages)
    it(`${p.path} shows a newsletter reader the integrations hero in its language`, async () => {
      const context = await humanContext(env.browser)
      const page = await context.newPage()
      await longWait(page)
      await page.goto(`${env.edge.origin}${p.path}?utm_source=newsletter`)
      await snippetReady(page)
      expect(
        await page.evaluate(() => [document.documentElement.lang, document.documentElement.getAttribute('dir')]),
      ).toEqual([p.lang, p.dir])
      const hero = page.locator('[data-ciel-slot=hero]')
      await eventually(async () => expect(await hero.getAttribute('data-ciel-shown')).not.toBeNull())
      expect(await hero.locator('h1').textContent()).toBe(p.hero)
      expect(await hero.locator('h1').count()).toBe(1)
      await context.close()
    })
})
