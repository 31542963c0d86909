/** The product team's insights in Chromium, on traffic seeded through the public API. */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, storedEvents, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, visit } from './seed'

const env = useEdgeAndBrowser()

const LONG = `${SHOP}/settings/workspaces/1234567890/members/invitations/pending-and-expired-invitations`

beforeAll(async () => {
  await shopSite(env.edge)
  const step = (s: string) => ({ type: 'step', name: 'onboarding', props: { step: s } })
  await visit(env.edge, 'demo', 'ann', [
    { type: 'pageview', url: `${SHOP}/?utm_source=newsletter`, props: { ref: 'https://www.google.com/' } },
    { type: 'pageview', url: LONG, props: { ref: `${SHOP}/` } },
    step('account'),
    step('workspace'),
    {
      type: 'rage_click',
      url: LONG,
      props: {
        path: 'main > section.invitations > div.pending-list > button#resend-all-expired-invitations',
        text: 'Resend all expired invitations now',
        clicks: 4,
      },
    },
    {
      type: 'form_abandon',
      url: LONG,
      props: { form: 'invite-members-by-email-address', fields: ['email'], last: 'email-address-of-the-colleague' },
    },
    { type: 'track', name: 'invite_sent', props: { plan: 'pro' } },
  ])
  await visit(env.edge, 'demo', 'bob', [{ type: 'pageview', url: `${SHOP}/pricing` }, step('account')], { phone: true })
  await visit(env.edge, 'demo', 'crawler', [{ type: 'pageview' }, { type: 'pageview' }], { bot: true })
  await eventually(async () => expect((await storedEvents(env.edge, 'demo')).total).toBe(11))
})

async function signIn(page: Page) {
  await page.goto(`${env.edge.origin}/dashboard/`)
  await page.fill('input[type=password]', env.edge.token)
  await page.click('button[type=submit]')
  await page.locator('#overview').waitFor()
}

/** Console errors and uncaught exceptions of a page (there should be none). */
function problemsOf(page: Page) {
  const problems: string[] = []
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  page.on('pageerror', (e) => problems.push(e.message))
  return problems
}

describe('insights dashboard', () => {
  it('counts people, not bots, and reads "Last day" for a one-day period', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page)
    const card = (label: string) => page.locator('.card', { hasText: label }).locator('dd')
    await eventually(async () => expect(await card('Visitors').textContent()).toBe('2'))
    expect(await card('Pageviews').textContent()).toBe('3')
    await page.selectOption('header select >> nth=1', '1')
    await eventually(async () => expect(await page.locator('#overview').textContent()).toBe('Last day'))
    expect(await page.locator('header select >> nth=1 >> option:checked').textContent()).toBe('Last day')
    await page.selectOption('header select >> nth=1', '7')
    await eventually(async () => expect(await page.locator('#overview').textContent()).toBe('Last 7 days'))
    expect(problems).toEqual([])
    await page.close()
  })

  it("shows an error, not the previous site's numbers, when a newly chosen site cannot be loaded", async () => {
    await shopSite(env.edge, 'other', {})
    const page = await env.browser.newPage()
    await page.route(/\/v1\/insights\/funnels\?.*site=other/, (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"D1 is unavailable"}' }),
    )
    await signIn(page)
    await eventually(async () => expect(await page.locator('.card dd').first().textContent()).toBe('2'))
    await page.selectOption('header select >> nth=0', 'other')
    await eventually(async () =>
      expect(await page.locator('[role=alert]').textContent()).toContain('Could not load other: D1 is unavailable'),
    )
    expect(await page.locator('.card').count()).toBe(0)
    expect(await page.locator('#overview').count()).toBe(0)
    // Back to a site that loads: its numbers, and no error left over.
    await page.selectOption('header select >> nth=0', 'demo')
    await eventually(async () => expect(await page.locator('.card dd').first().textContent()).toBe('2'))
    expect(await page.locator('[role=alert]').count()).toBe(0)
    await page.close()
  })

  it('fits a 390 px wide phone screen: no table or section is wider than the page', async () => {
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } })
    const problems = problemsOf(page)
    await signIn(page)
    await page.locator('table', { hasText: 'Rage click' }).waitFor()
    const widths = await page.evaluate(() => ({
      page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
      tables: [...document.querySelectorAll('table')].map((t) => [
        t.getBoundingClientRect().right,
        t.parentElement!.scrollWidth - t.parentElement!.clientWidth,
      ]),
    }))
    expect(widths.page[0]).toBeLessThanOrEqual(widths.page[1]!)
    expect(widths.tables.length).toBeGreaterThan(2)
    for (const [right, hidden] of widths.tables) {
      expect(right).toBeLessThanOrEqual(390)
      expect(hidden).toBe(0)
    }
    await page.screenshot({ path: 'test-results/dashboard-390.png', fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })
})
