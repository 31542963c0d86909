import { describe, expect, it } from 'vitest'
import { eventually, storedEvents, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()

describe('the demo site in a real browser', () => {
  it('stores the pageview of a page that embeds the snippet, exactly once', async () => {
    const page = await env.browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(`${env.edge.origin}/pricing`)
    const visitor = await eventually(async () => {
      const v = await page.evaluate(() => localStorage.getItem('ciel_v'))
      if (!v) throw new Error('no visitor id yet')
      return v
    })
    const stored = await eventually(async () => {
      const r = await storedEvents(env.edge, env.site, `&type=pageview&visitor=${visitor}`)
      expect(r.events.length).toBe(1)
      return r
    })
    expect(stored.events[0]).toMatchObject({ type: 'pageview', url: `${env.edge.origin}/pricing` })
    expect(stored.events[0]!.props).toMatchObject({ title: 'Pricing · Tandem' })
    // Leaving the page flushes again (keepalive); the worker still has it once.
    await page.goto(`${env.edge.origin}/`)
    await eventually(async () => {
      const r = await storedEvents(env.edge, env.site, `&type=pageview&visitor=${visitor}`)
      expect(r.events.map((e) => e.url).sort()).toEqual([`${env.edge.origin}/`, `${env.edge.origin}/pricing`])
    })
    expect(errors).toEqual([])
    await page.close()
  })
})
