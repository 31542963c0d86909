/**
 * The dashboard's Settings in Chromium, as a site owner uses them: a survey written in the
 * editor, previewed in Hebrew by the real survey chunk, switched on and offered on the demo; a
 * new site whose tag, pasted into a page, turns "last event received" green; the webhook test.
 */
import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { demoSettings, eventually, humanContext, snippetReady, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()

/** The dashboard, signed in, on its Settings. */
const settings = () => demoSettings(env)

const admin = async (path: string) =>
  (await fetch(`${env.edge.origin}${path}`, { headers: { authorization: `Bearer ${env.edge.token}` } })).json() as any

describe('Settings in Chromium', () => {
  it('a survey written in the editor previews in Hebrew right to left, is refused whole with the message at its field, and once switched on is offered on the demo', async () => {
    const { page, errors } = await settings()
    const before = (await admin(`/v1/admin/sites/${env.site}`)).config.surveys.length
    await page.getByRole('button', { name: 'New survey' }).click()
    const editor = page.locator('form.survey-editor')
    await editor.getByLabel('Id (answers are kept under it)').fill('pricing-voice')
    await editor.getByLabel('עברית').check()
    await editor.getByLabel('Question, English').fill('How likely are you to recommend Tandem?')
    await editor.getByLabel('Question, עברית').fill('עד כמה סביר שתמליץ על Tandem?')
    await editor.getByLabel('After an event of type').fill('pageview')
    await editor.getByLabel('on pages under the path').fill('pricing') // no leading slash: refused

    // The preview is the survey chunk itself, in the language chosen: Hebrew, right to left.
    await editor.getByLabel('Preview in').selectOption('he')
    const preview = page.frameLocator('iframe[title="Survey preview"]')
    const shown = preview.locator('[data-ciel-survey][dir=rtl] [role=dialog]')
    await eventually(async () => expect(await shown.locator('h2').textContent()).toBe('עד כמה סביר שתמליץ על Tandem?'))
    expect(await shown.getAttribute('dir')).toBe('rtl')
    expect(await shown.getAttribute('lang')).toBe('he')
    // It follows the text as it is typed.
    await editor.getByLabel('Question, עברית').fill('מה דעתך על Tandem?')
    await eventually(async () => expect(await shown.locator('h2').textContent()).toBe('מה דעתך על Tandem?'))
    // Typing stays in the editor: the preview, shown again, does not take the keyboard.
    await editor.getByLabel('Question, עברית').focus()
    await page.keyboard.press('End')
    await page.keyboard.type('!!', { delay: 400 })
    await eventually(async () => expect(await shown.locator('h2').textContent()).toBe('מה דעתך על Tandem?!!'))
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Question, עברית')
    await editor.getByLabel('Question, עברית').fill('מה דעתך על Tandem?')

    // The worker refuses the whole survey and says why, next to the field, for screen readers too.
    await editor.getByRole('button', { name: 'Create the survey' }).click()
    const path = editor.getByLabel('on pages under the path')
    await eventually(async () => expect(await path.getAttribute('aria-invalid')).toBe('true'))
    errors.length = 0 // the browser logs the refused request itself
    const why = editor.locator('#survey-problem')
    expect(await why.getAttribute('role')).toBe('alert')
    expect(await why.textContent()).toBe('Must be a URL path starting with /')
    expect(await path.getAttribute('aria-describedby')).toBe('survey-problem')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-path'))).toBe('trigger.path')
    expect((await admin(`/v1/admin/sites/${env.site}`)).config.surveys.length).toBe(before)

    await path.fill('/pricing')
    await editor.getByRole('button', { name: 'Create the survey' }).click()
    const row = page.locator('tr[data-survey="pricing-voice"]')
    const toggle = row.getByRole('switch', { name: 'Survey pricing-voice is shown to visitors' })
    await eventually(async () => expect(await toggle.getAttribute('aria-checked')).toBe('false'))
    // Created off: not served to pages until switched on.
    const served = async () => (await admin(`/v1/config?site=${env.site}`)).surveys.map((s: any) => s.id)
    expect(await served()).not.toContain('pricing-voice')
    await toggle.click()
    await eventually(async () =>
      expect(await page.locator('tr[data-survey="pricing-voice"] [role=switch]').getAttribute('aria-checked')).toBe(
        'true',
      ),
    )
    expect(await served()).toContain('pricing-voice')
    expect((await admin(`/v1/admin/sites/${env.site}`)).config.surveys.at(-1)).toEqual({
      id: 'pricing-voice',
      questions: [
        {
          id: 'q1',
          type: 'nps',
          text: { en: 'How likely are you to recommend Tandem?', he: 'מה דעתך על Tandem?' },
          required: true,
        },
      ],
      trigger: { event: 'pageview', path: '/pricing' },
    })

    // A visitor of the demo's (English) pricing page is offered it.
    const human = await humanContext(env.browser)
    const visitor = await human.newPage()
    await visitor.goto(`${env.edge.origin}/pricing`)
    await snippetReady(visitor)
    const offered = visitor.locator('[data-ciel-survey="pricing-voice"] [role=dialog]')
    await offered.waitFor({ timeout: 15_000 })
    expect(await offered.locator('h2').textContent()).toBe('How likely are you to recommend Tandem?')
    await human.close()
    expect(errors).toEqual([])
    await page.close()
  })

  it('a site created in Settings gives the tag to paste; a page with it turns "last event received" green', async () => {
    const { page, errors } = await settings()
    // The owner's page, served by the test on 127.0.0.1 (a page answered by page.route counts as
    // public, and Chromium refuses it scripts from a loopback address, where the worker runs here).
    let pasted = ''
    const server = createServer((_, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pasted),
    )
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const shopOrigin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const form = page.locator('form', { has: page.locator('legend', { hasText: 'Add a site' }) })
    await form.getByLabel('Name').fill('Corner shop')
    await form.getByLabel(/^Origins of its pages/).fill(shopOrigin)
    await form.getByRole('button', { name: 'Create the site' }).click()
    await eventually(async () => expect(await page.locator('#settings').textContent()).toBe('Settings of Corner shop'))
    const last = page.locator('[data-last-event]')
    await eventually(async () => expect(await last.textContent()).toMatch(/^Waiting for the first event/))
    expect(await last.getAttribute('class')).toBe('note')
    const tag = (await page.locator('pre[data-tag]').textContent())!
    expect(tag).toMatch(new RegExp(`src="${env.edge.origin}/s.js" data-site="corner-shop-[0-9a-f]{6}"`))

    // The owner pastes the tag into their page.
    pasted = `<!doctype html><html lang="en"><head><title>Corner shop</title>${tag}</head><body><h1>Welcome</h1></body></html>`
    const human = await humanContext(env.browser)
    const shop = await human.newPage()
    await shop.goto(`${shopOrigin}/shop`)
    await snippetReady(shop)
    await eventually(async () => expect(await last.getAttribute('class')).toBe('ok'), 30_000)
    expect(await last.textContent()).toMatch(/^Last event received \d+ s ago\.$/)
    expect(await last.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(5, 96, 58)')
    await human.close()
    server.close()
    expect(errors).toEqual([])
    await page.close()
  })

  it('the webhook test sends an alert through the queue and says what the webhook answered', async () => {
    const received: string[] = []
    const hook = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => (received.push(body), res.writeHead(200).end()))
    })
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`
    try {
      const { page } = await settings()
      const form = page.locator('form', { has: page.locator('legend', { hasText: 'Alerts webhook' }) })
      expect(await form.getByRole('button', { name: 'Send test' }).isDisabled()).toBe(true)
      await form.getByLabel(/^Negative survey answers are sent to/).fill('ftp://nowhere')
      await form.getByRole('button', { name: 'Save the webhook' }).click()
      await eventually(async () =>
        expect(await page.locator('#webhook-error').textContent()).toBe('Must be an http(s) URL'),
      )
      const fresh = page.locator('form', { has: page.locator('legend', { hasText: 'Alerts webhook' }) })
      await fresh.getByLabel(/^Negative survey answers are sent to/).fill(url)
      await fresh.getByRole('button', { name: 'Save the webhook' }).click()
      await eventually(async () =>
        expect(
          await page
            .locator('form', { has: page.locator('legend', { hasText: 'Alerts webhook' }) })
            .getByRole('button', { name: 'Send test' })
            .isDisabled(),
        ).toBe(false),
      )
      await page
        .locator('form', { has: page.locator('legend', { hasText: 'Alerts webhook' }) })
        .getByRole('button', { name: 'Send test' })
        .click()
      await eventually(
        async () =>
          expect(await page.locator('[data-webhook-result]').textContent()).toBe(
            'Delivered: the webhook answered HTTP 200.',
          ),
        30_000,
      )
      expect(received).toHaveLength(1)
      expect(received[0]).toContain('a test alert')
      await page.close()
    } finally {
      hook.close()
    }
  })

  it('an experiment is stopped and started again from Settings, and a bad holdout is refused with its message', async () => {
    const { page, errors } = await settings()
    const experiment = () => page.getByRole('form', { name: 'Experiment trial-cta-1 on slot plan-cta' })
    const running = () => experiment().getByRole('switch', { name: 'Experiment trial-cta-1 is running' })
    const stored = async () =>
      (await admin(`/v1/admin/sites/${env.site}`)).config.slots.find((x: any) => x.id === 'plan-cta').experiment
    expect(await running().getAttribute('aria-checked')).toBe('true')
    // A switch says what is so; the click changes it (not "Running: stop").
    expect(await running().textContent()).toBe('Running')
    await running().click()
    await eventually(async () => expect(await running().getAttribute('aria-checked')).toBe('false'))
    expect(await running().textContent()).toBe('Stopped')
    expect((await stored()).on).toBe(false)

    await experiment().getByLabel('Holdout (0–0.5)').fill('0.7')
    await experiment().getByRole('button', { name: 'Save trial-cta-1' }).click()
    const message = page.locator('#experiments-error')
    await eventually(async () =>
      expect(await message.textContent()).toBe('Slot “plan-cta” › experiment › holdout must be a share from 0 to 0.5'),
    )
    errors.length = 0 // the browser logs the refused request itself
    expect((await stored()).holdout).toBe(0.1)

    await experiment().getByLabel('Holdout (0–0.5)').fill('0.2')
    await experiment().getByRole('button', { name: 'Save trial-cta-1' }).click()
    await eventually(async () => expect((await stored()).holdout).toBe(0.2))
    await running().click()
    await eventually(async () => expect(await running().getAttribute('aria-checked')).toBe('true'))
    expect(await stored()).toMatchObject({
      on: true,
      holdout: 0.2,
      allocation: 'thompson',
      goal: { type: 'step', name: 'onboarding', step: 'done' },
    })
    expect(errors).toEqual([])
    await page.close()
  })
})
