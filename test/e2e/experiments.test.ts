/** An experiment end to end: a visitor is exposed on the pricing page, converts, and the team sees it. */
import { describe, expect, it } from 'vitest'
import { eventually, humanContext, longWait, snippetReady, storedEvents, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()

describe('experiments in Chromium', () => {
  it('counts the pricing CTA exposure and the onboarding conversion, and shows them in the dashboard', async () => {
    const context = await humanContext(env.browser)
    const page = await context.newPage()
    await longWait(page)
    await page.goto(`${env.edge.origin}/pricing`)
    await snippetReady(page)
    await page.waitForFunction(() =>
      document.querySelector('[data-ciel-slot=plan-cta]')?.hasAttribute('data-ciel-shown'),
    )
    const shown = await page.locator('[data-ciel-slot=plan-cta]').getAttribute('data-ciel-shown')
    const cta = (await page.locator('[data-ciel-slot=plan-cta] > a').textContent())!
    expect(cta).toBe(shown === 'trial' ? 'Start your 30-day trial: no card needed' : 'Start free')
    // The visitor finishes onboarding (the demo's flow reports its steps the same way).
    await page.evaluate(() => (window as any).ciel('step', 'onboarding', 'done'))
    // The visitor's id is kept once the site's config has come (the slot may be filled before:
    // its decision asks the worker in parallel), so wait for it rather than read null.
    const visitor = await (await page.waitForFunction(() => localStorage.getItem('ciel_v'))).jsonValue()
    // Both are stored (the outbox sends after gathering for a second) before the page goes.
    await eventually(async () => {
      const mine = (await storedEvents(env.edge, env.site, `&visitor=${visitor}`)).events.map((e) => e.type)
      expect(mine).toEqual(expect.arrayContaining(['slot_shown', 'step']))
    }, 20_000)
    await context.close()

    const dash = await env.browser.newPage()
    // What the dashboard was told, should the report not show: failed insights and slow ones.
    const failed: string[] = []
    const asked = new Map<string, number>()
    dash.on('request', (r) => r.url().includes('/v1/insights/') && asked.set(r.url(), Date.now()))
    dash.on('response', (r) => {
      const since = asked.get(r.url())
      asked.delete(r.url())
      if (r.status() >= 400 || (since && Date.now() - since > 5000))
        failed.push(`${r.status()} after ${since ? Date.now() - since : '?'} ms: ${new URL(r.url()).pathname}`)
    })
    await dash.goto(`${env.edge.origin}/dashboard`, { waitUntil: 'domcontentloaded' })
    await dash.fill('input[type=password]', env.edge.token)
    await dash.click('button[type=submit]')
    await dash.selectOption('header select >> nth=0', env.site)
    // Signed in once the worker has accepted the token (only then is it kept for a reload).
    await dash.locator('#overview').waitFor({ timeout: 30_000 })
    const report = dash.locator('section[aria-labelledby=personalisation] article', { hasText: 'plan-cta' })
    await eventually(async () => {
      await dash.reload()
      // The section renders once every insight of the dashboard has answered.
      await report
        .locator('tbody tr')
        .first()
        .waitFor({ timeout: 20_000 })
        .catch(async (e) => {
          const alerts = await dash.locator('[role=alert]').allTextContents()
          const section = await dash
            .locator('section[aria-labelledby=personalisation]')
            .innerText({ timeout: 1000 })
            .catch(async () => `(no section) page: ${(await dash.locator('body').innerText()).slice(0, 600)}`)
          const waiting = [...asked].map(([u, t]) => `${new URL(u).pathname} for ${Date.now() - t} ms`)
          failed.push(`shown ${JSON.stringify(shown)}; section: ${section.slice(0, 500)}; unanswered: ${waiting}`)
          throw new Error(`no report: ${e}; alerts ${JSON.stringify(alerts)}; insights ${JSON.stringify(failed)}`)
        })
      const rows = await report
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 3).map((c) => c.textContent)))
      // The default content is either the control arm or the holdout.
      const arms = shown === '' ? ['default', 'holdout'] : [shown]
      const counted = rows.filter((r) => r[1] !== '0')
      expect(counted).toHaveLength(1)
      expect(arms).toContain(counted[0]![0])
      expect(counted[0]!.slice(1)).toEqual(['1', '1'])
    }, 60_000)
    await dash.close()
  }, 120_000)
})
