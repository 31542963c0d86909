/**
 * Saved views in Chromium (issue #27): a team saves what it looks at under a name, and opening it
 * later, from a fresh dashboard, shows the same period, segment and breakdown; deleting it
 * removes it for everyone.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, signIn, useEdgeAndBrowser } from './harness'
import { shopSite, untilStored, visit } from './seed'

const env = useEdgeAndBrowser()
const invite = (plan: string) => ({ type: 'track', name: 'invite_sent', props: { plan } })

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  await visit(env.edge, env.site, 'ann', [{ type: 'pageview' }, invite('pro')], { phone: true })
  await visit(env.edge, env.site, 'bo', [{ type: 'pageview' }, invite('free')], { phone: true })
  await visit(env.edge, env.site, 'cy', [{ type: 'pageview' }, invite('pro')])
  await untilStored(env.edge, env.site, 6)
})

const savedViews = async () => {
  const r = await fetch(`${env.edge.origin}/v1/admin/sites/${env.site}/views`, {
    headers: { authorization: `Bearer ${env.edge.token}` },
  })
  return ((await r.json()) as { views: { name: string }[] }).views
}

const breakdownRows = (page: Page) =>
  page
    .locator('section[aria-labelledby=breakdown] tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)))

/** The team's text in a sentence is isolated from it (U+2068 … U+2069). */
const isolated = (name: string) => `\u2068${name}\u2069`

describe('saved views', () => {
  it('saves the period, segment and breakdown under a name, opens them again from a fresh dashboard, and deletes the view', async () => {
    const page = await env.browser.newPage()
    const problems: string[] = []
    // The one refusal asked for below (a name taken) is Chromium's to log; nothing else may be.
    page.on('console', (m) => m.type() === 'error' && !/status of 409/.test(m.text()) && problems.push(m.text()))
    page.on('pageerror', (e) => problems.push(e.message))
    await signIn(page, env.edge, env.site, { choose: 'menu' })

    const period = page.locator('header select >> nth=1')
    const segmentNote = page.locator('#overview ~ .note').first()
    const box = page.locator('section[aria-labelledby=breakdown]')
    const status = page.locator('.saved-views [role=status]')
    const saveView = page.locator('.saved-views summary', { hasText: 'Save view' })
    const listed = page.locator('.saved-views summary', { hasText: 'Saved views' })
    const phonesByPlan = [
      ['free', '1', '50%', '1'],
      ['other (1 value)', '1', '50%', '1'],
    ]

    // Phones over the last 7 days, invites by plan, the top 1.
    await period.selectOption('7')
    await page.locator('form[aria-label=Segment] select[name=device]').selectOption('mobile')
    await page.locator('form[aria-label=Segment] button[type=submit]').click()
    await eventually(async () => expect(await segmentNote.textContent()).toBe('Segment: mobile.'))
    await box.getByLabel(/^Event\b/).selectOption('track:invite_sent')
    await box.getByLabel(/^By\b/).selectOption('prop')
    await box.getByLabel(/^Prop\b/).fill('plan')
    await box.getByLabel(/^Top\b/).fill('1')
    await box.getByRole('button', { name: 'Show', exact: true }).click()
    // Top 1 of a tie: whichever the API puts first.
    await eventually(async () =>
      expect((await breakdownRows(page)).map((r) => r.slice(1))).toEqual(phonesByPlan.map((r) => r.slice(1))),
    )
    const top = (await breakdownRows(page))[0]![0]
    phonesByPlan[0]![0] = top
    const shown = Object.fromEntries(new URL(page.url()).searchParams)
    expect(shown).toMatchObject({ days: '7', device: 'mobile', breakdown: 'track:invite_sent', by: 'prop:plan' })

    // Saved with the keyboard alone: the disclosure opens on Enter, the name is asked, Enter saves.
    await saveView.focus()
    await page.keyboard.press('Enter')
    const name = page.getByLabel('Name of this view')
    await eventually(async () => expect(await name.evaluate((input) => input === document.activeElement)).toBe(true))
    await page.keyboard.type('Phones by plan')
    await page.keyboard.press('Enter')
    await eventually(async () => expect(await status.textContent()).toBe(`Saved “${isolated('Phones by plan')}”.`))
    expect(await name.isVisible()).toBe(false)
    expect((await savedViews()).map((v) => v.name)).toEqual(['Phones by plan'])

    // A second view of that name is refused, in words, at the field.
    await saveView.click()
    await name.fill('Phones by plan')
    await page.keyboard.press('Enter')
    const alert = page.locator('#save-view-problem')
    await eventually(async () =>
      expect(await alert.textContent()).toBe(
        `site '${env.site}' has a view named 'Phones by plan' already: choose another name, or delete that one first`,
      ),
    )
    expect(await name.getAttribute('aria-invalid')).toBe('true')
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await name.isVisible()).toBe(false))
    expect(await savedViews()).toHaveLength(1)

    // A fresh dashboard: the default view of the site.
    await page.goto(`${env.edge.origin}/dashboard/?site=${env.site}`, { waitUntil: 'domcontentloaded' })
    await page.locator('#overview').waitFor()
    expect(await period.inputValue()).toBe('30')
    expect(await box.getByLabel(/^Event\b/).inputValue()).toBe('pageview')

    // Opened from the list: the same view, the same numbers.
    await listed.click()
    await page.getByRole('link', { name: 'Phones by plan' }).click()
    await eventually(async () => expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual(shown))
    await eventually(async () => expect(await segmentNote.textContent()).toBe('Segment: mobile.'))
    expect(await period.inputValue()).toBe('7')
    await eventually(async () => expect(await breakdownRows(page)).toEqual(phonesByPlan))
    expect(await box.getByLabel(/^Event\b/).inputValue()).toBe('track:invite_sent')
    expect(await box.getByLabel(/^Prop\b/).inputValue()).toBe('plan')
    expect(await box.getByLabel(/^Top\b/).inputValue()).toBe('1')
    // Back: the fresh dashboard it was opened from.
    await page.goBack({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await period.inputValue()).toBe('30'))
    await page.goForward({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await period.inputValue()).toBe('7'))

    // Deleted: gone from the list, and for the next reader too.
    await listed.click()
    await page.getByRole('button', { name: `Delete “${isolated('Phones by plan')}”` }).click()
    await eventually(async () => expect(await status.textContent()).toBe(`Deleted “${isolated('Phones by plan')}”.`))
    await eventually(async () =>
      expect(await page.locator('.saved-views .panel .note').textContent()).toBe('No saved views yet.'),
    )
    expect(await savedViews()).toEqual([])
    await page.reload({ waitUntil: 'domcontentloaded' })
    await listed.click()
    await eventually(async () =>
      expect(await page.locator('.saved-views .panel .note').textContent()).toBe('No saved views yet.'),
    )
    expect(problems).toEqual([])
    await page.close()
  })
})
