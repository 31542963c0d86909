/** The dashboard's view lives in its URL, in Chromium: a reload shows the same view, back the one before. */
import { beforeAll, describe, expect, it } from 'vitest'
import { copiedLink, eventually, problemsOf, signIn, signInAt, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, untilStored, visit } from './seed'

const env = useEdgeAndBrowser()

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  await visit(env.edge, env.site, 'dora', [{ type: 'pageview', url: `${SHOP}/pricing` }], { phone: true })
  await untilStored(env.edge, env.site, 1, { query: '&visitor=dora' })
})

describe('dashboard view in the URL', () => {
  it('keeps the section, period, segment and open visitor across a reload; back shows the view before', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signInAt(page, `${env.edge.origin}/dashboard/`, env.edge.token)
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

  it('copies a link that opens the same view for a colleague, who signs in with their own token; back and forward step through the journey chosen', async () => {
    const context = await env.browser.newContext()
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.edge.origin })
    const page = await context.newPage()
    // Their first site may not be this one: the link names it.
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    await page.selectOption('header select >> nth=1', '7')
    await page.locator('form[aria-label=Segment] select[name=device]').selectOption('mobile')
    await page.locator('form[aria-label=Segment] button[type=submit]').click()
    const journeyFrom = page.locator('section[aria-labelledby=journeys] select').first()
    await eventually(async () => expect(await journeyFrom.locator('option').allTextContents()).toContain('/pricing'))
    await journeyFrom.selectOption('/pricing')
    await eventually(async () => expect(new URL(page.url()).searchParams.get('from')).toBe('/pricing'))

    const link = await copiedLink(page)
    expect(Object.fromEntries(new URL(link).searchParams)).toEqual({
      site: env.site,
      days: '7',
      device: 'mobile',
      from: '/pricing',
    })
    expect(link).not.toContain(env.edge.token)

    // The colleague: another browser, signed in on the link.
    const colleague = await env.browser.newContext()
    const theirs = await colleague.newPage()
    await signInAt(theirs, link, env.edge.token)
    await eventually(async () => expect(await theirs.locator('#overview').textContent()).toBe('Last 7 days'))
    expect(await theirs.locator('header select >> nth=0').inputValue()).toBe(env.site)
    expect(await theirs.locator('#overview ~ .note').first().textContent()).toBe('Segment: mobile.')
    const theirFrom = theirs.locator('section[aria-labelledby=journeys] select').first()
    await eventually(async () => expect(await theirFrom.inputValue()).toBe('/pricing'))
    await colleague.close()

    // Back: the journeys from any page, the segment still on; forward: from /pricing again.
    await page.goBack({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await journeyFrom.inputValue()).toBe(''))
    expect(await page.locator('#overview ~ .note').first().textContent()).toBe('Segment: mobile.')
    await page.goForward({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await journeyFrom.inputValue()).toBe('/pricing'))
    // A link copied before is not said to be copied for the view after it.
    expect(await page.locator('.copy-link [role=status]').textContent()).toBe('')
    await page.reload({ waitUntil: 'domcontentloaded' })
    await eventually(async () => expect(await journeyFrom.inputValue()).toBe('/pricing'))
    expect(await page.locator('#overview').textContent()).toBe('Last 7 days')
    await context.close()
  })
})
