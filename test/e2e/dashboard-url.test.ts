/** The dashboard's view lives in its URL, in Chromium: a reload shows the same view, back the one before. */
import { beforeAll, describe, expect, it } from 'vitest'
import { eventually, storedEvents, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, visit } from './seed'

const env = useEdgeAndBrowser()

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  await visit(env.edge, env.site, 'dora', [{ type: 'pageview', url: `${SHOP}/pricing` }], { phone: true })
  await eventually(async () => expect((await storedEvents(env.edge, env.site, '&visitor=dora')).total).toBe(1))
})

describe('dashboard view in the URL', () => {
  it('keeps the section, period, segment and open visitor across a reload; back shows the view before', async () => {
    const page = await env.browser.newPage()
    const problems: string[] = []
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
    page.on('pageerror', (e) => problems.push(e.message))
    await page.goto(`${env.edge.origin}/dashboard/`, { waitUntil: 'domcontentloaded' })
    await page.fill('input[type=password]', env.edge.token)
    await page.click('button[type=submit]')
    await page.locator('#overview').waitFor()

    const period = page.locator('header select >> nth=1')
    const chosenPeriod = () => period.locator('option:checked').textContent()
    const segmentNote = page.locator('#overview ~ .note').first()
    const dialog = page.locator('dialog.visitor')
    const settings = page.getByRole('button', { name: 'Settings' })

    // Insights of the demo, its phone visitors, one of them open.
    await page.selectOption('header select >> nth=0', env.site)
    await page.locator('form[aria-label=Segment] select[name=device]').selectOption('mobile')
    await page.locator('form[aria-label=Segment] button[type=submit]').click()
    await eventually(async () => expect(await segmentNote.textContent()).toBe('Segment: mobile.'))
    await page.click('button[aria-label="Open visitor dora"]')
    await dialog.locator('.session').first().waitFor()

    await page.reload({ waitUntil: 'domcontentloaded' })
    await dialog.locator('.session').first().waitFor()
    expect(await dialog.locator('#visitor-title').textContent()).toBe('Visitor dora')
    expect(await segmentNote.textContent()).toBe('Segment: mobile.')
    expect(await page.locator('form[aria-label=Segment] select[name=device]').inputValue()).toBe('mobile')
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await dialog.count()).toBe(0))

    // Settings, over the last 7 days.
    await settings.click()
    await eventually(async () =>
      expect(await page.locator('#settings').textContent()).toBe('Settings of Tandem (demo SaaS)'),
    )
    await period.selectOption('7')
    await page.reload({ waitUntil: 'domcontentloaded' })
    await eventually(async () =>
      expect(await page.locator('#settings').textContent()).toBe('Settings of Tandem (demo SaaS)'),
    )
    expect(await chosenPeriod()).toBe('Last 7 days')
    expect(await settings.getAttribute('aria-pressed')).toBe('true')

    // Back: Settings over the period before; back again: the insights as they were, the visitor closed.
    await page.goBack({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await chosenPeriod()).toBe('Last 30 days'))
    expect(await page.locator('#settings').textContent()).toBe('Settings of Tandem (demo SaaS)')
    await page.goBack({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await page.locator('#overview').textContent()).toBe('Last 30 days'))
    expect(await segmentNote.textContent()).toBe('Segment: mobile.')
    expect(await dialog.count()).toBe(0)
    expect(await page.locator('#settings').count()).toBe(0)
    // Once more: the visitor, open again.
    await page.goBack({ waitUntil: 'domcontentloaded' })
    await dialog.locator('.session').first().waitFor()
    expect(await dialog.locator('#visitor-title').textContent()).toBe('Visitor dora')
    expect(problems).toEqual([])
    await page.close()
  })
})
