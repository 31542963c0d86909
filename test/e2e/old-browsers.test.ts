/**
 * The browser floor (Chrome/Edge 80, Firefox 74, Safari 13.1), in Chromium with the built-ins
 * those browsers lack deleted before the page runs: the built snippet must still honour a
 * denial and still deliver a granted page's events. And the shipped chunks, with the packages
 * bundled into them, must parse as ES2020 and name none of those built-ins.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'acorn'
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { eventually, snippetReady, storedEvents, useEdgeAndBrowser } from './harness'
import { newerBuiltIns } from '../snippet/floor'

const env = useEdgeAndBrowser()

/**
 * Runs before any script of the page: removes what the floor browsers lack (Safari 13.1 has no
 * Web Locks and no requestIdleCallback either), and logs every request the page hands to fetch
 * or sendBeacon for /v1/events, at the moment it is made.
 */
function oldBrowser() {
  const w = window as any
  const gone: [any, string][] = [
    [Object, 'hasOwn'],
    [Object, 'groupBy'],
    [Array.prototype, 'at'],
    [String.prototype, 'at'],
    [Object.getPrototypeOf(Int8Array.prototype), 'at'],
    [String.prototype, 'replaceAll'],
    [Array.prototype, 'findLast'],
    [Array.prototype, 'findLastIndex'],
    [Array.prototype, 'toSorted'],
    [Array.prototype, 'toReversed'],
    [Array.prototype, 'toSpliced'],
    [Array.prototype, 'with'],
    [Promise, 'any'],
    [Promise, 'withResolvers'],
    [AbortSignal, 'timeout'],
    [AbortSignal, 'any'],
    [w.Crypto.prototype, 'randomUUID'],
    [w.Navigator.prototype, 'locks'],
    [w.Element.prototype, 'replaceChildren'],
    [w.Element.prototype, 'checkVisibility'],
    [w, 'structuredClone'],
    [w, 'WeakRef'],
    [w, 'FinalizationRegistry'],
    [w, 'requestIdleCallback'],
    [w, 'cancelIdleCallback'],
    [w, 'scheduler'],
  ]
  for (const [owner, name] of gone) delete owner[name]
  w.__sent = []
  const fetch = w.fetch
  w.fetch = function (url: RequestInfo | URL, init?: RequestInit) {
    if (String(url).includes('/v1/events')) w.__sent.push(String(init?.body))
    return fetch.apply(this, arguments as any)
  }
  const beacon = navigator.sendBeacon
  navigator.sendBeacon = function (url: string | URL, body?: BodyInit | null) {
    if (String(url).includes('/v1/events')) w.__sent.push(String(body))
    return beacon.apply(this, arguments as any)
  }
}

async function oldBrowserPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await env.browser.newContext()
  await context.addInitScript(oldBrowser)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  return { context, page, errors }
}

/** What the page has handed to fetch or sendBeacon for /v1/events so far. */
const sent = (page: Page) => page.evaluate(() => (window as any).__sent as string[])

/** The page going away: the snippet sends what it holds, synchronously, within these handlers. */
const leave = (page: Page) =>
  page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { value: true, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }))
  })

describe('in a browser at the floor (newer built-ins removed)', () => {
  it('the built-ins are really gone in these pages', async () => {
    const { context, page } = await oldBrowserPage()
    await page.goto(`${env.edge.origin}/`)
    expect(
      await page.evaluate(() => [
        typeof (Object as any).hasOwn,
        typeof ([] as any).at,
        typeof ('' as any).replaceAll,
        typeof (window as any).structuredClone,
        typeof (navigator as any).locks,
        typeof (window as any).requestIdleCallback,
      ]),
    ).toEqual(Array(6).fill('undefined'))
    await context.close()
  })

  it("after ciel('consent', 'denied') nothing more is sent, not even when the page goes away", async () => {
    const { context, page, errors } = await oldBrowserPage()
    await page.goto(`${env.edge.origin}/?case=deny`)
    await snippetReady(page)
    // Sending works in this browser: the pageview went out and was acknowledged.
    await eventually(async () => expect((await sent(page)).join()).toContain('"pageview"'))
    await eventually(async () => {
      const r = await storedEvents(env.edge, env.site, '&type=pageview')
      expect(r.events.some((e) => e.url.endsWith('?case=deny'))).toBe(true)
    })
    const before = (await sent(page)).length

    await page.evaluate(() => (window as any).ciel('consent', 'denied'))
    // The denial took effect: it is remembered, and the visitor id is forgotten.
    await page.waitForFunction(() => localStorage.getItem('ciel_c') === 'denied', undefined, { timeout: 5000 })
    expect(await page.evaluate(() => localStorage.getItem('ciel_v'))).toBeNull()

    await page.click('#learn-more') // autocaptured before the fix, even after a denial
    await page.evaluate(() => (window as any).ciel('track', 'after_denial'))
    await leave(page) // anything still held would go out now, in this call
    expect((await sent(page)).slice(before)).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })

  it('a visitor who grants consent on an opt-in page has the pageview delivered, web vitals, and what follows', async () => {
    const { context, page, errors } = await oldBrowserPage()
    await page.goto(`${env.edge.origin}/clinics?case=grant`)
    await page.click('#consent-yes')
    await eventually(async () => {
      const r = await storedEvents(env.edge, env.site, '&type=pageview')
      expect(r.events.some((e) => e.url.endsWith('/clinics?case=grant'))).toBe(true)
    })
    // The lazy chunks run here too: the capture chunk, then web-vitals (bundled, lowered to the
    // floor) after the 3 s that stand in for requestIdleCallback.
    await eventually(async () => expect((await sent(page)).join()).toContain('"vitals"'), 15_000)
    // The same flush trigger as above does send in this browser: a click recorded just before
    // the page goes away is in a request made within the pagehide handlers.
    await snippetReady(page)
    const before = (await sent(page)).length
    await page.click('h1')
    await leave(page)
    expect((await sent(page)).slice(before).join()).toContain('"click"')
    expect(errors).toEqual([])
    await context.close()
  })
})

describe('the shipped snippet', () => {
  const dir = join(import.meta.dirname, '../../dist/public')
  const files = ['s.js', ...readdirSync(join(dir, 'c')).map((f) => `c/${f}`)]

  it('parses as ES2020, bundled packages included (no class fields, no `??=`)', () => {
    const failures = files.flatMap((f) => {
      try {
        parse(readFileSync(join(dir, f), 'utf8'), { ecmaVersion: 2020, sourceType: f === 's.js' ? 'script' : 'module' })
        return []
      } catch (e) {
        return [`${f}: ${(e as Error).message}`]
      }
    })
    expect(failures).toEqual([])
  })

  it('names no built-in newer than the floor, bundled packages included', () => {
    const chunks = files.map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }))
    expect(chunks.some((c) => c.name.startsWith('c/vitals-'))).toBe(true)
    expect(newerBuiltIns(chunks, (t) => t)).toEqual([])
  })
})
