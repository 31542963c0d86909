/**
 * The dashboard's "Who will convert" section in Chromium (issue 11): a site with too little to
 * learn from says what to do; with 120 visitors seeded through the public API (half reached the
 * onboarding goal after browsing a lot, half rage-clicked and left), the model learns them, lists
 * the likeliest converter and the visitor most at risk, and each opens the visitor's timeline.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, storedEvents, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, visit, type SeedEvent } from './seed'

const env = useEdgeAndBrowser()

const STEPS = ['account', 'workspace', 'invite', 'done']
const config = {
  funnels: [{ id: 'onboarding', steps: STEPS.map((id) => ({ id })) }],
  segments: [{ id: 'likely', rule: { field: 'propensity.onboarding', op: 'gte', value: 0.8 } }],
}
const step = (s: string): SeedEvent => ({ type: 'step', name: 'onboarding', props: { step: s } })
const pages = (n: number): SeedEvent[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'pageview', url: `${SHOP}/p${i}` }))
const rage: SeedEvent = { type: 'rage_click', props: { path: 'main > button#save', text: 'Save', clicks: 4 } }

/** Who converts: browsed a lot, went through every step. Who does not: browsed little, raged. */
const VISITORS: [string, SeedEvent[]][] = [
  ...Array.from({ length: 60 }, (_, i): [string, SeedEvent[]] => [
    `done-${i}`,
    [...pages(12 + (i % 5)), ...STEPS.map(step)],
  ]),
  ...Array.from({ length: 60 }, (_, i): [string, SeedEvent[]] => [
    `left-${i}`,
    [...pages(1 + (i % 3)), step('account'), rage, rage],
  ]),
  ['keen', [...pages(15), step('account'), step('workspace'), step('invite')]],
  ['stuck', [...pages(1), step('account'), rage, rage, rage, rage]],
]
const EVENTS = VISITORS.reduce((n, [, e]) => n + e.length, 0)

beforeAll(async () => {
  await shopSite(env.edge, 'predict', config)
  await shopSite(env.edge, 'unlearnt', config)
  await shopSite(env.edge, 'nofunnel', {})
  for (let i = 0; i < VISITORS.length; i += 8)
    await Promise.all(VISITORS.slice(i, i + 8).map(([id, events]) => visit(env.edge, 'predict', id, events)))
  await eventually(async () => expect((await storedEvents(env.edge, 'predict')).total).toBe(EVENTS), 60_000)
}, 120_000)

async function signIn(page: Page, site: string) {
  await page.goto(`${env.edge.origin}/dashboard/`, { waitUntil: 'domcontentloaded' })
  await page.fill('input[type=password]', env.edge.token)
  await page.click('button[type=submit]')
  await page.locator('#overview').waitFor()
  await page.selectOption('header select >> nth=0', site)
}

function problemsOf(page: Page) {
  const problems: string[] = []
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  page.on('pageerror', (e) => problems.push(e.message))
  return problems
}

const section = (page: Page) => page.locator('section[aria-labelledby=propensity]')

describe('who will convert, in the dashboard', () => {
  it('says what to do when a site has no funnel, or has not been trained', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, 'nofunnel')
    await eventually(async () =>
      expect(await section(page).locator('[data-empty]').textContent()).toMatch(
        /^No funnel in this site's config\. Add one \(config\.funnels, its last step is the goal\)/,
      ),
    )
    await page.selectOption('header select >> nth=0', 'unlearnt')
    await eventually(async () =>
      expect(await section(page).locator('[data-empty]').textContent()).toMatch(/^Not trained yet/),
    )
    await section(page).locator('text=Train now').click()
    await eventually(async () =>
      expect(await section(page).locator('[data-empty]').textContent()).toMatch(
        /^Too little data: 0 visitors reached 'done' and 0 did not; a model needs at least 50 of each\. Scores appear once/,
      ),
    )
    expect(await section(page).locator('table').count()).toBe(0)
    await section(page).screenshot({ path: 'test-results/section-propensity-empty.png' })
    expect(problems).toEqual([])
    await page.close()
  })

  it('lists the likeliest converter and the visitor most at risk, with the AUC, and opens them', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, 'predict')
    await section(page).locator('text=Train now').click()
    const likely = section(page).locator('table', { hasText: 'Likely to reach done' })
    await likely.waitFor()
    // Separable but for 'keen', who looks like a converter and has not converted: when held out
    // (34 visitors, by a hash of their ids), keen outranks every converter there.
    expect(await section(page).locator('.note').first().textContent()).toMatch(
      /^AUC 0\.9\d on 34 held-out visitors \(learnt from 122: 60 reached done\); trained /,
    )
    expect(await likely.locator('tbody tr').first().locator('code').textContent()).toBe('keen')
    const risk = section(page).locator('table', { hasText: 'At risk' })
    expect(await risk.locator('tbody tr').first().locator('code').textContent()).toBe('stuck')
    expect(await risk.locator('tbody tr').first().locator('td').nth(2).textContent()).toBe('account')
    await section(page).screenshot({ path: 'test-results/section-propensity.png' })
    await likely.locator('button[aria-label="Open visitor keen"]').click()
    const dialog = page.locator('dialog.visitor')
    await dialog.locator('.session').first().waitFor()
    expect(await dialog.locator('[data-propensity]').textContent()).toMatch(/^9\d% to reach done \(onboarding\)$/)
    expect(problems).toEqual([])
    await page.close()
  })

  it('fits a 390 px wide phone screen', async () => {
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } })
    const problems = problemsOf(page)
    await signIn(page, 'predict')
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
