/**
 * The dashboard's layout on a laptop (1280×800) and a phone (390×844), in English and in Hebrew: the page never scrolls
 * sideways, and no table cell's text wraps inside a word ("Statu s", "8/8" for 88). A word that
 * wraps has two or more line boxes: the client rects of its DOM range.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, signIn, siteOf, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, untilStored, visit } from './seed'

const env = useEdgeAndBrowser()
const INSTEAD = ['opened_billing_settings', 'watched_the_product_tour', 'contacted_the_sales_team', 'read_the_api_docs']

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const config = await siteOf(env.edge, env.site)
  const survey: string = config.config.surveys[0].id
  const step = (s: string) => ({ type: 'step', name: 'onboarding', props: { step: s } })
  const people = ['ann', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal']
  for (const [i, who] of people.entries())
    await visit(
      env.edge,
      env.site,
      who,
      [
        { type: 'pageview', url: `${SHOP}/?utm_source=newsletter-${i % 3}`, props: { ref: 'https://www.google.com/' } },
        { type: 'pageview', url: `${SHOP}/settings/workspaces/1234567890/members/invitations/pending` },
        step('account'),
        // Half go on; the others each do something else instead (the funnel's "stopped here, then").
        i % 2 ? step('workspace') : { type: 'track', name: INSTEAD[i / 2] },
        {
          type: 'rage_click',
          url: `${SHOP}/pricing`,
          props: { path: 'main > section.plans > button#upgrade-to-professional', text: 'Upgrade', clicks: 4 },
        },
        { type: 'survey_answer', name: survey, props: { q: 'score', kind: 'nps', score: i + 2 } },
        { type: 'track', name: 'invite_sent', props: { plan: 'pro' } },
        // A second apart, in this order (what each did after a step is the event after it).
      ].map((e, k, all) => ({ ...e, ago: (all.length - k) * 1000 })),
      { phone: i % 2 === 0 },
    )
  await visit(env.edge, env.site, 'ilan', [
    { type: 'survey_answer', name: survey, props: { kind: 'text', text: 'המחיר גבוה מדי לצוות קטן' } },
  ])
  await untilStored(env.edge, env.site, 57)
})

/**
 * The words of table cells that wrap onto two lines, the captions whose text runs out of the box
 * their table scrolls in, and how much the page overflows sideways.
 */
function layoutProblems(page: Page) {
  return page.evaluate(() => {
    const broken: string[] = []
    const cut: string[] = []
    for (const box of document.querySelectorAll('main .scroll')) {
      const caption = box.querySelector(':scope > table > caption')
      if (!(box as HTMLElement).offsetParent || !caption) continue
      const b = box.getBoundingClientRect()
      const walker = document.createTreeWalker(caption, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // Text for screen readers only (a chart's table saying what the chart shows) is not seen.
        if (node.parentElement?.closest('.sr-only')) continue
        const range = document.createRange()
        range.selectNodeContents(node)
        const out = [...range.getClientRects()].some(
          (r) => r.width > 0 && (r.left < b.left - 0.5 || r.right > b.right + 0.5),
        )
        if (out) {
          cut.push(caption.textContent!.trim().slice(0, 40))
          break
        }
      }
    }
    for (const cell of document.querySelectorAll('main th, main td')) {
      if (!(cell as HTMLElement).offsetParent) continue // not shown (a closed <details>)
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? ''
        for (const m of text.matchAll(/\S+/g)) {
          const range = document.createRange()
          range.setStart(node, m.index)
          range.setEnd(node, m.index + m[0].length)
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)))
          if (lines.size > 1) broken.push(`${m[0]} (in “${cell.textContent?.trim().slice(0, 40)}”)`)
        }
      }
    }
    const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth
    return { broken, cut, overflow }
  })
}

/** The tables of `selector` that are wider than the box they scroll in: columns out of sight. */
const scrolled = (page: Page, selector: string) =>
  page
    .locator(`${selector} .scroll`)
    .evaluateAll((boxes) =>
      boxes
        .filter((b) => b.scrollWidth > b.clientWidth)
        .map((b) => b.querySelector('caption')?.textContent?.slice(0, 40)),
    )

/** The words the test looks for, per language (the layout is checked in English and in Hebrew, right to left). */
const WORDS = {
  'en-GB': { settings: 'Settings', experiments: 'Experiments', edit: /^Edit /, close: 'Close' },
  'he-IL': { settings: 'הגדרות', experiments: 'ניסויים', edit: /^עריכת /, close: 'סגירה' },
} as const

describe('dashboard layout', () => {
  for (const locale of ['en-GB', 'he-IL'] as const)
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const)
      it(`at ${width}×${height} in ${locale}: no sideways scrolling, no word broken in a table cell, no caption cut, in Insights, a drill-down and Settings`, async () => {
        const words = WORDS[locale]
        const page = await env.browser.newPage({ viewport: { width, height }, locale })
        await signIn(page, env.edge, env.site, { funnels: true })
        await eventually(async () =>
          expect(await page.locator('section[aria-labelledby=journeys] svg').count()).toBe(1),
        )
        expect(await page.locator('html').getAttribute('lang')).toBe(locale.slice(0, 2))
        const fine = { broken: [], cut: [], overflow: 0 }
        expect(await layoutProblems(page)).toEqual(fine)
        // On a laptop every column of the funnel is in sight: what those who stopped did instead wraps.
        if (width === 1280) expect(await scrolled(page, 'section[aria-labelledby=funnels]')).toEqual([])
        // Those who stopped at the first step, with what each did instead.
        await page
          .locator('section[aria-labelledby=funnels] tbody tr')
          .first()
          .locator('td:nth-child(6) button')
          .click()
        const behind = page.locator('dialog.behind')
        await eventually(async () => expect(await behind.locator('tbody tr').count()).toBe(4))
        expect(await layoutProblems(page)).toEqual(fine)
        if (width === 1280) expect(await scrolled(page, 'dialog.behind')).toEqual([])
        await behind.getByRole('button', { name: words.close }).click()
        await behind.waitFor({ state: 'detached' })
        await page.click(`header nav button:has-text("${words.settings}")`)
        await page.locator('fieldset.surveys tbody tr').first().waitFor()
        await page.locator('fieldset legend', { hasText: words.experiments }).waitFor()
        expect(await layoutProblems(page)).toEqual(fine)
        await page.locator('fieldset.surveys tbody button', { hasText: words.edit }).first().click()
        // The preview (the survey chunk in a frame) shown: nothing of the page is still loading.
        await page.frameLocator('.survey-editor iframe').locator('[data-ciel-survey] [role=dialog]').waitFor()
        expect(await layoutProblems(page)).toEqual(fine)
        await page.close()
      })

  it('quotes a Hebrew answer right to left, inside quote marks that read as the page’s', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await signIn(page, env.edge, env.site, { funnels: true })
    // The survey's answers, opened from its headline.
    const survey = page.locator('section[aria-labelledby=surveys] article', { hasText: 'המחיר גבוה מדי' }).first()
    await survey.locator('details.survey-more > summary').click()
    const quote = survey.locator('q', { hasText: 'המחיר גבוה מדי' }).first()
    await quote.waitFor()
    const directions = await quote.evaluate((q) => {
      const text = q.querySelector('bdi') ?? q
      return [getComputedStyle(q).direction, getComputedStyle(text).direction, text.textContent]
    })
    expect(directions).toEqual(['ltr', 'rtl', 'המחיר גבוה מדי לצוות קטן'])
    await page.close()
  })
})
