/**
 * What the dashboard shows after a change made in it is the state after the change: a new
 * site's own Settings (not the message of the site before), and its Insights once its first
 * event arrived (the install check turned green); the surveys' responses and NPS through a save.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, signInAt, siteOf, useEdgeAndBrowser } from './harness'
import { SHOP, secretsOf, shopSite, untilStored, visit } from './seed'
import { signOffer } from '../../edge/domain/offers'

const env = useEdgeAndBrowser()
let surveys: string[] = []

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const site = await siteOf(env.edge, env.site)
  surveys = site.config.surveys.map((s: { id: string }) => s.id)
  expect(surveys).toContain('nps')
  // A promoter's answer to the NPS survey, signed as the survey the worker offered.
  const { secret } = await secretsOf(env.edge, env.site)
  await visit(env.edge, env.site, 'ann', [
    {
      type: 'survey_answer',
      name: 'nps',
      props: { q: 'score', kind: 'nps', score: 9 },
      hash: await signOffer(secret, env.site, 'nps', 'ann', Date.now()),
    },
  ])
  await untilStored(env.edge, env.site, 1, { query: '&type=survey_answer' })
})

async function settings(): Promise<Page> {
  const page = await env.browser.newPage()
  await signInAt(page, `${env.edge.origin}/dashboard/?view=settings&site=${env.site}`, env.edge.token)
  await page.locator('#settings').waitFor()
  return page
}

describe('the dashboard after a change', () => {
  it('shows a new site’s own Settings, then its Insights with its first event', async () => {
    const page = await settings()
    // The answered survey's responses and NPS, before and while the list reloads after a save:
    // every text its two cells showed, kept as they change.
    const answered = page.locator('tr[data-survey="nps"]')
    const figures = () => answered.locator('td:nth-child(4), td:nth-child(5)').allTextContents()
    await eventually(async () => expect(await figures()).toEqual(['1', '100']))
    await page.evaluate(() => {
      const seen = ((window as unknown as { seen: string[] }).seen = [] as string[])
      // The row as it is after each change of the page (Settings may draw it anew).
      const note = () => {
        const cells = document.querySelectorAll('tr[data-survey="nps"] td')
        if (cells.length) seen.push(`${cells[2]!.textContent} ${cells[3]!.textContent}`)
      }
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true })
    })
    const reloaded = page.waitForResponse((r) => r.url().includes('/v1/insights/surveys?'))
    await page.locator(`tr[data-survey="${surveys.find((s) => s !== 'nps')}"] [role=switch]`).click()
    await eventually(async () =>
      expect(await page.locator('#settings ~ p.status[role=status]').textContent()).toMatch(/^Saved: version \d+\.$/),
    )
    await reloaded
    await eventually(async () => expect(await figures()).toEqual(['1', '100']))
    // Never a "–" in the meantime: the figures stay while they reload.
    expect(
      (await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).filter((x) => x.includes('–')),
    ).toEqual([])
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
