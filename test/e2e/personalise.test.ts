/** Personalised content, end to end: interests from one page change another page's slot. */
import { describe, expect, it } from 'vitest'
import { eventually, snippetReady, storedEvents, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()

const hero = '[data-ciel-slot=hero] > h1'

describe('personalised slots in Chromium', () => {
  it('a first-time visitor sees the default hero; after looking at integrations, the integrations variant', async () => {
    const context = await env.browser.newContext()
    const page = await context.newPage()
    await page.goto(`${env.edge.origin}/`)
    await snippetReady(page)
    await page.waitForTimeout(1000)
    expect(await page.locator(hero).textContent()).toBe('Team planning that keeps pace')

    await page.goto(`${env.edge.origin}/integrations`)
    await page.click('text=Slack')
    await page.waitForTimeout(1500)
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
