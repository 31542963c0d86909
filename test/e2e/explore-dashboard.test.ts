/** The Breakdown and Retention sections in Chromium: the numbers they show are the API's. */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { copiedLink, eventually, problemsOf, signIn, signInAt, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, untilStored, visit } from './seed'
import { bucketName } from '../../edge/dashboard/format'
import { pickLocale, setLocale } from '../../edge/dashboard/i18n'

const env = useEdgeAndBrowser()
const DAY = 86_400_000

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const pv = (path: string, ago = 0) => ({ type: 'pageview', url: `${SHOP}${path}`, ago })
  await visit(env.edge, env.site, 'ann', [
    pv('/', 15 * DAY),
    pv('/pricing', 15 * DAY - 60_000),
    { type: 'track', name: 'invite_sent', props: { plan: 'pro' }, ago: 15 * DAY - 90_000 },
  ])
  await visit(env.edge, env.site, 'ann', [pv('/pricing', 2 * DAY), pv('/projects/12', 2 * DAY - 1000)], {
    session: 'ann-2',
  })
  await visit(env.edge, env.site, 'bob', [pv('/projects/7', 8 * DAY), pv('/projects/9', 8 * DAY - 1000)], {
    phone: true,
  })
  await visit(env.edge, env.site, 'cy', [pv('/'), { type: 'track', name: 'invite_sent', props: { plan: 'free' } }])
  await visit(env.edge, env.site, 'crawler', [pv('/'), pv('/pricing')], { bot: true })
  await untilStored(env.edge, env.site, 11)
})

const api = async (path: string) => {
  const r = await fetch(`${env.edge.origin}/v1/insights/${path}&site=${env.site}`, {
    headers: { authorization: `Bearer ${env.edge.token}` },
  })
  expect(r.status).toBe(200)
  return (await r.json()) as any
}

const section = (page: Page, id: string) => page.locator(`section[aria-labelledby=${id}]`)
const cells = (page: Page, id: string) =>
  section(page, id)
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)))

describe('explore', () => {
  it('breaks an event down by a dimension, with the numbers of the API', async () => {
    // A British browser: its English writes the day first ("4 Mar").
    const page = await env.browser.newPage({ locale: 'en-GB' })
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    // The labels expected are written as the dashboard writes them for this browser's languages.
    const languages = await page.evaluate(() => [...navigator.languages])
    setLocale(pickLocale(languages), languages)
    const box = section(page, 'breakdown')
    await box.locator('table').waitFor()
    const pages = await api('breakdown?event=pageview&by=page&days=30')
    expect(pages.total.events).toBe(7)
    const share = (n: number, of: number) => `${Math.round((n / of) * 100)}%`
    expect(await cells(page, 'breakdown')).toEqual(
      pages.values.map((v: any) => [v.value, String(v.events), share(v.events, 7), String(v.visitors)]),
    )
    expect(pages.values.map((v: any) => v.value)).toContain('/projects/:id')
    expect(await box.locator('thead th[scope=col]').count()).toBe(4)
    expect(await box.locator('svg[role=img]').getAttribute('aria-label')).toContain('pageview by page')
    // The chart's axes: the busiest day's count and 0 beside the bars, the period's first and last day below.
    const busiest = Math.max(
      ...Array.from({ length: pages.buckets }, (_, i) =>
        [...pages.values, ...(pages.other ? [pages.other] : [])].reduce((s, v) => s + v.series.events[i], 0),
      ),
    )
    expect(await box.locator('figure.bars :is(.y, .x) span').allTextContents()).toEqual([
      String(busiest),
      '0',
      bucketName(pages.start, pages.unit),
      bucketName(pages.start + (pages.buckets - 1) * pages.size, pages.unit),
    ])
    expect(await box.locator('figure.bars .x span').last().textContent()).toMatch(/\(so far\)$/)

    // Custom events by a prop, the top 1 and "other".
    await box.getByLabel(/^Event\b/).selectOption('track:invite_sent')
    await box.getByLabel(/^By\b/).selectOption('prop')
    await box.getByLabel(/^Prop\b/).fill('plan')
    await box.getByLabel(/^Top\b/).fill('1')
    await box.getByRole('button', { name: 'Show', exact: true }).click()
    const plans = await api('breakdown?event=track:invite_sent&by=prop:plan&top=1&days=30')
    await eventually(async () =>
      expect(await cells(page, 'breakdown')).toEqual([
        [plans.values[0].value, '1', '50%', '1'],
        ['other (1 value)', '1', '50%', '1'],
      ]),
    )
    await box.screenshot({ path: 'test-results/section-breakdown.png' })
    expect(problems).toEqual([])
    await page.close()
  })

  it('keeps the breakdown and retention asked in the URL: a reload, back and forward and a copied link show them again', async () => {
    const context = await env.browser.newContext()
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.edge.origin })
    const page = await context.newPage()
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    const box = section(page, 'breakdown')
    const kept = section(page, 'retention')
    await box.locator('table').waitFor()
    const plans = await api('breakdown?event=track:invite_sent&by=prop:plan&top=1&days=30')
    const byPlan = [
      [plans.values[0].value, '1', '50%', '1'],
      ['other (1 value)', '1', '50%', '1'],
    ]
    const form = async () => ({
      event: await box.getByLabel(/^Event\b/).inputValue(),
      by: await box.getByLabel(/^By\b/).inputValue(),
      // Shown only for "A prop…".
      prop: (await box.getByLabel(/^Prop\b/).count()) ? await box.getByLabel(/^Prop\b/).inputValue() : null,
      top: await box.getByLabel(/^Top\b/).inputValue(),
    })
    const asked = { event: 'track:invite_sent', by: 'prop', prop: 'plan', top: '1' }

    await box.getByLabel(/^Event\b/).selectOption('track:invite_sent')
    await box.getByLabel(/^By\b/).selectOption('prop')
    await box.getByLabel(/^Prop\b/).fill('plan')
    await box.getByLabel(/^Top\b/).fill('1')
    await box.getByRole('button', { name: 'Show', exact: true }).click()
    await eventually(async () => expect(await cells(page, 'breakdown')).toEqual(byPlan))
    await kept.getByLabel(/^Returning on\b/).selectOption('track:invite_sent')
    await kept.getByLabel(/^Weeks\b/).selectOption('4')
    await eventually(async () => expect(await kept.locator('tbody th[scope=row]').count()).toBe(4))

    await page.reload({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await cells(page, 'breakdown')).toEqual(byPlan))
    expect(await form()).toEqual(asked)
    expect(await kept.getByLabel(/^Returning on\b/).inputValue()).toBe('track:invite_sent')
    expect(await kept.getByLabel(/^Weeks\b/).inputValue()).toBe('4')
    await eventually(async () => expect(await kept.locator('tbody th[scope=row]').count()).toBe(4))

    // Back: the weeks before, then the event before, then pageviews by page again; forward: the plans, the event.
    await page.goBack({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await kept.getByLabel(/^Weeks\b/).inputValue()).toBe('8'))
    expect(await kept.getByLabel(/^Returning on\b/).inputValue()).toBe('track:invite_sent')
    await page.goBack({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await kept.getByLabel(/^Returning on\b/).inputValue()).toBe('any'))
    await page.goBack({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect((await form()).event).toBe('pageview'))
    expect((await form()).by).toBe('page')
    await eventually(async () => expect((await cells(page, 'breakdown')).length).toBeGreaterThan(2))
    await page.goForward({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await cells(page, 'breakdown')).toEqual(byPlan))
    expect(await form()).toEqual(asked)
    await page.goForward({ waitUntil: 'domcontentloaded' })
    await eventually(async () =>
      expect(await kept.getByLabel(/^Returning on\b/).inputValue()).toBe('track:invite_sent'),
    )

    // The link carries the question; a colleague opening it is asked the same.
    const link = await copiedLink(page)
    expect(Object.fromEntries(new URL(link).searchParams)).toEqual({
      site: env.site,
      breakdown: 'track:invite_sent',
      by: 'prop:plan',
      top: '1',
      returning: 'track:invite_sent',
    })
    const colleague = await env.browser.newPage()
    await signInAt(colleague, link, env.edge.token)
    await eventually(async () => expect(await cells(colleague, 'breakdown')).toEqual(byPlan))
    expect(
      await section(colleague, 'retention')
        .getByLabel(/^Returning on\b/)
        .inputValue(),
    ).toBe('track:invite_sent')
    await colleague.close()
    expect(problems).toEqual([])
    await context.close()
  })

  it('shows weekly cohorts as a shaded triangle with the API’s shares', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    const box = section(page, 'retention')
    await box.getByLabel(/^Weeks\b/).selectOption('4')
    const r = await api('retention?weeks=4')
    expect(r.cohorts.reduce((n: number, c: any) => n + c.visitors, 0)).toBe(3)
    const pct = (s: number | null) => (s === null ? '—' : `${Math.round(s * 100)}%`)
    await eventually(async () =>
      expect((await cells(page, 'retention')).map((row) => row.slice(1))).toEqual(
        r.cohorts.map((c: any) => [String(c.visitors), ...c.shares.map(pct), ...Array(4 - c.shares.length).fill('')]),
      ),
    )
    expect(await box.locator('thead th[scope=col]').count()).toBe(6)
    expect(await box.locator('tbody th[scope=row]').count()).toBe(4)
    // A cohort's first week is all of it: the darkest shade.
    const first = box.locator('tbody tr').nth(r.cohorts.findIndex((c: any) => c.visitors > 0))
    expect(
      await first
        .locator('td[data-returning]')
        .first()
        .evaluate((td) => getComputedStyle(td).backgroundColor),
    ).toBe('rgba(42, 91, 215, 0.9)')
    await box.screenshot({ path: 'test-results/section-retention.png' })
    expect(problems).toEqual([])
    await page.close()
  })
})
