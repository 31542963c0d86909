/** Personalised content, end to end: interests from one page change another page's slot. */
import { describe, expect, it } from 'vitest'
import { eventually, snippetReady, storedEvents, useEdgeAndBrowser } from './harness'

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

    answered = batchAnswered()
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
})
