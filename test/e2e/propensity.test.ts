/**
 * The dashboard's "Who will convert" section in Chromium (issues 11 and 23): a site with too little
 * to learn from says what to do; with 351 visitors seeded through the public API over the last 29
 * days (most who browse a lot go through onboarding within days of arriving, most who barely
 * browse and rage-click never do), the model trained looking 7 days forward shows its forward test
 * (AUC against the current step and visits alone, calibration), lists the likeliest converter and
 * the visitors most at risk, and opens a visitor's timeline.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, problemsOf, signIn, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, untilStored, visit, type SeedEvent } from './seed'

const env = useEdgeAndBrowser()

const DAY = 86_400_000
const STEPS = ['account', 'workspace', 'invite', 'done']
const config = {
  funnels: [{ id: 'onboarding', steps: STEPS.map((id) => ({ id })) }],
  segments: [{ id: 'likely', rule: { field: 'propensity.onboarding', op: 'gte', value: 0.8 } }],
}
const step = (s: string, ago = 0): SeedEvent => ({ type: 'step', name: 'onboarding', props: { step: s }, ago })
const pages = (n: number, ago = 0): SeedEvent[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'pageview', url: `${SHOP}/p${i}`, ago: ago + (n - i) * 1000 }))
const rage = (ago = 0): SeedEvent => ({
  type: 'rage_click',
  props: { path: 'main > button#save', text: 'Save', clicks: 4 },
  ago,
})

/**
 * Keen visitors arrive 5 to 29 days ago, browse a lot and take the first steps; 7 in 10 finish
 * 2 to 12 days later. Cold ones barely browse, rage-click and stop at the first step; 1 in 5
 * finishes 1 to 9 days later. Where a visitor's finish would be in the future, they have not yet.
 */
const VISITORS: [string, SeedEvent[]][] = [
  ...Array.from({ length: 200 }, (_, i): [string, SeedEvent[]] => {
    const d = (5 + (i % 25)) * DAY
    const delay = (2 + ((i * 7) % 11)) * DAY
    return [
      `keen-${i}`,
      [
        ...pages(12 + (i % 5), d),
        step('account', d - 60_000),
        step('workspace', d - DAY),
        step('invite', d - 2 * DAY),
        ...(i % 10 < 7 && delay < d ? [step('done', d - delay)] : []),
      ],
    ]
  }),
  ...Array.from({ length: 150 }, (_, i): [string, SeedEvent[]] => {
    const d = (3 + (i % 27)) * DAY
    const delay = (1 + ((i * 5) % 9)) * DAY
    return [
      `cold-${i}`,
      [
        ...pages(1 + (i % 3), d),
        step('account', d - 60_000),
        rage(d - 50_000),
        rage(d - 40_000),
        ...(i % 5 === 0 && delay < d ? [step('done', d - delay)] : []),
      ],
    ]
  }),
  ['keen', [...pages(15, 120_000), step('account', 60_000), step('workspace', 30_000), step('invite', 10_000)]],
]
const EVENTS = VISITORS.reduce((n, [, e]) => n + e.length, 0)

const train = (site: string, query = '') =>
  fetch(`${env.edge.origin}/v1/insights/propensity/train?site=${site}${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.edge.token}` },
  })

beforeAll(async () => {
  await shopSite(env.edge, 'predict', config)
  await shopSite(env.edge, 'unlearnt', config)
  await shopSite(env.edge, 'nofunnel', {})
  for (let i = 0; i < VISITORS.length; i += 8)
    await Promise.all(VISITORS.slice(i, i + 8).map(([id, events]) => visit(env.edge, 'predict', id, events)))
  await untilStored(env.edge, 'predict', EVENTS, { ms: 60_000 })
  // Training reads the visitors' profiles the ingest consumer writes to D1 after their events:
  // wait for all of them, or the model learns from whichever were written first.
  await eventually(async () => {
    const r = await fetch(`${env.edge.origin}/v1/insights/visitors?site=predict&days=30&limit=500`, {
      headers: { authorization: `Bearer ${env.edge.token}` },
    })
    const { visitors } = (await r.json()) as { visitors: { sessions: number }[] }
    expect(visitors.filter((v) => v.sessions > 0).length).toBe(VISITORS.length)
  }, 60_000)
  // 29 days of events: the models look 7 days ahead (the default 14 would need 70 days behind).
  const r = await train('predict', '&horizon=7')
  if (!r.ok) throw new Error(`training failed: ${r.status} ${await r.text()}`)
}, 180_000)

const section = (page: Page) => page.locator('section[aria-labelledby=propensity]')

describe('who will convert, in the dashboard', () => {
  it('says what to do when a site has no funnel, or has not been trained', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, env.edge, 'nofunnel', { choose: 'menu after overview' })
    await eventually(async () =>
      expect(await section(page).locator('[data-empty]').first().textContent()).toMatch(
        /^No funnel in this site's config\. Add one \(config\.funnels, its last step is the goal\)/,
      ),
    )
    await page.selectOption('header select >> nth=0', 'unlearnt')
    const funnel = section(page).locator('[data-funnel=onboarding] [data-empty]')
    await eventually(async () => expect(await funnel.textContent()).toMatch(/^Not trained yet/))
    await section(page).locator('text=Train now').click()
    await eventually(async () =>
      expect(await funnel.textContent()).toMatch(
        /^Too little data: at the training cutoffs \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\) 0 visitors reached 'done' within 14 days and 0 did not; a model needs at least 50 of each\. Scores appear once/,
      ),
    )
    expect(await section(page).locator('[data-churn] [data-empty]').textContent()).toMatch(
      /^Too little data: .* 0 returning visitors did not come back within 14 days and 0 did;/,
    )
    expect(await section(page).locator('table').count()).toBe(0)
    await section(page).screenshot({ path: 'test-results/section-propensity-empty.png' })
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows the forward test, lists the likeliest converter and the visitors most at risk, and opens one', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, env.edge, 'predict', { choose: 'menu after overview' })
    const model = section(page).locator('[data-funnel=onboarding]')
    const likely = model.locator('table', { hasText: 'Likely to reach done within 7 days' })
    await likely.waitFor()
    expect(await model.locator('[data-test]').textContent()).toMatch(
      new RegExp(
        '^Tested forward: learnt from visitors as they were at 4 earlier cutoffs \\(\\d{4}-\\d\\d-\\d\\d to \\d{4}-\\d\\d-\\d\\d\\), ' +
          'measured on \\d+ visitors not yet at done, \\d+ of whom reached it within 7 days as of \\d{4}-\\d\\d-\\d\\d: ' +
          'AUC 0\\.\\d\\d \\(current step alone 0\\.\\d\\d, visits alone 0\\.\\d\\d\\)\\. ' +
          'Brier score 0\\.\\d{3} \\(saying \\d+% for everyone: 0\\.\\d{3}\\)\\. Trained ',
      ),
    )
    expect(await model.locator('table', { hasText: 'Calibration' }).locator('tbody tr').count()).toBeGreaterThan(0)
    expect(await model.locator('[data-warning]').count()).toBe(0)
    // The likeliest: 'keen', at invite minutes ago after a long browse (0.89 against 0.49 for the next).
    const top = likely.locator('tbody tr').first()
    expect(await top.locator('code').textContent()).toBe('keen')
    expect(await top.locator('td').nth(2).textContent()).toBe('invite')
    const chances = (await likely.locator('tbody tr td:nth-child(2)').allTextContents()).map((c) => parseInt(c, 10))
    expect(chances).toEqual([...chances].sort((a, b) => b - a))
    const risk = model.locator('table', { hasText: 'At risk' })
    // Least likely to finish: cold visitors stopped at the first step weeks ago.
    expect(await risk.locator('tbody tr').first().locator('code').textContent()).toMatch(/^cold-/)
    expect(await risk.locator('tbody tr').first().locator('td').nth(2).textContent()).toBe('account')
    // Everyone came once: there is no returning visitor to learn churn from.
    expect(await section(page).locator('[data-churn] [data-empty]').textContent()).toMatch(/^Too little data/)
    await section(page).screenshot({ path: 'test-results/section-propensity.png' })
    // Training again keeps the horizon the site was trained with.
    await section(page).locator('text=Train now').click()
    await eventually(async () =>
      expect(await section(page).locator('[role=status]').textContent()).toBe(
        'Trained 2 models, looking 7 days ahead.',
      ),
    )
    await likely.locator('button[aria-label="Open visitor keen"]').click()
    const dialog = page.locator('dialog.visitor')
    await dialog.locator('.session').first().waitFor()
    expect(await dialog.locator('[data-propensity]').textContent()).toMatch(/^\d+% to reach done \(onboarding\)$/)
    expect(problems).toEqual([])
    await page.close()
  })

  it('fits a 390 px wide phone screen', async () => {
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } })
    const problems = problemsOf(page)
    await signIn(page, env.edge, 'predict', { choose: 'menu after overview' })
    await section(page).locator('table').first().waitFor()
    const widths = await section(page).evaluate((s) => ({
      page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
      tables: [...s.querySelectorAll('table')].map((t) => t.getBoundingClientRect().right),
      section: s.getBoundingClientRect().right,
    }))
    expect(widths.page[0]).toBeLessThanOrEqual(widths.page[1]!)
    expect(widths.section).toBeLessThanOrEqual(390)
    for (const right of widths.tables) expect(right).toBeLessThanOrEqual(390)
    await section(page).screenshot({ path: 'test-results/section-propensity-390.png' })
    expect(problems).toEqual([])
    await page.close()
  })
})
