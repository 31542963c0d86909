/** Privacy by default, checked on the wire and in storage, in a real env.browser. */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, snippetReady, storedEvents, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()

/** Everything the page puts on the device. */
async function deviceState(page: Page) {
  return page.evaluate(async () => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    cookies: document.cookie,
    databases: (await indexedDB.databases()).map((d) => d.name),
  }))
}

/** Creates (or replaces) a site with the demo's origin and `config`. */
async function site(key: string, config: object) {
  const r = await fetch(`${env.edge.origin}/v1/admin/sites/${key}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${env.edge.token}` },
    body: JSON.stringify({ name: key, origins: [env.edge.origin], config }),
  })
  expect(r.status).toBe(200)
}

describe('consent gates every request that carries the visitor (/v1/decide and /v1/events)', () => {
  it.each([
    ['opt-in set in the site config only (no data-consent on the tag)', { consent: 'opt-in' }, null],
    ["ciel('consent', 'denied') queued before the loader ran", {}, 'deny'],
    ['Do Not Track, on a site whose config honours it (dnt: true)', { dnt: true }, 'dnt'],
  ] as const)('%s: nothing is sent until the visitor grants consent', async (what, config, before) => {
    const key = `privacy-${before ?? 'optin'}`
    await site(key, { ...config, slots: [{ id: 'hero', byInterest: { pricing: 'pricing' } }] })
    const context = await env.browser.newContext()
    if (before === 'deny')
      await context.addInitScript(() => {
        const w = window as any
        w.ciel = function () {
          ;(w.ciel.q = w.ciel.q || []).push(arguments)
        }
        w.ciel('consent', 'denied')
      })
    if (before === 'dnt')
      await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }))
    const page = await context.newPage()
    // The demo's home page (its hero slot waits for a decision) on this site.
    await page.route(`${env.edge.origin}/`, async (route) => {
      const r = await route.fetch()
      await route.fulfill({ response: r, body: (await r.text()).replace('data-site="demo"', `data-site="${key}"`) })
    })
    const requests: string[] = []
    page.on('request', (r) => requests.push(new URL(r.url()).pathname))
    const configured = page.waitForResponse((r) => r.url().includes('/v1/config'))
    await page.goto(`${env.edge.origin}/`)
    // The page had its chance: the config is in, and the slot waited out its wait and shows its default.
    expect((await configured).status()).toBe(200)
    await page.waitForSelector('[data-ciel-slot=hero][data-ciel-shown=""]')
    await snippetReady(page)
    // A later request that is allowed: the visitor grants consent and something is recorded.
    const sent = page.waitForRequest((r) => r.url().endsWith('/v1/events'))
    await page.evaluate(() => {
      ;(window as any).ciel('consent', 'granted')
      ;(window as any).ciel('track', 'after_grant')
    })
    await sent
    const earlier = requests.slice(0, requests.indexOf('/v1/events'))
    expect(earlier, what).not.toContain('/v1/decide')
    expect(earlier).toContain('/v1/config')
    await context.close()
  })
})

describe('privacy in Chromium', () => {
  it('an opt-in page without consent makes no request to ciel beyond s.js and writes nothing to the device', async () => {
    const context = await env.browser.newContext()
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', (r) => requests.push(new URL(r.url()).pathname))
    await page.goto(`${env.edge.origin}/clinics`)
    await page.fill('input[name=clinic]', 'Northside Physio')
    await page.click('h1')
    await page.click('button[type=submit]')
    // The loader has run and decided to wait for consent (its stub keeps the calls): it fetches
    // the core, and anything else, only once consent is given.
    await page.waitForFunction(() => (window as any).ciel?.l)
    expect(await page.evaluate(() => (window as any).ciel.l)).toBe(1)
    const ciel = requests.filter((p) => p === '/s.js' || p.startsWith('/c/') || p.startsWith('/v1/'))
    expect(ciel).toEqual(['/s.js'])
    expect(await deviceState(page)).toEqual({ local: [], session: [], cookies: '', databases: [] })

    // Consent given: measuring starts on this very page.
    await page.click('#consent-yes')
    await eventually(async () => {
      const r = await storedEvents(env.edge, env.site, '&type=pageview')
      expect(r.events.map((e) => new URL(e.url).pathname)).toContain('/clinics')
    })
    // The consent, the ids, and the slots' decisions kept for the next page.
    expect((await deviceState(page)).local.sort()).toEqual(['ciel_c', 'ciel_d', 'ciel_s', 'ciel_v'])
    await context.close()
  })

  it("a password field's value never leaves the page, nor any other typed value", async () => {
    const context = await env.browser.newContext()
    const page = await context.newPage()
    const bodies: string[] = []
    page.on('request', (r) => {
      const body = r.postData()
      if (body) bodies.push(body)
    })
    await page.goto(`${env.edge.origin}/`)
    await snippetReady(page)
    await page.click('input[name=email]')
    await page.fill('input[name=email]', 'typed-address@example.com')
    await page.click('input[name=password]')
    await page.fill('input[name=password]', 'hunter2-SECRET')
    await page.click('input[name=password]')
    await page.click('input[name=password]')
    await page.click('input[name=password]')
    await page.goto(`${env.edge.origin}/pricing`) // leaving the form unsubmitted
    await snippetReady(page)
    // Stored: the form page's clicks (sent as it unloaded) and the next page's pageview.
    const all = await eventually(async () => {
      const all = await storedEvents(env.edge, env.site)
      expect(all.events.filter((e) => e.type === 'click' && new URL(e.url).pathname === '/').length).toBeGreaterThan(0)
      expect(all.events.some((e) => e.type === 'pageview' && new URL(e.url).pathname === '/pricing')).toBe(true)
      return all
    })
    const everything = JSON.stringify(all.events) + bodies.join('\n')
    expect(everything).not.toContain('hunter2-SECRET')
    expect(everything).not.toContain('typed-address@example.com')
    await context.close()
  })
})
