/**
 * Every number opens the visitors behind it, in Chromium: a funnel step's visitors, its stalls,
 * a hotspot's and a segment's size each open a list of exactly as many visitors as the number says (50 at a
 * time), each opening their timeline; the list is in the URL, so a reload shows it again and back
 * and forward open and close it.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, hoverToday, signIn, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, untilStored, visit } from './seed'

const env = useEdgeAndBrowser()
const PEOPLE = 55

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const step = (s: string) => ({ type: 'step', name: 'onboarding', props: { step: s } })
  for (let i = 0; i < PEOPLE; i++)
    await visit(env.edge, env.site, `p${String(i).padStart(2, '0')}`, [
      { type: 'pageview', url: `${SHOP}/${i % 3 === 0 ? '?utm_source=newsletter' : ''}`, ago: 5000 },
      // Every one of them clicks "Learn more" in vain: the hotspot's visitors are all of them.
      {
        type: 'dead_click',
        url: `${SHOP}/`,
        props: { tag: 'button', id: 'learn-more', text: 'Learn more' },
        ago: 4500,
      },
      { ...step('account'), ago: 4000 },
      ...(i % 2 ? [{ ...step('workspace'), ago: 3000 }] : []),
      ...(i % 10 === 1 ? [{ type: 'stall', name: 'onboarding', props: { step: 'invite' }, ago: 2000 }] : []),
    ])
  await untilStored(env.edge, env.site, PEOPLE * 3 + 27 + 6, { query: '&limit=1' })
})

const funnelRow = (page: Page, step: string) =>
  // The step's name is isolated in its header cell (<bdi>): the cell whose whole text it is.
  page.locator('section[aria-labelledby=funnels] tbody tr', {
    has: page.locator('th', { hasText: new RegExp(`^${step}$`) }),
  })

describe('the visitors behind a number', () => {
  it('a funnel step opens exactly its visitors, 50 at a time, each opening their timeline; reload and back keep the list', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    await signIn(page, env.edge, env.site, { timeout: 90_000 })
    const reached = funnelRow(page, 'account').getByRole('button', {
      name: `Show the ${PEOPLE} visitors who reached account`,
    })
    await eventually(async () => expect(await reached.textContent()).toBe(String(PEOPLE)))
    await reached.click()
    const dialog = page.locator('dialog.behind')
    expect(await dialog.locator('#behind-title').textContent()).toBe('Visitors who reached “account” (onboarding)')
    const rows = dialog.locator('tbody tr')
    await eventually(async () => expect(await rows.count()).toBe(50))
    expect(await dialog.locator('[data-total]').textContent()).toBe(`${PEOPLE} visitors, the latest to reach it first.`)
    await dialog.getByRole('button', { name: 'Show 5 more' }).click()
    await eventually(async () => expect(await rows.count()).toBe(PEOPLE))
    const ids = await rows.locator('td:first-child code').allTextContents()
    expect(new Set(ids).size).toBe(PEOPLE)
    expect(await dialog.getByRole('button', { name: /^Show \d+ more$/ }).count()).toBe(0)
    expect(new URL(page.url()).searchParams.get('who')).toBe('funnel=onboarding&step=account')

    // A visitor of the list: their timeline over it; closed, the list is there still.
    await dialog.getByRole('button', { name: `Open visitor ${ids[0]}` }).click()
    const timeline = page.locator('dialog.visitor:not(.behind)')
    await timeline.locator('.session').first().waitFor()
    expect(await timeline.locator('#visitor-title').textContent()).toBe(`Visitor ${ids[0]}`)
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await timeline.count()).toBe(0))
    expect(await dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(true)

    // A reload shows the same list; closed, back opens it again, forward closes it.
    await page.reload({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await rows.count()).toBe(50))
    expect(await dialog.locator('[data-total]').textContent()).toBe(`${PEOPLE} visitors, the latest to reach it first.`)
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await dialog.count()).toBe(0))
    await page.goBack({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await rows.count()).toBe(50))
    await page.goForward({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await dialog.count()).toBe(0))
    expect(problems).toEqual([])
    await page.close()
  }, 150_000) // a loaded machine once held the dashboard's first page past 30 s

  it("a hotspot's visitors are all of them, 50 at a time", async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await signIn(page, env.edge, env.site, { timeout: 90_000 })
    const hotspot = page.locator('section[aria-labelledby=friction] tbody tr', { hasText: '#learn-more' })
    const count = hotspot.getByRole('button', { name: `${PEOPLE} visitors: show them` })
    await eventually(async () => expect(await count.textContent()).toBe(String(PEOPLE)))
    await count.click()
    const spot = page.locator('section.spot')
    const rows = spot.locator('tbody tr')
    await eventually(async () => expect(await rows.count()).toBe(50))
    expect(await spot.locator('[data-total]').textContent()).toBe(`${PEOPLE} visitors`)
    await spot.getByRole('button', { name: 'Show 5 more' }).click()
    await eventually(async () => expect(await rows.count()).toBe(PEOPLE))
    expect(new Set(await rows.locator('td:first-child code').allTextContents()).size).toBe(PEOPLE)
    expect(await spot.getByRole('button', { name: /^Show \d+ more$/ }).count()).toBe(0)
    await page.close()
  }, 150_000) // a loaded machine once held the dashboard's first page past 30 s

  it("a step's stalls and a segment's size open as many visitors as they say", async () => {
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } })
    await signIn(page, env.edge, env.site, { timeout: 90_000 })
    const dialog = page.locator('dialog.behind')
    const rows = dialog.locator('tbody tr')
    const stalled = funnelRow(page, 'invite').getByRole('button', { name: /visitors who stalled at invite$/ })
    await eventually(async () => expect(await stalled.textContent()).toBe('6'))
    await stalled.click()
    expect(await dialog.locator('#behind-title').textContent()).toBe('Visitors who stalled at “invite” (onboarding)')
    await eventually(async () => expect(await rows.count()).toBe(6))
    expect(await dialog.locator('[data-total]').textContent()).toBe('6 visitors, the most recently seen first.')
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await dialog.count()).toBe(0))

    const size = page
      .locator('section[aria-labelledby=personalisation] tbody tr', {
        has: page.locator('th', { hasText: 'from-newsletter' }),
      })
      .getByRole('button')
    const n = Number(await size.textContent())
    expect(n).toBe(19)
    await size.click()
    expect(await dialog.locator('#behind-title').textContent()).toBe('Visitors in the segment “from-newsletter”')
    await eventually(async () => expect(await rows.count()).toBe(n))
    expect(await dialog.locator('[data-total]').textContent()).toBe(
      `${n} visitors (segment from-newsletter), the most recently seen first.`,
    )
    await page.close()
  }, 150_000) // a loaded machine once held the dashboard's first page past 30 s

  it('a day of the visitors trend opens its visitors, from the chart and from the table', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await signIn(page, env.edge, env.site, { timeout: 90_000 })
    const visitors = page.locator('section[aria-labelledby=trends] article', { hasText: 'Visitors' }).first()
    const plot = visitors.locator('.u-over')
    await plot.waitFor()
    const point = await hoverToday(page, plot)
    await eventually(async () =>
      expect(await visitors.locator('.chart-value').textContent()).toMatch(/\(so far\): 55 · .* · click to list them$/),
    )
    await page.mouse.click(point.x, point.y)
    const dialog = page.locator('dialog.behind')
    await eventually(async () =>
      expect(await dialog.locator('#behind-title').textContent()).toMatch(/^Visitors of .* \(so far\)$/),
    )
    await eventually(async () => expect(await dialog.locator('tbody tr').count()).toBe(50))
    expect(await dialog.locator('[data-total]').textContent()).toBe(`${PEOPLE} visitors, the most recently seen first.`)
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await dialog.count()).toBe(0))
    // The same from the table, by keyboard.
    await visitors.locator('summary').click()
    const today = visitors.locator('tbody tr').last().getByRole('button')
    expect(await today.textContent()).toBe(String(PEOPLE))
    await today.focus()
    await page.keyboard.press('Enter')
    await eventually(async () => expect(await dialog.locator('tbody tr').count()).toBe(50))
    expect(await dialog.locator('[data-total]').textContent()).toBe(`${PEOPLE} visitors, the most recently seen first.`)
    await page.close()
  }, 150_000) // a loaded machine once held the dashboard's first page past 30 s
})
