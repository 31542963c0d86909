/** Micro-surveys in Chromium, on the demo site's strict-CSP pages, down to D1 and the insights. */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, humanContext, snippetReady, storedEvents, useEdgeAndBrowser, type Edge } from './harness'

const env = useEdgeAndBrowser()

/** Makes the demo's first onboarding step stall after one second. */
async function quickStall(edge: Edge, key: string) {
  const headers = { authorization: `Bearer ${edge.token}` }
  const site = (await (await fetch(`${edge.origin}/v1/admin/sites/${key}`, { headers })).json()) as any
  site.config.funnels[0].steps[0].maxSeconds = 1
  const r = await fetch(`${edge.origin}/v1/admin/sites/${key}`, { method: 'PUT', headers, body: JSON.stringify(site) })
  expect(r.status).toBe(200)
}

/** Console errors and CSP violations on the page. */
function problems(page: Page): string[] {
  const seen: string[] = []
  page.on('console', (m) => m.type() === 'error' && seen.push(m.text()))
  page.on('pageerror', (e) => seen.push(String(e)))
  return seen
}

const survey = (page: Page) => page.locator('[data-ciel-survey] [role=dialog]')

describe('surveys in Chromium', () => {
  it('a visitor stalled in onboarding is asked in the page; the score and the comment reach D1 and the insights', async () => {
    await quickStall(env.edge, env.site)
    const human = await humanContext(env.browser) // insights leave automation out
    const page = await human.newPage()
    const errors = problems(page)
    await page.goto(`${env.edge.origin}/onboarding`)
    await snippetReady(page)
    // The step stalls after 1 s; its batch's answer offers the survey.
    await survey(page).waitFor({ timeout: 10_000 })
    await expect(survey(page).locator('h2').textContent()).resolves.toBe(
      'How easy is setting up your workspace so far?',
    )
    // Styled by its own stylesheet in the shadow root, under the page's strict CSP.
    const position = await page.$eval('[data-ciel-survey]', (el) => getComputedStyle(el).position)
    expect(position).toBe('fixed')
    // Offered unprompted, it leaves the keyboard where the visitor had it.
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-ciel-survey'))).toBe(false)

    await survey(page).getByRole('button', { name: '2', exact: true }).click()
    await expect(survey(page).locator('h2').textContent()).resolves.toBe('What is slowing you down?')
    await survey(page).locator('textarea').fill('I do not know what a workspace is for')
    await survey(page).getByRole('button', { name: 'Send' }).click()
    await survey(page).getByRole('status').filter({ hasText: 'Thank you!' }).waitFor()
    await page.locator('[data-ciel-survey]').waitFor({ state: 'detached', timeout: 5000 })

    const stored = await eventually(async () => {
      const { events } = await storedEvents(env.edge, env.site)
      const mine = events.filter((e) => e.name === 'onboarding-stall')
      expect(mine.map((e) => e.type).sort()).toEqual(['survey_answer', 'survey_comment', 'survey_shown'])
      return mine
    })
    expect(stored.find((e) => e.type === 'survey_answer')!.props).toEqual({ kind: 'csat', score: 2 })
    expect(stored.find((e) => e.type === 'survey_comment')!.props).toMatchObject({
      score: 2,
      text: 'I do not know what a workspace is for',
    })

    const r = await fetch(`${env.edge.origin}/v1/insights/surveys?site=${env.site}&days=1`, {
      headers: { authorization: `Bearer ${env.edge.token}` },
    })
    const report = ((await r.json()) as any).surveys.find((s: any) => s.id === 'onboarding-stall')
    expect(report).toMatchObject({ shown: 1, answered: 1, headline: 0, scores: [{ score: 2, n: 1 }] })
    expect(report.comments[0].text).toBe('I do not know what a workspace is for')

    // The product team reads it on the dashboard.
    const team = await env.browser.newPage()
    await team.goto(`${env.edge.origin}/dashboard`, { waitUntil: 'domcontentloaded' })
    await team.fill('input[type=password]', env.edge.token)
    await team.click('button[type=submit]')
    await team.selectOption('header select >> nth=0', env.site)
    const card = team.locator('article.survey', { hasText: 'How easy is setting up your workspace so far?' })
    await eventually(async () => expect(await card.locator('.comments li').count()).toBe(1))
    expect(await card.locator('.note').textContent()).toBe(
      'Shown to 1 visitor, answered by 1 (100%), closed by 0. 0% satisfied.',
    )
    expect(await card.locator('.comments q').textContent()).toBe('I do not know what a workspace is for')
    await team.screenshot({ path: 'test-results/dashboard-surveys.png', fullPage: true })
    await team.close()

    // The same visitor stalls again on a later visit: the worker's answer offers nothing.
    const answers: { types: string[]; surveys: unknown[] }[] = []
    page.on('response', async (r) => {
      if (!r.url().endsWith('/v1/events') || r.status() !== 200) return
      const types = (JSON.parse(r.request().postData() ?? '{}').events ?? []).map((e: { type: string }) => e.type)
      // A batch answered as the page navigates away has no body left to read: not the one waited for.
      const body = await r.json().catch(() => null)
      if (body) answers.push({ types, surveys: body.surveys })
    })
    await page.goto(`${env.edge.origin}/onboarding`)
    await snippetReady(page)
    const again = await eventually(async () => {
      const a = answers.find((x) => x.types.includes('stall'))
      expect(a).toBeDefined()
      return a!
    })
    expect(again.surveys).toEqual([])
    expect(await page.locator('[data-ciel-survey]').count()).toBe(0)
    expect(errors).toEqual([])
    await human.close()
  })

  it("a 'Give feedback' button shows the NPS survey with the keyboard on it; Escape closes it as a dismissal", async () => {
    const page = await env.browser.newPage()
    const errors = problems(page)
    await page.goto(`${env.edge.origin}/pricing`)
    await snippetReady(page)
    await page.click('#feedback')
    await survey(page).waitFor()
    expect(await survey(page).getByRole('button').count()).toBe(12) // close, 0..10
    const focused = await page.evaluate(
      () => document.querySelector('[data-ciel-survey]')?.shadowRoot?.activeElement?.textContent,
    )
    expect(focused).toBe('0')
    await page.keyboard.press('Escape')
    await page.locator('[data-ciel-survey]').waitFor({ state: 'detached' })
    await eventually(async () => {
      const { events } = await storedEvents(env.edge, env.site, '&type=survey_dismiss')
      expect(events.map((e) => e.name)).toEqual(['nps'])
    })
    expect(errors).toEqual([])
    await page.close()
  })

  it('in a browser without constructable stylesheets (Safari before 16.4, Firefox before 101) the survey is styled too, under the strict CSP', async () => {
    const context = await env.browser.newContext()
    await context.addInitScript(() => {
      delete (ShadowRoot.prototype as any).adoptedStyleSheets
      delete (Document.prototype as any).adoptedStyleSheets
    })
    const page = await context.newPage()
    const errors = problems(page)
    await page.goto(`${env.edge.origin}/pricing`)
    await snippetReady(page)
    expect(await page.evaluate(() => 'adoptedStyleSheets' in ShadowRoot.prototype)).toBe(false)
    await page.click('#feedback')
    await survey(page).waitFor()
    const style = await page.$eval('[data-ciel-survey]', (host) => {
      const box = host.shadowRoot!.querySelector('.box')!
      const send = host.shadowRoot!.querySelector('button:not(.close)')!
      return [getComputedStyle(host).position, getComputedStyle(box).borderRadius, getComputedStyle(send).cursor]
    })
    expect(style).toEqual(['fixed', '10px', 'pointer'])
    expect(errors).toEqual([]) // no inline style refused by the CSP
    await context.close()
  })
})
