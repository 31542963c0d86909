/** Personalised content, end to end: interests from one page change another page's slot. */
import { describe, expect, it } from 'vitest'
import { eventually, humanContext, longWait, snippetReady, storedEvents, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()

const hero = '[data-ciel-slot=hero] > h1'

describe('personalised slots in Chromium', () => {
  it('a first-time visitor sees the default hero; after looking at integrations, the integrations variant', async () => {
    const context = await env.browser.newContext()
    const page = await context.newPage()
    const batchAnswered = () => page.waitForResponse((r) => r.url().endsWith('/v1/events'))
    // The first batch's answer carries the page's decisions: the default stays after it.
    let answered = batchAnswered()
    await page.goto(`${env.edge.origin}/`)
    await snippetReady(page)
    await answered
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    expect(await page.locator(hero).textContent()).toBe('Team planning that keeps pace')

    // The answer to the batch that carries the integrations pageview (the first page's last batch,
    // sent as it goes, may be answered first).
    answered = page.waitForResponse(
      (r) => r.url().endsWith('/v1/events') && (r.request().postData() ?? '').includes('/integrations'),
    )
    await page.goto(`${env.edge.origin}/integrations`)
    await page.click('text=Slack')
    await answered // the integrations pageview is in
    await page.goto(`${env.edge.origin}/`)
    await eventually(async () => expect(await page.locator(hero).textContent()).toBe('Works with the tools you have'))
    expect(await page.locator(hero).count()).toBe(1)
    await eventually(async () => {
      const shown = await storedEvents(env.edge, env.site, '&type=slot_shown')
      expect(shown.events.map((e) => e.props)).toContainEqual({ slot: 'hero', variant: 'integrations' })
    })
    await context.close()
  })

  it("a newsletter reader's next page, opened before the worker has answered the first, shows the integrations hero the first page showed, and records that", async () => {
    const context = await env.browser.newContext()
    const page = await context.newPage()
    await longWait(page)
    // A slow worker: its answers to batches and to /v1/decide are held back until the next page
    // has shown its hero. (The first page's last batch, sent as it goes, may reach it.) Only what
    // the first page decided itself can tell the next one what it showed.
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    let held = 0
    await page.route(/\/v1\/(events|decide)$/, async (route) => {
      held++
      await released
      await route.continue().catch(() => {}) // the page that sent it may be gone
    })
    await page.goto(`${env.edge.origin}/?utm_source=newsletter`)
    const slot = page.locator('[data-ciel-slot=hero]')
    await eventually(async () => expect(await slot.getAttribute('data-ciel-shown')).toBe('integrations'))
    await eventually(async () => expect(held).toBeGreaterThan(0)) // its first batch is on its way
    await page.goto(`${env.edge.origin}/?case=kept`)
    await eventually(async () => expect(await slot.getAttribute('data-ciel-shown')).not.toBeNull())
    expect(await page.locator(hero).allTextContents()).toEqual(['Works with the tools you have'])
    release()
    // The page stays open while its outbox sends (a page closed on a loaded machine may die before
    // its last send leaves; that path has tests of its own).
    await eventually(async () => {
      const shown = await storedEvents(env.edge, env.site, '&type=slot_shown')
      const mine = shown.events.filter((e) => e.url.includes('case=kept'))
      expect(mine.map((e) => e.props)).toEqual([{ slot: 'hero', variant: 'integrations' }])
    }, 40_000)
    await page.close()
    await context.close()
  })

  it("the demo's Preact page, linked from its navigation, shows a newsletter reader the integrations hero it renders with ciel/preact, records it once, and keeps working", async () => {
    const context = await humanContext(env.browser)
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`error: ${m.text()}`)))
    await longWait(page)
    // The tag's data-wait (3 s here, as longWait sets it) is the app's wait too.
    await page.goto(`${env.edge.origin}/?utm_source=newsletter`)
    // The home page's answer is kept on the device: the Preact page is a returning visitor's.
    await page.waitForFunction(
      () => JSON.parse(localStorage.getItem('ciel_d') || '{}').decisions?.hero === 'integrations',
    )
    await page.click('header nav a[href="/planner"]')
    const slot = page.locator('[data-ciel-slot=hero]')
    await eventually(async () => expect(await slot.getAttribute('data-ciel-shown')).toBe('integrations'))
    expect(await slot.locator('h1').allTextContents()).toEqual(['Plan where your team already talks'])
    // The app keeps working around its slot.
    for (let i = 6; i <= 12; i++) {
      await page.click('#more')
      await eventually(async () => expect(await page.textContent('#people')).toBe(`${i} people`))
    }
    expect(await page.textContent('#estimate')).toBe('Team: $96 a month')
    expect(await slot.locator('h1').allTextContents()).toEqual(['Plan where your team already talks'])
    expect(problems).toEqual([])
    // useSlot records the exposure in an effect, which Preact runs after the next paint: let two
    // frames and a task pass so the page is closed after it, as a visitor who saw the hero would.
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))),
    )
    await page.close() // sends what is left in the outbox
    await eventually(async () => {
      const shown = await storedEvents(env.edge, env.site, '&type=slot_shown')
      const mine = shown.events.filter((e) => e.url.endsWith('/planner'))
      expect(mine.map((e) => e.props)).toEqual([{ slot: 'hero', variant: 'integrations' }])
    }, 20_000)
    await context.close()
  })

  it("the demo's Preact page shows a first visit from the newsletter that lands on it the integrations hero", async () => {
    const context = await humanContext(env.browser)
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    await longWait(page)
    await page.goto(`${env.edge.origin}/planner?utm_source=newsletter&case=landing`)
    const slot = page.locator('[data-ciel-slot=hero]')
    await eventually(async () => expect(await slot.getAttribute('data-ciel-shown')).toBe('integrations'))
    expect(await slot.locator('h1').allTextContents()).toEqual(['Plan where your team already talks'])
    expect(problems).toEqual([])
    // useSlot records the exposure in an effect after the paint; the open page's outbox sends it.
    await eventually(async () => {
      const shown = await storedEvents(env.edge, env.site, '&type=slot_shown')
      const mine = shown.events.filter((e) => e.url.includes('case=landing'))
      expect(mine.map((e) => e.props)).toEqual([{ slot: 'hero', variant: 'integrations' }])
    }, 40_000)
    await page.close()
    await context.close()
  })
})
