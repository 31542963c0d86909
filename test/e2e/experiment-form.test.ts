/**
 * An experiment started from Settings' forms in Chromium, without JSON: created on a slot that has
 * none (refused in words beside the field while something is missing), started with its switch,
 * seen running in Personalisation, deciding the slot for a new visitor, and stopped again.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, openSettings, siteOf, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite } from './seed'

const env = useEdgeAndBrowser()

beforeAll(async () => {
  await shopSite(env.edge, env.site)
})

const help = async () => (await siteOf(env.edge, env.site)).config.slots.find((x: any) => x.id === 'help')

/** What the worker decides for a visitor it has never seen, on the shop's home page. */
const decide = async (visitor: string) => {
  const r = await fetch(`${env.edge.origin}/v1/decide`, {
    method: 'POST',
    headers: { origin: SHOP, 'content-type': 'application/json' },
    body: JSON.stringify({ site: env.site, visitor, url: `${SHOP}/` }),
  })
  expect(r.status).toBe(200)
  return (await r.json()) as { decisions: Record<string, string | null>; experiments?: Record<string, string> }
}

async function settings(page: Page) {
  await openSettings(page, env.edge, env.site)
  await page.locator('#settings').waitFor()
}

describe('an experiment from the forms', () => {
  it('is created on a slot, refused in words at the field, started, seen running, decides the slot and is stopped', async () => {
    const page = await env.browser.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    await settings(page)
    expect((await help()).experiment).toBeUndefined()
    await page.getByRole('button', { name: 'Add an experiment to slot help' }).click()
    const form = page.getByRole('form', { name: 'New experiment on slot help' })
    await form.getByLabel(/^Arms: variants/).fill('tour')
    await form.getByLabel('Goal event type').fill('step')
    await form.getByLabel('Goal name').fill('onboarding')
    await form.getByLabel('Goal step').fill('done')
    await form.getByLabel(/^Window: a conversion counts within/).fill('7')
    await form.getByLabel('Holdout (0–0.5)').fill('0.1')
    await form.getByLabel('Allocation').selectOption({ label: 'bandit: more traffic to what converts' })

    // No id yet: the worker's words beside the id, nothing saved.
    await form.getByRole('button', { name: 'Create it, stopped' }).click()
    const id = form.getByLabel('Experiment id (letters, digits, - or _)')
    await eventually(async () => expect(await id.getAttribute('aria-invalid')).toBe('true'))
    expect(await page.locator('#exp-help-id-error').textContent()).toBe("Must be 1-64 letters, digits, '-' or '_'")
    expect((await help()).experiment).toBeUndefined()

    await id.fill('help-tour-1')
    await form.getByRole('button', { name: 'Create it, stopped' }).click()
    await eventually(async () =>
      expect((await help()).experiment).toEqual({
        id: 'help-tour-1',
        on: false,
        variants: ['tour'],
        goal: { type: 'step', name: 'onboarding', step: 'done' },
        windowDays: 7,
        holdout: 0.1,
        allocation: 'thompson',
      }),
    )
    // Created stopped: it decides nothing until it is started.
    expect((await decide('v-before')).experiments?.help).toBeUndefined()

    const running = page
      .getByRole('form', { name: 'Experiment help-tour-1 on slot help' })
      .getByRole('switch', { name: 'Experiment help-tour-1 is running' })
    expect(await running.getAttribute('aria-checked')).toBe('false')
    await running.click()
    await eventually(async () => expect(await running.getAttribute('aria-checked')).toBe('true'))
    expect((await help()).experiment.on).toBe(true)
    // The slot's decisions now come from it (the site's config is cached by the worker for a moment).
    await eventually(async () => {
      const d = await decide('v-after')
      expect(d.experiments?.help).toBe('help-tour-1')
      expect(['tour', '', null]).toContain(d.decisions.help ?? null)
    })

    await page.getByRole('button', { name: 'Insights' }).click()
    const report = page.locator('section[aria-labelledby=personalisation] h3#exp-help')
    await eventually(async () => expect(await report.textContent()).toBe('Slot “help”: experiment help-tour-1 running'))

    await page.getByRole('button', { name: 'Settings' }).click()
    await running.click()
    await eventually(async () => expect(await running.getAttribute('aria-checked')).toBe('false'))
    expect((await help()).experiment.on).toBe(false)
    await eventually(async () => expect((await decide('v-stopped')).experiments?.help).toBeUndefined())
    expect(problems).toEqual([])
    await page.close()
  })
})
