/**
 * Voice of the customer in Chromium: the demo's Hebrew page asks its branching survey right to
 * left, in Hebrew, and the detractor's answer reaches the site's webhook (a local receiver)
 * within seconds, signed.
 */
import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, humanContext, siteOf, snippetReady, storedEvents, useEdgeAndBrowser } from './harness'
import { secretsOf } from './seed'

const env = useEdgeAndBrowser()

/** A webhook receiver on 127.0.0.1: what it got, and when. */
async function receiver() {
  const got: { at: number; body: string; headers: IncomingHttpHeaders }[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      got.push({ at: Date.now(), body, headers: req.headers })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  return { url: `http://127.0.0.1:${port}/hooks/ciel`, got, stop: () => new Promise((r) => server.close(r)) }
}

const admin = () => ({ authorization: `Bearer ${env.edge.token}` })
const survey = (page: Page) => page.locator('[data-ciel-survey] [role=dialog]')

describe('a survey in Hebrew that closes the loop', () => {
  it('asks right to left in Hebrew, branches on the score, and the detractor reaches the webhook within seconds', async () => {
    const hook = await receiver()
    const site = await siteOf(env.edge, env.site)
    site.settings = { ...site.settings, alerts: { url: hook.url } }
    const put = await fetch(`${env.edge.origin}/v1/admin/sites/${env.site}`, {
      method: 'PUT',
      headers: admin(),
      body: JSON.stringify(site),
    })
    expect(put.status).toBe(200)

    const human = await humanContext(env.browser) // bots' answers alert nobody
    const page = await human.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(`${env.edge.origin}/he`)
    await snippetReady(page)
    // Offered for this page after two seconds on it (the trigger's `seconds`), at a quiet moment.
    await survey(page).waitFor({ timeout: 15_000 })
    const box = survey(page)
    expect(await page.getAttribute('[data-ciel-survey]', 'dir')).toBe('rtl')
    expect(await box.getAttribute('dir')).toBe('rtl')
    expect(await box.locator('h2').textContent()).toBe('עד כמה סביר שתמליצו על Tandem לעמית?')
    expect(await box.getByRole('button', { name: 'סגירה' }).count()).toBe(1)
    // Right to left: 0 at the right end of the scale, 10 at the left; the box in the bottom-left corner.
    const zero = (await box.getByRole('button', { name: '0, לא סביר' }).boundingBox())!
    const ten = (await box.getByRole('button', { name: '10, סביר מאוד' }).boundingBox())!
    expect(zero.x).toBeGreaterThan(ten.x)
    const frame = (await box.boundingBox())!
    expect(frame.x).toBeLessThan(page.viewportSize()!.width / 2)
    const close = (await box.getByRole('button', { name: 'סגירה' }).boundingBox())!
    expect(close.x).toBeLessThan(frame.x + frame.width / 2)
    expect(await box.locator('.ends span').first().textContent()).toBe('לא סביר')

    await page.screenshot({ path: 'test-results/survey-hebrew.png' })
    const answered = Date.now()
    await box.getByRole('button', { name: '3', exact: true }).click()
    // A detractor is asked what went wrong (the branch), in Hebrew.
    await expect(box.locator('h2').textContent()).resolves.toBe('מה השתבש?')
    await box.locator('textarea').fill('הייצוא נתקע באמצע')
    await box.getByRole('button', { name: 'שליחה' }).click()
    await box.getByRole('status').filter({ hasText: 'תודה, אנחנו קוראים כל תשובה.' }).waitFor()

    // The score alone alerted the webhook, at once.
    const hit = await eventually(async () => {
      expect(hook.got.length).toBeGreaterThan(0)
      return hook.got[0]!
    }, 15_000)
    expect(hit.at - answered).toBeLessThan(10_000)
    const body = JSON.parse(hit.body)
    expect(body).toMatchObject({
      type: 'survey.negative_answer',
      site: env.site,
      survey: { id: 'voice' },
      answer: { q: 'score', kind: 'nps', score: 3 },
      reason: 'NPS 3 (a detractor: 0-6)',
      language: 'he',
      page: `${env.edge.origin}/he`,
    })
    // Signed with the site's webhook secret, as the README tells receivers to check.
    const { webhookSecret } = await secretsOf(env.edge, env.site)
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hit.headers['ciel-signature']))!
    expect(createHmac('sha256', webhookSecret).update(`${t}.${hit.body}`).digest('hex')).toBe(v1)

    // Each answer was recorded with its language; the delivery log says delivered.
    const stored = await eventually(async () => {
      const { events } = await storedEvents(env.edge, env.site, '&type=survey_answer')
      expect(events.filter((e) => e.name === 'voice')).toHaveLength(2)
      return events.filter((e) => e.name === 'voice')
    })
    expect(stored.map((e) => e.props).sort((a, b) => (a!.q < b!.q ? -1 : 1))).toEqual([
      { q: 'score', kind: 'nps', score: 3, lang: 'he' },
      { q: 'wrong', kind: 'text', text: 'הייצוא נתקע באמצע', lang: 'he' },
    ])
    const log = (await (
      await fetch(`${env.edge.origin}/v1/admin/sites/${env.site}/alerts`, { headers: admin() })
    ).json()) as any
    expect(log.alerts).toMatchObject([{ survey: 'voice', status: 'delivered', attempts: 1 }])
    expect(errors).toEqual([])
    await human.close()
    await hook.stop()
  })
})
