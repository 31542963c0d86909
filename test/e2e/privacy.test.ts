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
    await page.waitForTimeout(1500)
    const ciel = requests.filter((p) => p === '/s.js' || p.startsWith('/c/') || p.startsWith('/v1/'))
    expect(ciel).toEqual(['/s.js'])
    expect(await deviceState(page)).toEqual({ local: [], session: [], cookies: '', databases: [] })

    // Consent given: measuring starts on this very page.
    await page.click('#consent-yes')
    await eventually(async () => {
      const r = await storedEvents(env.edge, 'demo', '&type=pageview')
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
    await page.waitForTimeout(1500)
    const all = await storedEvents(env.edge)
    expect(all.total).toBeGreaterThan(0)
    const everything = JSON.stringify(all.events) + bodies.join('\n')
    expect(everything).not.toContain('hunter2-SECRET')
    expect(everything).not.toContain('typed-address@example.com')
    await context.close()
  })
})
