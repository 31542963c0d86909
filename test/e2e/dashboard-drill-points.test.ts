/**
 * The numbers of the trends, the breakdown and the retention open the visitors behind them, in
 * Chromium: a point of the Sessions trend lists the visitors behind its sessions (and says how many
 * sessions they made), a breakdown's row as many visitors as it says, a retention cell its
 * cohort's visitors active that week; each list is in the URL, so a reload shows it again and
 * back closes and opens it.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { eventually, storedEvents, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, visit, type SeedEvent } from './seed'

const env = useEdgeAndBrowser()
const PEOPLE = 20
/** Visitors who came back today in a second session, the last of them, to view the pricing page twice. */
const TWICE = 6
/** Visitors who viewed the pricing page in their first session, the first of them. */
const PRICING = 8

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  let sent = 0
  for (let i = 0; i < PEOPLE; i++) {
    const id = `t${String(i).padStart(2, '0')}`
    const events: SeedEvent[] = [
      { type: 'pageview', url: `${SHOP}/`, ago: 9000 },
      ...(i < PRICING ? [{ type: 'pageview', url: `${SHOP}/pricing`, ago: 8000 }] : []),
    ]
    await visit(env.edge, env.site, id, events, { session: `${id}-a` })
    sent += events.length
    if (i >= PEOPLE - TWICE) {
      const again = [2000, 1000].map((ago) => ({ type: 'pageview', url: `${SHOP}/pricing`, ago }))
      await visit(env.edge, env.site, id, again, { session: `${id}-b` })
      sent += again.length
    }
  }
  await eventually(async () => expect((await storedEvents(env.edge, env.site, '&limit=1')).total).toBe(sent))
})

async function signIn(page: Page) {
  await page.goto(`${env.edge.origin}/dashboard/?site=${env.site}`, { waitUntil: 'domcontentloaded', timeout: 90_000 })
  await page.fill('input[type=password]', env.edge.token)
  await page.click('button[type=submit]')
  await page.locator('#overview').waitFor()
}

/** Clicks a number and checks the list it opens: its title, as many rows as `n`, its note. */
async function opens(page: Page, button: Locator, title: string | RegExp, n: number, note: string) {
  await button.click()
  const dialog = page.locator('dialog.behind')
  await eventually(async () => expect(await dialog.locator('#behind-title').textContent()).toMatch(title))
  await eventually(async () => expect(await dialog.locator('tbody tr').count()).toBe(n))
  expect(await dialog.locator('[data-total]').textContent()).toBe(note)
  return dialog
}

describe('the visitors behind the points of the trends, the breakdown and the retention', () => {
  it('a Sessions point, a breakdown row and a retention cell each open exactly their visitors', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    await signIn(page)
    const dialog = page.locator('dialog.behind')
    const closed = async () => {
      await page.keyboard.press('Escape')
      await eventually(async () => expect(await dialog.count()).toBe(0))
    }

    // Today's sessions: every visitor's first, and the second of those who came back.
    const sessions = page.locator('section[aria-labelledby=trends] article', { has: page.locator('#trend-sessions') })
    await sessions.locator('summary').click()
    const today = sessions
      .locator('tbody tr')
      .last()
      .getByRole('button', {
        name: new RegExp(`^Show the visitors behind the ${PEOPLE + TWICE} sessions of `),
      })
    await eventually(async () => expect(await today.textContent()).toBe(String(PEOPLE + TWICE)))
    await opens(
      page,
      today,
      /^Visitors behind the sessions of .* \(so far\)$/,
      PEOPLE,
      `${PEOPLE} visitors behind ${PEOPLE + TWICE} sessions, the most recently seen first.`,
    )
    const who = new URL(page.url()).searchParams.get('who')!
    expect(new URLSearchParams(who).get('metric')).toBe('sessions')
    expect(Number(new URLSearchParams(who).get('bucket'))).toBe(Math.floor(Date.now() / 86_400_000) * 86_400_000)
    // A reload shows the same list; closed, back opens it again.
    await page.reload({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await dialog.locator('tbody tr').count()).toBe(PEOPLE))
    await closed()
    await page.goBack({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await dialog.locator('tbody tr').count()).toBe(PEOPLE))
    await closed()

    // Pageviews by page (the breakdown asked by default): the pricing page's row, viewed by the
    // first visitors once and by those who came back twice.
    const pricing = page
      .locator('section[aria-labelledby=breakdown] tbody tr[data-value="/pricing"]')
      .getByRole('button', { name: `Show the ${PRICING + TWICE} visitors behind /pricing` })
    await eventually(async () => expect(await pricing.textContent()).toBe(String(PRICING + TWICE)))
    await opens(
      page,
      pricing,
      'Visitors behind pageview where Page is /pricing',
      PRICING + TWICE,
      `${PRICING + TWICE} visitors behind ${PRICING + 2 * TWICE} events, the most recently seen first.`,
    )
    expect(new URL(page.url()).searchParams.get('who')).toBe('event=pageview&by=page&value=%2Fpricing')
    await closed()

    // This week's cohort (every visitor is new), active in its week 0: all of them.
    const cohort = page.locator('section[aria-labelledby=retention] table.retention tbody tr').last()
    const week0 = cohort.getByRole('button', {
      name: new RegExp(`^Show the ${PEOPLE} visitors of the week of .* active in week 0$`),
    })
    await eventually(async () => expect(await week0.textContent()).toBe('100%'))
    await opens(
      page,
      week0,
      /^Visitors first seen the week of .*, active in week 0$/,
      PEOPLE,
      `${PEOPLE} visitors, the most recently seen first.`,
    )
    const cell = new URLSearchParams(new URL(page.url()).searchParams.get('who')!)
    expect([cell.get('week'), cell.get('weeks')]).toEqual(['0', '8'])
    await page.reload({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await dialog.locator('tbody tr').count()).toBe(PEOPLE))
    expect(problems).toEqual([])
    await page.close()
  }, 150_000) // a loaded machine once held the dashboard's first page past 30 s
})
