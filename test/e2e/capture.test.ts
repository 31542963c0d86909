/** What the snippet sees in a real browser, checked on the wire. */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, snippetReady, storedEvents, useEdgeAndBrowser } from './harness'
import type { Batch, WireEvent } from '../../snippet/contract/wire'

const env = useEdgeAndBrowser()

/** Every event the page sends, as it leaves the env.browser. */
function wire(page: Page): WireEvent[] {
  const seen: WireEvent[] = []
  page.on('request', (r) => {
    if (!r.url().endsWith('/v1/events') || !r.postData()) return
    seen.push(...(JSON.parse(r.postData()!) as Batch).events)
  })
  return seen
}

async function burst(page: Page, selector: string, n: number) {
  const box = (await page.locator(selector).boundingBox())!
  for (let i = 0; i < n; i++) {
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await page.waitForTimeout(120)
  }
}

describe('capture in Chromium', () => {
  it('a burst on a dead button goes out as one rage click and a dead click; a menu toggle and a details summary do not', async () => {
    const page = await env.browser.newPage()
    const sent = wire(page)
    await page.goto(`${env.edge.origin}/`)
    await snippetReady(page)
    const dead = () => sent.filter((e) => e.type === 'dead_click')
    await burst(page, '#toggle-menu', 4)
    await burst(page, 'summary', 4)
    // Then the dead button: once its burst's dead click is sent (nothing happened on the page for
    // the dead-click window), the clicks before it were judged too.
    await burst(page, '#learn-more', 4)
    await eventually(async () => expect(dead().length).toBeGreaterThan(0))
    const rage = sent.filter((e) => e.type === 'rage_click')
    expect(rage.map((e) => e.props?.id)).toEqual(['learn-more'])
    expect(rage[0]!.props).toMatchObject({ tag: 'button', clicks: 3, text: 'Learn more' })
    // The burst is one dead click, not one per click; the menu toggle and the summary none.
    expect(dead().map((e) => e.props?.id)).toEqual(['learn-more'])
    // Plain clicks wait for the next request that goes anyway, at most 10 s (the outbox's LAZY).
    await eventually(
      async () => expect(sent.filter((e) => e.type === 'click').length).toBeGreaterThanOrEqual(12),
      15_000,
    )
    expect(sent.find((e) => e.type === 'click')!.props?.topics).toEqual(['home'])
    // And the worker stored them, flagged as automation (navigator.webdriver is true here).
    await eventually(async () => {
      const stored = await storedEvents(env.edge, env.site, '&type=rage_click')
      expect(stored.events.some((e) => e.props?.id === 'learn-more')).toBe(true)
    })
    // The demo site asks visitors who rage-click what they were trying to do, once it is quiet.
    const ask = page.locator('[data-ciel-survey=rage] h2')
    await ask.waitFor()
    expect(await ask.textContent()).toBe('Something not working? Tell us what you were trying to do.')
    await page.close()
  })

  it('loads web vitals lazily and reports them when the page is hidden', async () => {
    const page = await env.browser.newPage()
    const chunks: string[] = []
    page.on('request', (r) => r.url().includes('/c/') && chunks.push(new URL(r.url()).pathname))
    const loaded = page.waitForEvent('requestfinished', { predicate: (r) => r.url().includes('/c/vitals-') })
    await page.goto(`${env.edge.origin}/pricing`)
    await snippetReady(page)
    await page.click('#buy-team')
    await eventually(async () => expect(chunks.some((c) => c.startsWith('/c/vitals-'))).toBe(true))
    // Fetched, then run: a loaded machine once left the page before the chunk had run (nothing to send).
    await loaded
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done))))
    const url = page.url()
    await page.goto(`${env.edge.origin}/`) // hides the page: LCP, CLS and INP are final now
    // Sent with keepalive while the page unloads (Playwright does not see those): read D1.
    await eventually(async () => {
      const stored = await storedEvents(env.edge, env.site, '&type=vitals')
      const names = stored.events.filter((e) => e.url === url).map((e) => e.name)
      expect(names).toEqual(expect.arrayContaining(['TTFB', 'FCP', 'LCP']))
      expect(new Set(names).size).toBe(names.length) // once per page each
    })
    await page.close()
  })

  it('records onboarding steps from the demo flow', async () => {
    const page = await env.browser.newPage()
    const sent = wire(page)
    await page.goto(`${env.edge.origin}/onboarding`)
    await page.fill('input[name=name]', 'Ann')
    await page.click('#step-account button')
    await page.fill('input[name=workspace]', 'Acme')
    await page.click('#step-workspace button')
    await eventually(async () => {
      expect(sent.filter((e) => e.type === 'step').map((e) => e.props?.step)).toEqual([
        'account',
        'workspace',
        'invite',
      ])
    })
    expect(sent.some((e) => e.type === 'identify')).toBe(true)
    expect(JSON.stringify(sent)).not.toContain('Acme')
    await page.close()
  })
})
