/** Personalised content, end to end: interests from one page change another page's slot. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { type Edge, eventually, launch, startEdge, storedEvents } from './harness'

let edge: Edge
let browser: Browser

beforeAll(async () => {
  edge = await startEdge()
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await edge?.stop()
})

const hero = '[data-ciel-slot=hero] > h1'

describe('personalised slots in Chromium', () => {
  it('a first-time visitor sees the default hero; after looking at integrations, the integrations variant', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${edge.origin}/`)
    await page.waitForFunction(() => (window as any).ciel?.l === 2)
    await page.waitForTimeout(1000)
    expect(await page.locator(hero).textContent()).toBe('Team planning that keeps pace')

    await page.goto(`${edge.origin}/integrations`)
    await page.click('text=Slack')
    await page.waitForTimeout(1500)
    await page.goto(`${edge.origin}/`)
    await eventually(async () => expect(await page.locator(hero).textContent()).toBe('Works with the tools you have'))
    expect(await page.locator(hero).count()).toBe(1)
    await eventually(async () => {
      const shown = await storedEvents(edge, 'demo', '&type=slot_shown')
      expect(shown.events.map((e) => e.props)).toContainEqual({ slot: 'hero', variant: 'integrations' })
    })
    await context.close()
  })
})
