/**
 * More numbers open the visitors behind them, in Chromium: who stopped at a funnel step (with
 * where they went instead), who viewed a page, who came from a source, an NPS survey's promoters and an experiment arm's
 * visitors each open a list of exactly as many visitors as the number clicked; the list is in the
 * URL, so a reload shows it again and back closes it.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { eventually, signIn, useEdgeAndBrowser } from './harness'
import { SHOP, secretsOf, shopSite, untilStored, visit, type SeedEvent } from './seed'
import { signOffer } from '../../edge/domain/offers'

const env = useEdgeAndBrowser()
const PEOPLE = 24

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const { secret } = await secretsOf(env.edge, env.site)
  const step = (s: string, ago: number): SeedEvent => ({ type: 'step', name: 'onboarding', props: { step: s }, ago })
  let sent = 0
  for (let i = 0; i < PEOPLE; i++) {
    const id = `q${String(i).padStart(2, '0')}`
    const events: SeedEvent[] = [
      { type: 'pageview', url: `${SHOP}/`, ago: 9000 },
      { type: 'slot_shown', props: { slot: 'plan-cta', variant: i % 2 ? 'trial' : '', exp: 'trial-cta-1' }, ago: 8000 },
      step('account', 7000),
      // Half go on; the others look at pricing instead.
      i % 2 ? step('workspace', 6000) : { type: 'pageview', url: `${SHOP}/pricing`, ago: 6000 },
      {
        type: 'survey_answer',
        name: 'nps',
        props: { kind: 'nps', score: i % 11 },
        hash: await signOffer(secret, env.site, 'nps', id, Date.now()),
        ago: 5000,
      },
    ]
    await visit(env.edge, env.site, id, events)
    sent += events.length
  }
  await untilStored(env.edge, env.site, sent, { query: '&limit=1' })
})

/** Clicks a number and checks the list it opens: its title, as many rows as the number said. */
async function opens(page: Page, button: Locator, n: number, title: string) {
  await eventually(async () => expect(await button.textContent()).toBe(String(n)))
  await button.click()
  const dialog = page.locator('dialog.behind')
  expect(await dialog.locator('#behind-title').textContent()).toBe(title)
  await eventually(async () => expect(await dialog.locator('tbody tr').count()).toBe(n))
  expect(await dialog.locator('[data-total]').textContent()).toMatch(new RegExp(`^${n} visitors[ ,]`))
  return dialog
}

describe('the visitors behind more numbers', () => {
  it('a drop-off, a page, a source, a survey score and an experiment arm each open exactly their visitors', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    await signIn(page, env.edge, env.site, { timeout: 90_000 })

    // Who stopped at "account": half of them, each with where they went instead.
    const stopped = page
      .locator('section[aria-labelledby=funnels] tbody tr', {
        has: page.locator('th', { hasText: /^account$/ }),
      })
      .getByRole('button', { name: 'Show the 12 visitors who stopped at account' })
    let dialog = await opens(page, stopped, 12, 'Visitors who stopped at “account” (onboarding)')
    expect(new URL(page.url()).searchParams.get('who')).toBe('funnel=onboarding&dropped=account')
    expect(new Set(await dialog.locator('tbody tr td:last-child').allTextContents())).toEqual(
      new Set(['Viewed /pricing']),
    )
    // A reload shows the same list; closed, back opens it again.
    await page.reload({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await dialog.locator('tbody tr').count()).toBe(12))
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await dialog.count()).toBe(0))
    await page.goBack({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await dialog.locator('tbody tr').count()).toBe(12))
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await dialog.count()).toBe(0))

    // A page of the Top pages table.
    const pricing = page
      .locator('section[aria-labelledby=traffic] tbody tr', { hasText: '/pricing' })
      .getByRole('button', { name: 'Show the 12 visitors who viewed /pricing' })
    dialog = await opens(page, pricing, 12, 'Visitors who viewed /pricing')
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await dialog.count()).toBe(0))

    // A source of the Referrers table: every seeded session came straight in.
    const direct = page
      .locator('section[aria-labelledby=traffic] tbody tr', { has: page.locator('th, td', { hasText: /^direct$/ }) })
      .getByRole('button', { name: `Show the ${PEOPLE} visitors who came from direct` })
    dialog = await opens(page, direct, PEOPLE, 'Visitors who came from direct')
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await dialog.count()).toBe(0))

    // The NPS survey's promoters (scores 9 and 10: four of the seed).
    const promoters = page
      .locator('section[aria-labelledby=surveys] article', { has: page.locator('#survey-nps') })
      .getByRole('button', { name: 'Show the 4 promoters of nps' })
    dialog = await opens(page, promoters, 4, 'The promoters of the survey “nps”')
    expect(new URL(page.url()).searchParams.get('who')).toBe('survey=nps&score=promoters')
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await dialog.count()).toBe(0))

    // An experiment's arm.
    const trial = page
      .locator('section[aria-labelledby=personalisation]')
      .getByRole('button', { name: 'Show the 12 visitors who saw trial (trial-cta-1)' })
    dialog = await opens(page, trial, 12, 'Visitors who saw trial (trial-cta-1)')
    expect(problems).toEqual([])
    await page.close()
  }, 150_000) // a loaded machine once held the dashboard's first page past 30 s
})
