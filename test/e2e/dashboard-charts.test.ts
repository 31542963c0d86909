/**
 * The dashboard's own SVG charts in Chromium, on a laptop and a phone: the experiment's chart and
 * legend, the journeys' flow. Their labels are read as a reader sees them: each text's box, its
 * size on screen, whether it overlaps another or leaves the chart.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Locator } from 'playwright-core'
import { eventually, signIn, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, untilStored, visit } from './seed'

const env = useEdgeAndBrowser()
const DAY = 86_400_000
const PAGES = ['/he', '/pl', '/ar', '/de', '/fr', '/es', '/it', '/nl']

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const shown = (variant: string, ago: number) => ({
    type: 'slot_shown',
    props: { slot: 'plan-cta', variant, exp: 'trial-cta-1' },
    ago,
  })
  const done = (ago: number) => ({ type: 'step', name: 'onboarding', props: { step: 'done' }, ago })
  for (let i = 0; i < 24; i++) {
    // Exposed over three days; a session: the home page, one of eight languages, then onboarding.
    const ago = (i % 3) * DAY + 60_000
    await visit(env.edge, env.site, `v${i}`, [
      { type: 'pageview', url: `${SHOP}/`, ago },
      shown(i % 2 ? 'trial' : '', ago - 1000),
      { type: 'pageview', url: `${SHOP}${PAGES[i % PAGES.length]}`, ago: ago - 2000 },
      ...(i % 3 ? [{ type: 'pageview', url: `${SHOP}/onboarding/workspace-and-members`, ago: ago - 3000 }] : []),
      ...(i % 4 === 1 ? [{ type: 'track', name: 'signup', ago: ago - 4000 }, done(ago - 4000)] : []),
    ])
  }
  await untilStored(env.edge, env.site, 24 * 3 + 16 + 12)
})

type Box = { x: number; y: number; width: number; height: number; text: string; font: number }

/** The boxes of the text of `svg` on screen, and its own. */
const textBoxes = (svg: Locator) =>
  svg.evaluate((el: SVGSVGElement) => {
    // The size on screen: the font's size in the SVG's units, scaled as the SVG is.
    const box = (r: DOMRect) => ({ x: r.x, y: r.y, width: r.width, height: r.height })
    return {
      svg: box(el.getBoundingClientRect()),
      texts: [...el.querySelectorAll('text')].map((t) => ({
        ...box(t.getBoundingClientRect()),
        text: t.textContent ?? '',
        font: parseFloat(getComputedStyle(t).fontSize) * (el.getBoundingClientRect().width / el.viewBox.baseVal.width),
      })),
    }
  })

const overlap = (a: Box, b: Omit<Box, 'text' | 'font'>) =>
  a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5
const inside = (a: Omit<Box, 'text' | 'font'>, b: Omit<Box, 'text' | 'font'>) =>
  a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5

describe('dashboard charts', () => {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    it(`at ${width} px: the experiment's chart keeps its labels whole, readable and off the lines; its legend's swatches square`, async () => {
      const page = await env.browser.newPage({ viewport: { width, height } })
      await signIn(page, env.edge, env.site)
      const figure = page.locator('section[aria-labelledby=personalisation] figure').first()
      const chart = figure.locator('svg[role=img]')
      await chart.waitFor()
      const { svg, texts } = await textBoxes(chart)
      // The rate's scale, then the first and last day as the reader writes a day ("Nov 12", not 2026-11-12).
      const day = expect.stringMatching(/^([A-Z][a-z]{2,3} \d{1,2}|\d{1,2} [A-Z][a-z]{2,3})$/)
      expect(texts.map((t) => t.text)).toEqual([expect.stringMatching(/%$/), '0%', day, day])
      // The plot: from the start of its lines (the first point of each) to the chart's end.
      const plotLeft = await chart.evaluate((el) =>
        Math.min(...[...el.querySelectorAll('polyline')].map((p) => p.getBoundingClientRect().x)),
      )
      for (const t of texts) {
        expect(inside(t, svg), `${t.text} inside the chart`).toBe(true)
        expect(t.font, `${t.text} at least 10 px`).toBeGreaterThanOrEqual(10)
      }
      // The rates' labels stand left of the lines, not on them.
      for (const t of texts.slice(0, 2)) expect(t.x + t.width, t.text).toBeLessThanOrEqual(plotLeft + 0.5)
      const swatches = await figure
        .locator('figcaption svg')
        .evaluateAll((s) =>
          s.map((e) => [Math.round(e.getBoundingClientRect().width), Math.round(e.getBoundingClientRect().height)]),
        )
      expect(swatches).toEqual([
        [12, 12],
        [12, 12],
        [16, 12],
      ])
      const legend = await figure.locator('figcaption').evaluate((c) => [c.textContent, c.scrollWidth <= c.clientWidth])
      expect(legend).toEqual(['defaulttrialholdout', true])
      await figure.screenshot({ path: `test-results/experiment-chart-${width}.png` })
      await page.close()
    })

    it(`at ${width} px: the trends' charts count in whole numbers on their axes`, async () => {
      const page = await env.browser.newPage({ viewport: { width, height } })
      // What uPlot writes on each canvas (its axes' labels are drawn, not in the DOM).
      await page.addInitScript(() => {
        const fill = CanvasRenderingContext2D.prototype.fillText
        CanvasRenderingContext2D.prototype.fillText = function (text, x, y, most) {
          const canvas = this.canvas as HTMLCanvasElement & { drawn?: string[] }
          ;(canvas.drawn ??= []).push(String(text))
          return fill.call(this, text, x, y, most)
        }
      })
      await signIn(page, env.edge, env.site)
      const charts = page.locator('section[aria-labelledby=trends] .chart')
      await charts.first().locator('canvas').waitFor()
      const drawn = () =>
        charts.evaluateAll((cs) =>
          cs.map((c) => (c.querySelector('canvas') as (HTMLCanvasElement & { drawn?: string[] }) | null)?.drawn ?? []),
        )
      await eventually(async () => expect((await drawn()).every((d) => d.length > 0)).toBe(true))
      // The numbers on the value axis (the days' labels have letters).
      const values = (await drawn()).map((d) => [...new Set(d.filter((x) => /^[−-]?[\d,]+(\.\d+)?$/.test(x)))])
      expect(values.length).toBeGreaterThanOrEqual(3)
      for (const v of values) {
        expect(v).toContain('0')
        for (const x of v) expect(Number.isInteger(Number(x.replace(/,/g, '').replace('−', '-'))), x).toBe(true)
      }
      await page.close()
    })

    it(`at ${width} px: the journeys' labels never overprint, stay inside the chart, readable, and say what their numbers are`, async () => {
      const page = await env.browser.newPage({ viewport: { width, height } })
      await signIn(page, env.edge, env.site, { query: '&goal=signup' })
      const box = page.locator('section[aria-labelledby=journeys] .flow-box')
      const flow = box.locator('svg.flow')
      await flow.waitFor()
      await eventually(async () => expect(await flow.locator('text', { hasText: '(other pages)' }).count()).toBe(1))
      // The box that shows the chart (and scrolls it sideways when it is wider).
      const shown = await flow.evaluate((svg) => {
        const r = svg.parentElement!.getBoundingClientRect()
        return { x: r.x, y: r.y, width: r.width, height: r.height }
      })
      const { svg, texts } = await textBoxes(flow)
      expect(texts.map((t) => t.text)).toEqual(
        expect.arrayContaining([
          '/',
          '/he',
          '/ar',
          '/de',
          '(other pages)',
          '3 · 1 left · 0 ✓',
          expect.stringMatching(/^\/onboarding/),
        ]),
      )
      // The first column starts where the box does: nothing of it hidden to the left.
      expect(svg.x).toBeGreaterThanOrEqual(shown.x - 0.5)
      for (const [i, a] of texts.entries()) {
        expect(inside(a, svg), `${a.text} inside the chart`).toBe(true)
        expect(a.font, `${a.text} at least 12 px`).toBeGreaterThanOrEqual(12)
        for (const b of texts.slice(i + 1)) expect(overlap(a, b), `${a.text} over ${b.text}`).toBe(false)
      }
      // The chart is as tall as it is drawn (not cut), and what is wider than the box scrolls in it.
      expect(svg.height).toBeLessThanOrEqual(shown.height)
      expect(shown.x + shown.width).toBeLessThanOrEqual(width)
      expect(await box.locator('figcaption').textContent()).toBe(
        'Each bar is a page at that step of the sessions, as tall as the sessions there; under its name, the sessions there · how many went no further · how many reached signup (✓).',
      )
      expect(await flow.locator('g', { hasText: '/he' }).first().locator('title').textContent()).toBe(
        '/he: 3 sessions, 1 went no further, 0 reached signup',
      )
      await box.screenshot({ path: `test-results/journeys-${width}.png` })
      await page.close()
    })
  }
})
