/**
 * An NPS of 0 is a score, not an absence, in Chromium: a day whose answers balance out (a promoter
 * and a detractor) opens who answered from the NPS trend's chart as any other day does, and a
 * period whose only NPS is 0 still draws its chart.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, hoverToday, problemsOf, signIn, useEdgeAndBrowser } from './harness'
import { SHOP, secretsOf, shopSite, untilStored, visit, type SeedEvent } from './seed'
import { signOffer } from '../../edge/domain/offers'

const env = useEdgeAndBrowser()
const DAY = 86_400_000

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const { secret } = await secretsOf(env.edge, env.site)
  // Two days ago a promoter alone (NPS 100); today a promoter and a detractor (NPS 0), and nobody the day before.
  const answers: [string, number, number][] = [
    ['fan', 10, 2 * DAY],
    ['pro', 9, 5000],
    ['det', 3, 4000],
  ]
  for (const [id, score, ago] of answers) {
    const events: SeedEvent[] = [
      { type: 'pageview', url: `${SHOP}/`, ago: ago + 1000 },
      {
        type: 'survey_answer',
        name: 'nps',
        props: { kind: 'nps', score },
        hash: await signOffer(secret, env.site, 'nps', id, Date.now()),
        ago,
      },
    ]
    await visit(env.edge, env.site, id, events)
  }
  await untilStored(env.edge, env.site, 2 * answers.length, { query: '&limit=1' })
})

const npsTrend = (page: Page) =>
  page.locator('section[aria-labelledby=trends] article', { has: page.locator('#trend-nps') })

describe('a trend point whose NPS is 0', () => {
  it("opens from the chart, as from the table: who answered that day, though the day's NPS is 0", async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } })
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { timeout: 90_000 })
    const nps = npsTrend(page)
    const plot = nps.locator('.u-over')
    await plot.waitFor()
    // The last of the trends (below the fold): scrolled to, today hovered.
    const point = await hoverToday(page, plot)
    await eventually(async () =>
      expect(await nps.locator('.chart-value').textContent()).toMatch(/\(so far\): 0 · .* · click to list them$/),
    )
    await page.mouse.click(point.x, point.y)
    const dialog = page.locator('dialog.behind')
    await eventually(async () =>
      expect(await dialog.locator('#behind-title').textContent()).toMatch(/^Visitors who answered NPS, .* \(so far\)$/),
    )
    await eventually(async () => expect(await dialog.locator('tbody tr').count()).toBe(2))
    expect((await dialog.locator('tbody tr td:first-child code').allTextContents()).sort()).toEqual(['det', 'pro'])
    expect(await dialog.locator('[data-total]').textContent()).toBe(
      '2 visitors behind 2 answers, the most recently seen first.',
    )
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await dialog.count()).toBe(0))
    // The table's button for today opens the same.
    await nps.locator('summary').click()
    const today = nps.locator('tbody tr').last().getByRole('button')
    expect(await today.textContent()).toBe('0')
    await today.click()
    await eventually(async () => expect(await dialog.locator('tbody tr').count()).toBe(2))
    expect(problems).toEqual([])
    await page.close()
  }, 150_000)

  it('draws the NPS trend of a day whose only NPS is 0, instead of saying there are no answers', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await signIn(page, env.edge, env.site, { query: '&days=1', timeout: 90_000 })
    const nps = npsTrend(page)
    // The chart, or the sentence said in its place.
    await nps.locator('.chart, .note.empty').first().waitFor()
    expect(await nps.locator('.note.empty').count()).toBe(0)
    expect(await nps.locator('.chart').getAttribute('aria-label')).toMatch(/^NPS: 0 this period\b/)
    await nps.locator('.u-over').waitFor()
    await page.close()
  }, 150_000)
})
