/**
 * Settings' forms in Chromium, instead of JSON boxes: a funnel built step by step (kinds, moved
 * and removed with buttons) and a segment built from conditions (with its live size), saved
 * through the worker, refused with the worker's message beside the field it names, every control
 * named for a screen reader, and the JSON still there behind a toggle.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { demoSettings, eventually, siteOf, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()

/** The dashboard, signed in, on its Settings. */
const settings = () => demoSettings(env)

const config = async () => (await siteOf(env.edge, env.site)).config

/** The controls of a form that a screen reader would announce without a name. */
const unnamed = (page: Page, selector: string) =>
  page.locator(selector).evaluate((form) =>
    [...form.querySelectorAll<HTMLElement>('input, select, textarea, button')]
      .filter((el) => {
        const labels = (el as HTMLInputElement).labels
        const named =
          (labels && [...labels].some((l) => l.textContent!.trim())) ||
          el.getAttribute('aria-label')?.trim() ||
          (el.tagName === 'BUTTON' && el.textContent!.trim())
        return !named
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  )

describe('Settings forms in Chromium', () => {
  it('a funnel built in the form (a page, a custom event, a step event, moved and removed) is refused with the message at its step, then saved as built', async () => {
    const { page, errors } = await settings()
    const before = (await config()).funnels
    await page.getByRole('button', { name: 'Add a funnel' }).click()
    const funnel = page.locator('fieldset.funnel').nth(before.length)
    await funnel.getByLabel('Id', { exact: true }).fill('checkout')
    await funnel.getByLabel(/^Window/).fill('14')
    await funnel.getByLabel('Funnel checkout, step 1: kind').selectOption('page')
    await funnel.getByLabel('Funnel checkout, step 1: a page view of the path').fill('pricing') // no leading slash
    await funnel.getByRole('button', { name: 'Add a step to funnel checkout' }).click()
    await funnel.getByLabel('Funnel checkout, step 2: kind').selectOption('track')
    await funnel.getByLabel('Funnel checkout, step 2: a custom event named').fill('signup')
    await funnel.getByRole('button', { name: 'Add a step to funnel checkout' }).click()
    await funnel.getByLabel('Funnel checkout, step 3: a step event named').fill('paid')
    await funnel.getByLabel('Funnel checkout, step 3: seconds a visitor should need').fill('600')
    await funnel.getByRole('button', { name: 'Funnel checkout, step 3: Up' }).click()
    await funnel.getByRole('button', { name: 'Add a step to funnel checkout' }).click()
    await funnel.getByLabel('Funnel checkout, step 4: a step event named').fill('oops')
    await funnel.getByRole('button', { name: 'Funnel checkout, step 4: Remove' }).click()
    expect(await funnel.locator('ol.steps > li').count()).toBe(3)

    // The worker refuses the whole list, and its message stands beside the step's path.
    await page.getByRole('button', { name: 'Save funnels' }).click()
    const path = funnel.getByLabel('Funnel checkout, step 1: a page view of the path')
    await eventually(async () => expect(await path.getAttribute('aria-invalid')).toBe('true'))
    errors.length = 0 // the browser logs the refused request itself
    const why = page.locator('#funnels-problem')
    expect(await why.textContent()).toBe('Must be a URL path starting with /')
    expect(await why.getAttribute('role')).toBe('alert')
    expect(await path.getAttribute('aria-describedby')).toBe('funnels-problem')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Funnel checkout, step 1: a page view of the path',
    )
    expect((await config()).funnels).toEqual(before)

    await path.fill('/pricing')
    await page.getByRole('button', { name: 'Save funnels' }).click()
    await eventually(async () => expect((await config()).funnels).toHaveLength(before.length + 1))
    expect((await config()).funnels).toEqual([
      ...before,
      {
        id: 'checkout',
        window: 14,
        steps: [
          { id: '/pricing', page: '/pricing' },
          { id: 'paid', maxSeconds: 600 },
          { id: 'signup', track: 'signup' },
        ],
      },
    ])
    // The form shows what was saved; the JSON behind the toggle too.
    await eventually(async () =>
      expect(
        await page.locator('fieldset.funnel').nth(before.length).getByLabel('Id', { exact: true }).inputValue(),
      ).toBe('checkout'),
    )
    await page.getByLabel('Edit funnels as JSON').check()
    expect(JSON.parse(await page.locator('#cfg-funnels').inputValue()).at(-1).id).toBe('checkout')
    expect(errors).toEqual([])
    await page.close()
  })

  it('a segment built from conditions shows its live size, is refused with the message at its value, then saved as built with the others unchanged', async () => {
    const { page, errors } = await settings()
    const before = (await config()).segments
    // Each segment's size, counted by the worker for the period chosen.
    const returning = page.locator('fieldset.segment-rule[data-segment="returning"] output')
    await eventually(async () =>
      expect(await returning.textContent()).toMatch(/^\d+ of the \d+ visitors of the last 30 days/),
    )
    await page.getByLabel('Sizes over the last').selectOption('7')
    await eventually(async () =>
      expect(await returning.textContent()).toMatch(/^\d+ of the \d+ visitors of the last 7 days/),
    )

    await page.getByRole('button', { name: 'Add a segment' }).click()
    const segment = page.locator('fieldset.segment-rule').nth(before.length)
    await segment.getByLabel('Id', { exact: true }).fill('engaged')
    await segment.getByLabel('Description').fill('Keeps coming back, or on a phone')
    await segment.getByLabel('Visitors who match').selectOption('any')
    await segment.getByLabel('Segment engaged, condition 1: field').fill('sessions')
    await segment.getByLabel('Segment engaged, condition 1: operator').selectOption('gte')
    await segment.getByLabel('Segment engaged, condition 1: value').fill('many') // not a number
    await segment.getByRole('button', { name: 'Add a condition to segment engaged' }).click()
    await segment.getByLabel('Segment engaged, condition 2: field').fill('device')
    await segment.getByLabel('Segment engaged, condition 2: operator').selectOption('eq')
    await segment.getByLabel('Segment engaged, condition 2: value').fill('mobile')
    // The live size says what the worker says of the rule as it stands.
    const size = segment.locator('output')
    await eventually(async () => expect(await size.textContent()).toBe('not counted: Must be a number'))

    await page.getByRole('button', { name: 'Save segments' }).click()
    const value = segment.getByLabel('Segment engaged, condition 1: value')
    await eventually(async () => expect(await value.getAttribute('aria-invalid')).toBe('true'))
    expect(await page.locator('#segments-problem').textContent()).toBe('Must be a number')
    expect(await value.getAttribute('aria-describedby')).toBe('segments-problem')
    expect((await config()).segments).toEqual(before)

    await value.fill('3')
    await eventually(async () =>
      expect(await size.textContent()).toMatch(/^\d+ of the \d+ visitors of the last 7 days/),
    )
    errors.length = 0 // the browser logs the refused save and counts of the bad rule itself
    await page.getByRole('button', { name: 'Save segments' }).click()
    await eventually(async () => expect((await config()).segments).toHaveLength(before.length + 1))
    expect((await config()).segments).toEqual([
      ...before,
      {
        id: 'engaged',
        description: 'Keeps coming back, or on a phone',
        rule: {
          any: [
            { field: 'sessions', op: 'gte', value: 3 },
            { field: 'device', op: 'eq', value: 'mobile' },
          ],
        },
      },
    ])
    expect(errors).toEqual([])
    await page.close()
  })

  it("a slot's rules are added, moved and saved in its form, an unknown segment refused beside its rule, the other slots kept as they were", async () => {
    const { page, errors } = await settings()
    const before = (await config()).slots
    const hero = page.locator('fieldset.slot').first()
    await hero.getByRole('button', { name: 'Add a rule to slot hero' }).click()
    const when = hero.getByLabel('Slot hero, rule 2: when the visitor is in the segment (or matches a rule as JSON)')
    await when.fill('no-such')
    await hero.getByLabel('Slot hero, rule 2: show the variant').fill('pricing')
    await page.getByRole('button', { name: 'Save slots' }).click()
    await eventually(async () => expect(await when.getAttribute('aria-invalid')).toBe('true'))
    errors.length = 0 // the browser logs the refused request itself
    expect(await page.locator('#slots-problem').textContent()).toBe("Names the unknown segment 'no-such'")
    expect((await config()).slots).toEqual(before)

    await when.fill('returning')
    await hero.getByRole('button', { name: 'Slot hero, rule 2: Up' }).click()
    await page.getByRole('button', { name: 'Save slots' }).click()
    await eventually(async () => expect((await config()).slots[0].rules).toHaveLength(2))
    expect((await config()).slots).toEqual([
      {
        ...before[0],
        rules: [{ when: 'returning', variant: 'pricing' }, ...before[0].rules],
      },
      ...before.slice(1),
    ])
    expect(errors).toEqual([])
    await page.close()
  })

  it('every control of the funnel, segment and slot forms has a name a screen reader says', async () => {
    const { page } = await settings()
    await page.getByRole('button', { name: 'Add a funnel' }).click()
    await page.getByRole('button', { name: 'Add a segment' }).click()
    const funnels = page.getByRole('form', { name: 'Funnels' })
    const segments = page.getByRole('form', { name: 'Segments' })
    expect(await funnels.locator('input, select').count()).toBeGreaterThan(10)
    expect(await segments.locator('input, select').count()).toBeGreaterThan(10)
    expect(await unnamed(page, 'form[aria-labelledby="funnels-legend"]')).toEqual([])
    expect(await unnamed(page, 'form[aria-labelledby="segments-legend"]')).toEqual([])
    expect(await unnamed(page, 'form[aria-labelledby="slots-legend"]')).toEqual([])
    await page.close()
  })
})

describe('Experiments in Settings', () => {
  it("an experiment's arms, guardrail, window and smallest lift are edited in its form; a bad lift is refused with the message beside it", async () => {
    const { page, errors } = await settings()
    const experiment = page.getByRole('form', { name: 'Experiment trial-cta-1 on slot plan-cta' })
    const stored = async () => (await config()).slots.find((x: any) => x.id === 'plan-cta').experiment
    const before = await stored()
    await experiment.getByLabel(/^Arms: variants/).fill('trial, annual')
    await experiment.getByLabel('Guardrail event type (must not rise)').fill('rage_click')
    await experiment.getByLabel(/^Window: a conversion counts within/).fill('21')
    const lift = experiment.getByLabel('Smallest lift worth detecting (0.1 is 10%)')
    await lift.fill('20')
    await experiment.getByRole('button', { name: 'Save trial-cta-1' }).click()
    await eventually(async () => expect(await lift.getAttribute('aria-invalid')).toBe('true'))
    errors.length = 0 // the browser logs the refused request itself
    const beside = page.locator('#exp-plan-cta-minimumLift-error')
    expect(await beside.textContent()).toBe('Must be a relative lift from 0.01 to 10 (0.1 is 10%)')
    expect(await lift.getAttribute('aria-describedby')).toBe('exp-plan-cta-minimumLift-error experiments-error')
    expect(await stored()).toEqual(before)

    await lift.fill('0.05')
    await experiment.getByRole('button', { name: 'Save trial-cta-1' }).click()
    await eventually(async () => expect((await stored()).minimumLift).toBe(0.05))
    expect(await stored()).toEqual({
      ...before,
      variants: ['trial', 'annual'],
      guardrail: { type: 'rage_click' },
      windowDays: 21,
      minimumLift: 0.05,
    })
    expect(await unnamed(page, 'form.experiment')).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })
})
