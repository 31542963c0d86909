/**
 * What the dashboard shows after a change made in it is the state after the change: a new
 * site's own Settings (not the message of the site before), and its Insights once its first
 * event arrived (the install check turned green).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, storedEvents, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, visit } from './seed'

const env = useEdgeAndBrowser()
let surveys: string[] = []

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const site = await (
    await fetch(`${env.edge.origin}/v1/admin/sites/${env.site}`, {
      headers: { authorization: `Bearer ${env.edge.token}` },
    })
  ).json()
  surveys = site.config.surveys.map((s: { id: string }) => s.id)
  await visit(env.edge, env.site, 'ann', [
    { type: 'survey_answer', name: surveys[0], props: { q: 'score', kind: 'nps', score: 9 } },
  ])
  await eventually(async () => expect((await storedEvents(env.edge, env.site, '&type=survey_answer')).total).toBe(1))
})

async function settings(): Promise<Page> {
  const page = await env.browser.newPage()
  await page.goto(`${env.edge.origin}/dashboard/?view=settings&site=${env.site}`, { waitUntil: 'domcontentloaded' })
  await page.fill('input[type=password]', env.edge.token)
  await page.click('button[type=submit]')
  await page.locator('#settings').waitFor()
  return page
}

describe('the dashboard after a change', () => {
  it('shows a new site’s own Settings, then its Insights with its first event', async () => {
    const page = await settings()
    await page.locator(`tr[data-survey="${surveys[1]}"] [role=switch]`).click()
    await eventually(async () =>
      expect(await page.locator('#settings ~ p.status[role=status]').textContent()).toMatch(/^Saved: version \d+\.$/),
    )
    const form = page.locator('form', { has: page.locator('legend', { hasText: 'Add a site' }) })
    await form.getByLabel('Name').fill('Fresh shop')
    await form.getByLabel(/^Origins of its pages/).fill(SHOP)
    await form.getByRole('button', { name: 'Create the site' }).click()
    await eventually(async () => expect(await page.locator('#settings').textContent()).toBe('Settings of Fresh shop'))
    expect(await page.locator('#settings ~ p.status[role=status]').textContent()).toBe('')
    const key = new URL(page.url()).searchParams.get('site')!
    expect(key).toMatch(/^fresh-shop-/)
    await page.locator('[data-last-event]', { hasText: 'Waiting for the first event' }).waitFor()
    await visit(env.edge, key, 'first', [{ type: 'pageview', url: `${SHOP}/` }])
    await page.locator('[data-last-event].ok').waitFor({ timeout: 15_000 })
    await page.getByRole('button', { name: 'Insights' }).click()
    await eventually(async () =>
      expect(await page.locator('[data-install]').textContent()).toMatch(/^Last event received /),
    )
    expect(await page.locator('.card', { hasText: 'Visitors' }).locator('dd').textContent()).toBe('1')
    await page.close()
  })
})
