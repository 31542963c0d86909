/**
 * The dashboard in the team's language: a browser set to Hebrew gets it in Hebrew, right to left,
 * with nothing pushed off the side of the screen; the switch brings English back, and stays.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, storedEvents, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, visit } from './seed'

const env = useEdgeAndBrowser()

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const step = (s: string) => ({ type: 'step', name: 'onboarding', props: { step: s } })
  for (const [i, who] of ['ann', 'bob', 'cy'].entries())
    await visit(
      env.edge,
      env.site,
      who,
      [
        { type: 'pageview', url: `${SHOP}/?utm_source=newsletter`, props: { ref: 'https://www.google.com/' } },
        { type: 'pageview', url: `${SHOP}/settings/workspaces/1234567890/members` },
        step('account'),
        ...(i % 2 ? [step('workspace')] : []),
        { type: 'track', name: 'invite_sent', props: { plan: 'pro' } },
      ],
      { phone: i % 2 === 0 },
    )
  await eventually(async () => expect((await storedEvents(env.edge, env.site)).total).toBe(13))
})

const page = { dir: (p: Page) => p.evaluate(() => [document.documentElement.dir, document.documentElement.lang]) }

/** How far the page reaches past the screen's side (0: it never scrolls sideways). */
const overflow = (p: Page) => p.evaluate(() => document.scrollingElement!.scrollWidth - innerWidth)

const heading = (p: Page, id: string) => p.locator(`h2#${id}`).textContent()

async function signIn(p: Page) {
  await p.goto(`${env.edge.origin}/dashboard/?site=${env.site}`, { waitUntil: 'domcontentloaded' })
  await p.fill('input[type=password]', env.edge.token)
  await p.click('button[type=submit]')
  await p.locator('#overview').waitFor()
  await p.locator('section[aria-labelledby=funnels] table').first().waitFor()
}

describe('dashboard language', () => {
  it('opens in Hebrew, right to left, for a browser set to Hebrew, fits a laptop and a phone, and switches back to English', async () => {
    const p = await env.browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'he-IL' })
    await p.goto(`${env.edge.origin}/dashboard/?site=${env.site}`, { waitUntil: 'domcontentloaded' })
    await p.locator('form.login').waitFor()
    expect(await page.dir(p)).toEqual(['rtl', 'he'])
    expect(await p.locator('form.login button[type=submit]').textContent()).toBe('פתיחת לוח הבקרה')
    await signIn(p)
    expect(await heading(p, 'trends')).toBe('מגמות')
    expect(await heading(p, 'funnels')).toBe('משפכים')
    expect(await heading(p, 'overview')).toBe('30 הימים האחרונים')
    expect(await p.locator('header nav button').allTextContents()).toEqual(['תובנות', 'הגדרות'])
    expect(await p.locator('header select >> nth=1').locator('option').allTextContents()).toContain('7 הימים האחרונים')
    // The header starts on the right: the product's name is at the right-hand end.
    const [h1, header] = await Promise.all([p.locator('header h1').boundingBox(), p.locator('header').boundingBox()])
    expect(header!.x + header!.width - (h1!.x + h1!.width)).toBeLessThan(64)
    // A page path, the site's own text, reads left to right inside the Hebrew table.
    const path = p.locator('section[aria-labelledby=traffic] tbody th bdi', { hasText: '/settings/workspaces' }).first()
    expect(await path.evaluate((e) => getComputedStyle(e).direction)).toBe('ltr')
    await p.locator('section[aria-labelledby=journeys]').waitFor()
    expect(await overflow(p)).toBeLessThanOrEqual(0)
    await p.setViewportSize({ width: 390, height: 844 })
    await eventually(async () => expect(await overflow(p)).toBeLessThanOrEqual(0))

    await p.selectOption('label.language select', 'en')
    expect(await page.dir(p)).toEqual(['ltr', 'en'])
    expect(await heading(p, 'trends')).toBe('Trends')
    expect(await heading(p, 'overview')).toBe('Last 30 days')
    // Picked, it outlasts a reload, whatever the browser's language.
    await p.reload({ waitUntil: 'domcontentloaded' })
    await p.locator('#overview').waitFor()
    expect(await page.dir(p)).toEqual(['ltr', 'en'])
    expect(await heading(p, 'funnels')).toBe('Funnels')
    await p.close()
  })

  it('opens in Arabic, right to left, with the numbers in the digits of the charts beside them', async () => {
    const p = await env.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ar-EG' })
    await signIn(p)
    expect(await page.dir(p)).toEqual(['rtl', 'ar'])
    expect(await heading(p, 'overview')).toBe('آخر 30 يومًا')
    expect(await heading(p, 'funnels')).toBe('مسارات التحويل')
    // The overview's cards: visitors 3, pageviews 6, as the trend charts' axes write them.
    expect(await p.locator('#overview ~ .cards dd').allTextContents()).toEqual(['3', '3', '6', '0', '0', '0'])
    expect(await overflow(p)).toBeLessThanOrEqual(0)
    await p.close()
  })
})
