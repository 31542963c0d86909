/**
 * Host pages that leave junk in `window.ciel` before the loader runs: the built loader, in
 * Chromium, must take over anyway, keep a queue it can read, and throw nothing into the page.
 * (Other hostile pages and configs: test/snippet/hostile-pages.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { eventually, snippetReady, storedEvents, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()

async function tracked(name: string) {
  const r = await storedEvents(env.edge, env.site, '&type=track')
  return r.events.filter((e) => e.name === name)
}

describe('junk in window.ciel before the loader', () => {
  it.each([
    ['an object with a junk queue', '{ q: 5 }', null],
    ['a string', "'ciel'", null],
    ['an object with a queue', "{ q: [['track', 'queued_in_object']] }", 'queued_in_object'],
  ])('%s: the snippet takes over and records', async (what, value, queued) => {
    const context = await env.browser.newContext()
    // Before the page's own scripts: the embed stub (`window.ciel = window.ciel || …`) keeps it.
    await context.addInitScript(`window.ciel = ${value}`)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`${env.edge.origin}/pricing`)
    await snippetReady(page)
    const name = `after_junk_${value.length}`
    await page.evaluate((name) => (window as any).ciel('track', name), name)
    await eventually(async () => expect(await tracked(name)).toHaveLength(1))
    if (queued) await eventually(async () => expect(await tracked(queued)).toHaveLength(1))
    expect(errors).toEqual([])
    await context.close()
  })
})
