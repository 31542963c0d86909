/**
 * No flicker, seen the way a visitor sees it: every animation frame from navigation start is
 * sampled (what the hero shows, if anything), and every change of the page's DOM besides (a state
 * a frame may have painted between two samples), not the DOM read once at the end.
 */
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { eventually, humanContext, longWait, storedEvents, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()

const DEFAULT = 'Team planning that keeps pace'
const PRICING = 'Plans from $0 for small teams'
const INTEGRATIONS = 'Works with the tools you have'

interface Frame {
  t: number
  /** The hero's headline when the hero is visible; null while it is hidden; undefined before it exists. */
  shown?: string | null
  /** Seen after a change of the DOM, not at a frame. */
  dom?: true
}

/**
 * Records, from the document's start (before the page's own scripts), what each animation frame
 * shows of a slot, and what it shows after each change of the DOM once the page renders (`dom`:
 * not a frame).
 */
async function recordFrames(context: BrowserContext, slot = 'hero') {
  await context.addInitScript((slot: string) => {
    const frames: { t: number; shown?: string | null; dom?: true }[] = ((window as any).__frames = [])
    const look = (dom?: true) => {
      const el = document.querySelector(`[data-ciel-slot=${slot}]`)
      const f: { t: number; shown?: string | null; dom?: true } = { t: performance.now() }
      if (dom) f.dom = dom
      if (el)
        f.shown =
          getComputedStyle(el).visibility === 'visible' ? (el.querySelector(':scope > h1')?.textContent ?? '') : null
      frames.push(f)
    }
    const w = window as any
    w.__ticks = 0
    const tick = () => {
      look()
      if (++w.__ticks < 2000) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
    // Until the first frame the page is not rendered (its stylesheets block it): no change is seen.
    new MutationObserver(() => w.__ticks && look(true)).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['style', 'data-ciel-shown'],
    })
  }, slot)
}

/** Waits until `n` more animation frames have been recorded. */
async function moreFrames(page: Page, n: number) {
  const now = await page.evaluate(() => (window as any).__ticks as number)
  await page.waitForFunction((until) => (window as any).__ticks >= until, now + n)
}

const frames = (page: Page) => page.evaluate(() => (window as any).__frames as Frame[])

/** Time from the slot's first frame in the document to the first frame it is visible. */
function hiddenMs(fs: Frame[]): number {
  const present = fs.find((f) => f.shown !== undefined && !f.dom)!
  const visible = fs.find((f) => typeof f.shown === 'string')!
  return visible.t - present.t
}

describe('slots without flicker in Chromium', () => {
  it('a returning visitor who browsed pricing sees the pricing hero in every frame, never the default', async () => {
    const context = await humanContext(env.browser)
    const page = await context.newPage()
    await page.goto(`${env.edge.origin}/pricing`)
    // What the pricing page decided is kept on the device for the next page (its own first-visit
    // decision, then the worker's answer to its pageview).
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('ciel_d') || '{}').decisions?.hero === 'pricing')
    await recordFrames(context)
    await page.goto(`${env.edge.origin}/`)
    await eventually(async () => expect(await page.locator('[data-ciel-slot=hero] > h1').textContent()).toBe(PRICING))
    await moreFrames(page, 20) // frames after the decision, to see that it stays
    const fs = await frames(page)
    const seen = [...new Set(fs.map((f) => f.shown).filter((s) => typeof s === 'string'))]
    expect(seen).toEqual([PRICING])
    console.log(`returning visit: hero hidden ${hiddenMs(fs).toFixed(0)} ms`)
    await context.close()
  })

  it("a first visit from the newsletter on a phone's network (100 ms added to every request) paints the newsletter headline first, and no other headline in any frame, without waiting for the worker", async () => {
    const context = await humanContext(env.browser)
    await recordFrames(context)
    const page = await context.newPage()
    // A site that lets slots wait 3 s (data-wait and its CSS rule): this machine's speed is not the
    // question (npm run bench measures the first page against the default 300 ms wait).
    await longWait(page)
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 100,
      downloadThroughput: -1,
      uploadThroughput: -1,
    })
    // What the worker would decide (/v1/decide, the first batch's answer) is held until the hero
    // shows: only what the page decides from its landing can show in time.
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    await page.route(/\/v1\/(decide|events)/, async (route) => {
      await held
      await route.continue().catch(() => {})
    })
    await page.goto(`${env.edge.origin}/?utm_source=newsletter`)
    try {
      await page.waitForSelector('[data-ciel-slot=hero][data-ciel-shown]', { timeout: 20_000 })
    } finally {
      release()
    }
    await moreFrames(page, 20)
    const fs = await frames(page)
    const shown = fs.filter((f) => typeof f.shown === 'string').map((f) => f.shown)
    expect(shown[0]).toBe(INTEGRATIONS)
    expect([...new Set(shown)]).toEqual([INTEGRATIONS])
    console.log(`first visit (decided in the page, +100 ms a request): hero hidden ${hiddenMs(fs).toFixed(0)} ms`)
    await context.close()
  })

  it('a first visit shows the default within 300 ms when the worker is slow, and keeps it', async () => {
    const context = await humanContext(env.browser)
    await recordFrames(context)
    const page = await context.newPage()
    // The first batch's answer carries decisions too (a /v1/decide is asked only while a slot waits).
    const lateDecision = page.waitForResponse((r) => r.url().includes('/v1/events'), { timeout: 20_000 })
    // The worker answers everything 1.5 s late: its config (what a first page decides from), decisions and batches.
    await page.route(/\/v1\/(config|decide|events)/, async (route) => {
      await new Promise((r) => setTimeout(r, 1500))
      await route.continue().catch(() => {})
    })
    await page.goto(`${env.edge.origin}/?utm_source=newsletter`)
    // The late answer has arrived (and been handled a few frames on): it must change nothing.
    await lateDecision
    await moreFrames(page, 20)
    const fs = await frames(page)
    const hidden = hiddenMs(fs)
    expect(hidden).toBeLessThanOrEqual(300 + 100) // the wait, plus a frame or two of a busy machine
    expect([...new Set(fs.map((f) => f.shown).filter((s) => typeof s === 'string'))]).toEqual([DEFAULT])
    console.log(`first visit (slow worker): hero hidden ${hidden.toFixed(0)} ms`)
    await context.close()
  })

  it('fills a slot a single-page app adds later, and records one exposure per page', async () => {
    const context = await humanContext(env.browser)
    const page = await context.newPage()
    await page.goto(`${env.edge.origin}/pricing`)
    // The worker's answer is in: it replaced the page's own first-visit decision (which leaves the
    // experiment's slot waiting) on the device, and fills a slot added later at once.
    await page.waitForFunction(() => {
      const kept = JSON.parse(localStorage.getItem('ciel_d') || '{}')
      return kept.decisions?.hero === 'pricing' && !kept.wait
    })
    // A client-side route change renders the home hero into the page.
    await page.evaluate(() => {
      const hero = document.createElement('section')
      hero.dataset.cielSlot = 'hero'
      hero.innerHTML =
        '<template data-variant="pricing"><h1>Plans from $0 for small teams</h1></template><h1>Team planning that keeps pace</h1>'
      document.querySelector('main')!.append(hero)
    })
    await eventually(async () => expect(await page.locator('[data-ciel-slot=hero] > h1').textContent()).toBe(PRICING))
    const visitor = await page.evaluate(() => localStorage.getItem('ciel_v'))
    await eventually(async () => {
      const shown = await storedEvents(env.edge, env.site, '&type=slot_shown')
      const mine = shown.events.filter((e) => e.visitor === visitor && e.props?.slot === 'hero')
      expect(mine.map((e) => e.props)).toEqual([{ slot: 'hero', variant: 'pricing' }])
    })
    await context.close()
  })
})
