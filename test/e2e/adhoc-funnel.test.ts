/**
 * "Ask a funnel" in Chromium: a funnel built in Explore's form (steps chosen, added, moved and
 * removed, a window) shows the API's numbers for the same steps, lives in the URL so a reload
 * asks it again, shows the worker's refusal beside the field, and is saved as one of the site's funnels.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, signIn, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, untilStored, visit } from './seed'

const env = useEdgeAndBrowser()
const STEPS = 'page:/pricing,track:signup_started,page:/projects/*'
/** Where those who stopped went, as the dashboard says it: a page viewed, the team's own event, nothing. */
const inWords = (event: string | null) =>
  event === null ? 'nothing' : event.startsWith('page:') ? `Viewed ${event.slice(5)}` : event.replace(/^track:/, '')

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const pv = (path: string, ago: number) => ({ type: 'pageview', url: `${SHOP}${path}`, ago })
  const signup = (ago: number) => ({ type: 'track', name: 'signup_started', ago })
  await visit(env.edge, env.site, 'ann', [pv('/pricing', 90_000), signup(60_000), pv('/projects/12', 30_000)])
  await visit(env.edge, env.site, 'bob', [pv('/pricing', 90_000), signup(60_000)])
  await visit(env.edge, env.site, 'cy', [pv('/pricing', 90_000)])
  // Out of order: the sign-up before the pricing page counts only as step 1.
  await visit(env.edge, env.site, 'dee', [signup(90_000), pv('/pricing', 60_000)])
  // The sign-up skipped: a project after the pricing page does not count.
  await visit(env.edge, env.site, 'eve', [pv('/pricing', 90_000), pv('/projects/3', 60_000)])
  await untilStored(env.edge, env.site, 10)
})

const get = async (path: string) => {
  const r = await fetch(`${env.edge.origin}${path}`, { headers: { authorization: `Bearer ${env.edge.token}` } })
  expect(r.status).toBe(200)
  return (await r.json()) as any
}
const asked = (window: number) =>
  get(`/v1/insights/funnels?site=${env.site}&days=30&window=${window}&steps=${encodeURIComponent(STEPS)}`)

/** Each row of a funnel table: its step, visitors, time from the step before and what those who stopped did next. */
const rows = (page: Page, table: string) =>
  page
    .locator(table)
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [0, 1, 4, 5].map((i) => tr.children[i]!.textContent)))

describe('ask a funnel', () => {
  it('a funnel built in the form shows the API’s counts for the same steps, survives a reload and is saved as a funnel', async () => {
    const page = await env.browser.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    const box = page.locator('section[aria-labelledby=ask-funnel]')
    // Built out of order, then put right: pricing, projects, sign-up, a fourth step removed; the sign-up moved up.
    await box.getByLabel('Step 1: a page view of the path').fill('/pricing')
    await box.getByLabel('Step 2: kind').selectOption('page')
    await box.getByLabel('Step 2: a page view of the path').fill('/projects/*')
    await box.getByRole('button', { name: 'Add a step' }).click()
    await box.getByLabel('Step 3: kind').selectOption('track')
    // What the site has seen is offered for the step's kind.
    expect(await box.locator('#ask-tracks option').evaluateAll((o) => o.map((x) => (x as any).value))).toContain(
      'signup_started',
    )
    await box.getByLabel('Step 3: a custom event named').fill('signup_started')
    await box.getByRole('button', { name: 'Step 3: Up' }).click()
    await box.getByRole('button', { name: 'Add a step' }).click()
    await box.getByLabel('Step 4: a page view of the path').fill('/oops')
    await box.getByRole('button', { name: 'Step 4: Remove' }).click()
    await box.getByLabel('Conversion window (days, default 7)').fill('3')
    await box.getByRole('button', { name: 'Show the funnel' }).click()

    const api = (await asked(3)).funnels[0]
    expect(api.steps.map((s: any) => s.visitors)).toEqual([5, 2, 1])
    const expected = api.steps.map((s: any, k: number) => [
      s.id,
      String(s.visitors),
      k === 0 ? '—' : `${s.fromPrevious.median} s (90%: ${s.fromPrevious.p90} s)`,
      // Who stopped there, and what they did next.
      s.dropped
        ? `${s.dropped}${s.next.length ? ` → ${s.next.map((n: any) => `${inWords(n.event)} (${n.visitors})`).join(', ')}` : ''}`
        : '—',
    ])
    expect(api.steps.map((s: any) => s.fromPrevious?.median ?? null)).toEqual([null, 30, 30])
    await eventually(async () =>
      expect(await rows(page, 'section[aria-labelledby=ask-funnel] table')).toEqual(expected),
    )
    await box.screenshot({ path: 'test-results/section-ask-funnel.png' })
    const url = new URL(page.url())
    expect([url.searchParams.get('steps'), url.searchParams.get('window')]).toEqual([STEPS, '3'])

    // A reload asks the same funnel again, and the form holds its steps.
    await page.reload({ waitUntil: 'domcontentloaded' })
    await eventually(async () =>
      expect(await rows(page, 'section[aria-labelledby=ask-funnel] table')).toEqual(expected),
    )
    expect(await box.getByLabel('Step 2: a custom event named').inputValue()).toBe('signup_started')
    expect(await box.getByLabel('Conversion window (days, default 7)').inputValue()).toBe('3')

    // The worker's refusal stands beside the window, in words.
    const window = box.getByLabel('Conversion window (days, default 7)')
    await window.fill('120')
    await box.getByRole('button', { name: 'Show the funnel' }).click()
    await eventually(async () =>
      expect(await box.getByLabel('Conversion window (days, default 7)').getAttribute('aria-invalid')).toBe('true'),
    )
    const beside = box.locator('#ask-funnel-problem')
    expect(await beside.textContent()).toBe('Must be a whole number of days from 1 to 90')
    expect(await box.locator('table').count()).toBe(0)

    // And beside the step it quotes.
    await box.getByLabel('Conversion window (days, default 7)').fill('3')
    await box.getByLabel('Step 1: a page view of the path').fill('pricing')
    await box.getByRole('button', { name: 'Show the funnel' }).click()
    await eventually(async () =>
      expect(await box.getByLabel('Step 1: a page view of the path').getAttribute('aria-invalid')).toBe('true'),
    )
    expect(await beside.textContent()).toBe('Must name a path starting with /, like page:/pricing')
    await box.getByLabel('Step 1: a page view of the path').fill('/pricing')

    // Saved as a funnel of the site, which then counts the same visitors.
    // A name the worker refuses: its words beside the name, nothing saved.
    const before = (await get(`/v1/admin/sites/${env.site}`)).config.funnels
    await box.getByLabel('Funnel name').fill('pricing signup')
    await box.getByRole('button', { name: 'Save as funnel' }).click()
    await eventually(async () => expect(await box.getByLabel('Funnel name').getAttribute('aria-invalid')).toBe('true'))
    expect(await beside.textContent()).toBe("Must be 1-64 letters, digits, '-' or '_'")
    expect((await get(`/v1/admin/sites/${env.site}`)).config.funnels).toEqual(before)
    await box.getByLabel('Funnel name').fill('pricing-signup')
    await box.getByRole('button', { name: 'Save as funnel' }).click()
    await eventually(async () =>
      expect(await box.getByRole('status').textContent()).toMatch(
        /^Saved as funnel “pricing-signup” \(version \d+\)\.$/,
      ),
    )
    const saved = (await get(`/v1/admin/sites/${env.site}`)).config.funnels.at(-1)
    expect(saved).toEqual({
      id: 'pricing-signup',
      window: 3,
      steps: [
        { id: '/pricing', page: '/pricing' },
        { id: 'signup_started', track: 'signup_started' },
        { id: '/projects/*', page: '/projects/*' },
      ],
    })
    const table = 'section[aria-labelledby=funnels] table:has(caption:text-matches("^pricing-signup,"))'
    await eventually(async () => expect((await rows(page, table)).map((r) => r[1])).toEqual(['5', '2', '1']))
    expect(problems).toEqual([])
    await page.close()
  })

  it("an asked funnel's step count and drop-off open exactly the visitors they count", async () => {
    const page = await env.browser.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    const box = page.locator('section[aria-labelledby=ask-funnel]')
    await box.getByLabel('Step 1: a page view of the path').fill('/pricing')
    await box.getByLabel('Step 2: a custom event named').fill('signup_started')
    await box.getByRole('button', { name: 'Show the funnel' }).click()
    const row = (step: string) =>
      box.locator('table tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${step}$`) }) })
    const dialog = page.locator('dialog.behind')
    const listed = dialog.locator('tbody tr')

    // The second step's count: ann and bob saw the pricing page and then started signing up.
    const reached = row('track:signup_started').locator('td button.link').first()
    await eventually(async () => expect(await reached.textContent()).toBe('2'))
    await reached.click()
    expect(await dialog.locator('#behind-title').textContent()).toBe(
      'Visitors who reached “track:signup_started” (Asked funnel)',
    )
    await eventually(async () => expect(await listed.count()).toBe(2))
    expect((await listed.locator('td:first-child code').allTextContents()).sort()).toEqual(['ann', 'bob'])
    expect(await dialog.locator('[data-total]').textContent()).toBe('2 visitors, the latest to reach it first.')
    // The list is in the URL as the funnel asked: its steps, and the step.
    const who = new URLSearchParams(new URL(page.url()).searchParams.get('who')!)
    expect(Object.fromEntries(who)).toEqual({
      steps: 'page:/pricing,track:signup_started',
      step: 'track:signup_started',
    })
    await dialog.getByRole('button', { name: 'Close' }).click()

    // Who stopped at the pricing page: the number beside it, listed.
    const stopped = row('page:/pricing').locator('td button.link').nth(1)
    const n = Number(await stopped.textContent())
    expect(n).toBe(3)
    await stopped.click()
    expect(await dialog.locator('#behind-title').textContent()).toBe(
      'Visitors who stopped at “page:/pricing” (Asked funnel)',
    )
    await eventually(async () => expect(await listed.count()).toBe(n))
    expect((await listed.locator('td:first-child code').allTextContents()).sort()).toEqual(['cy', 'dee', 'eve'])
    expect(problems).toEqual([])
    await page.close()
  })
})
