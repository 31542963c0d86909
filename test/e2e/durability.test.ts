/**
 * Nothing lost, nothing doubled, in a real browser against the real worker and D1.
 */
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { allowOrigin, eventually, snippetReady, startEdge, startSite, storedEvents, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser({ own: true })

async function track(page: Page, names: string[]) {
  await page.evaluate((names) => names.forEach((n) => (window as any).ciel('track', n)), names)
}

/** What the page's outbox holds in IndexedDB (the demo site's), as JSON. */
const outbox = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const open = indexedDB.open('ciel-demo')
        open.onsuccess = () => {
          const req = open.result.transaction('outbox').objectStore('outbox').getAll()
          req.onsuccess = () => resolve(JSON.stringify(req.result))
        }
      }),
  )

/** Tracks, offline: once the outbox has written them to IndexedDB (on the next tick). */
async function trackOffline(page: Page, names: string[]) {
  await track(page, names)
  await eventually(async () => {
    const held = await outbox(page)
    for (const n of names) expect(held).toContain(`"${n}"`)
  })
}

/**
 * Tracks `name` on `page` and waits until it is stored: a request sent before it (a retry, a
 * second flush) has reached the worker by then.
 */
async function marker(page: Page, name: string) {
  await track(page, [name])
  await eventually(async () => expect(await tracked(name)).toEqual([name]), 20_000)
}

async function tracked(prefix: string) {
  const r = await storedEvents(env.edge, 'demo', '&type=track')
  return r.events.filter((e) => e.name?.startsWith(prefix)).map((e) => e.name!)
}

describe('durable outbox in Chromium', () => {
  it('keeps events through a reload and closed tabs while the worker is down, then delivers each exactly once', async () => {
    // A customer's site on its own origin; the snippet comes from the edge, as in the README.
    const site = await startSite(env.edge)
    const context: BrowserContext = await env.browser.newContext()
    const a = await context.newPage()
    await a.goto(`${site.origin}/pricing`)
    await snippetReady(a)
    await eventually(async () =>
      expect((await storedEvents(env.edge, 'demo', '&type=pageview')).total).toBeGreaterThan(0),
    )

    // The worker goes down. The snippet keeps running from the browser's cache.
    await env.edge.stop(true)
    await trackOffline(a, ['off_a1', 'off_a2'])
    await a.reload()
    await snippetReady(a)
    await trackOffline(a, ['off_a3'])
    await a.close({ runBeforeUnload: true })
    const b = await context.newPage()
    await b.goto(`${site.origin}/integrations`)
    await snippetReady(b)
    await trackOffline(b, ['off_b1'])
    await b.close({ runBeforeUnload: true })

    // The worker comes back on the same database; the visitor opens the site again.
    env.edge = await startEdge({ port: env.edge.port, dir: env.edge.dir })
    await allowOrigin(env.edge, site.origin)
    expect(await tracked('off_')).toEqual([])
    const c = await context.newPage()
    await c.goto(`${site.origin}/`)
    await eventually(async () => {
      expect((await tracked('off_')).sort()).toEqual(['off_a1', 'off_a2', 'off_a3', 'off_b1'])
    }, 20_000)
    // Nothing is left in the outbox, and nothing arrives twice later.
    await snippetReady(c)
    await marker(c, 'mark_c')
    expect((await tracked('off_')).length).toBe(4)
    await eventually(async () => expect(await outbox(c)).toBe('[]'))
    await context.close()
    await site.stop()
  })

  it('counts events once when the first answers are lost after the worker stored them', async () => {
    const context = await env.browser.newContext()
    let cut = 2
    const answers: { accepted: number; duplicates: number }[] = []
    await context.route('**/v1/events', async (route) => {
      const response = await route.fetch() // reaches the worker, which stores the batch
      if (cut-- > 0) return route.abort('connectionreset') // ...but the answer never arrives
      answers.push(await response.json())
      return route.fulfill({ response })
    })
    const page = await context.newPage()
    await page.goto(`${env.edge.origin}/pricing`)
    await snippetReady(page)
    await track(page, ['lost_1', 'lost_2', 'lost_3'])
    await eventually(async () => {
      expect((await tracked('lost_')).sort()).toEqual(['lost_1', 'lost_2', 'lost_3'])
      expect(answers.some((a) => a.duplicates > 0)).toBe(true) // the retry was recognised
    }, 20_000)
    await marker(page, 'mark_lost')
    expect((await tracked('lost_')).length).toBe(3)
    await context.close()
  })
})

describe('tabs sharing one outbox in Chromium', () => {
  it('three tabs tracking at once send every event in exactly one request', async () => {
    const context = await env.browser.newContext()
    const requests: string[][] = []
    await context.route('**/v1/events', async (route) => {
      requests.push((JSON.parse(route.request().postData() ?? '{}').events ?? []).map((e: { id: string }) => e.id))
      await new Promise((r) => setTimeout(r, 150)) // a slow network makes overlapping flushes likely
      await route.continue()
    })
    const tabs = await Promise.all([0, 1, 2].map(() => context.newPage()))
    await Promise.all(tabs.map((t) => t.goto(`${env.edge.origin}/pricing`)))
    await Promise.all(tabs.map((t) => snippetReady(t)))
    for (let round = 0; round < 5; round++)
      await Promise.all(
        tabs.map((t, i) => t.evaluate((name) => (window as any).ciel('track', name), `tab${i}_r${round}`)),
      )
    await eventually(async () => expect((await tracked('tab')).length).toBe(15), 20_000)
    await marker(tabs[0]!, 'mark_tabs')
    const ids = requests.flat()
    expect(ids.length).toBe(new Set(ids).size) // no event went out twice
    expect((await tracked('tab')).length).toBe(15)
    await context.close()
  })
})
