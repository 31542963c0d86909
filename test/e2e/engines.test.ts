/**
 * The core journeys in each engine a visitor may bring: Chromium, Firefox ESR and WebKitGTK (the
 * engine of Safari), on the demo site served from its own origin as a customer's site (or by the
 * worker itself). One worker for the whole file; each journey is a fresh visitor (a new profile).
 * `CIEL_ENGINES=webkit` runs one engine alone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { engines, launchEngine, type Engine, type Tab } from './engines'
import { allowOrigin, eventually, startEdge, startSite, storedEvents, type Edge } from './harness'
import { shopSite, visit } from './seed'

const env = {} as { edge: Edge; site: Awaited<ReturnType<typeof startSite>> }

beforeAll(async () => {
  env.edge = await startEdge()
  env.site = await startSite(env.edge, { slotWait: 3000 })
  // A person's visit already stored, so the dashboard has something to show whatever runs first.
  await shopSite(env.edge)
  await visit(env.edge, 'demo', 'seen-before', [{ type: 'pageview' }])
})
afterAll(async () => {
  await env.site?.stop()
  await env.edge?.stop()
})

/**
 * Waits until the page at `path` runs the snippet's core and its slots are filled (a person acts
 * on a page that has stopped changing: a slot filled during a click burst answers the clicks);
 * answers the visitor's id.
 */
const ready = (tab: Tab, path: string) =>
  tab.waitFor(
    (path) =>
      location.pathname === path &&
      (window as any).ciel?.l === 2 &&
      !(window as any).ciel.q &&
      !document.querySelector('[data-ciel-slot]:not([data-ciel-shown])') &&
      localStorage.getItem('ciel_v'),
    path,
  )

/** What the worker stored for one visitor, as `type name path`. */
async function stored(visitor: string): Promise<string[]> {
  const { events } = await storedEvents(env.edge, 'demo', `&visitor=${visitor}`)
  return events.map((e) => `${e.type} ${e.name ?? ''} ${new URL(e.url).pathname}`.replace('  ', ' '))
}

/** The question a survey shows (run in the page). */
const surveyHeading = (id: string) =>
  document.querySelector(`[data-ciel-survey=${id}]`)?.shadowRoot?.querySelector('[role=dialog] h2')?.textContent

for (const name of engines())
  describe(`in ${name}`, () => {
    // Started once for the engine's journeys. An engine missing here fails each of them with
    // the Debian package to install (a failed hook would only mark them skipped).
    let engine: Promise<Engine>
    let tab: Tab | undefined
    beforeAll(() => {
      engine = launchEngine(name)
      engine.catch(() => {})
    })
    afterAll(async () => {
      await (await engine.catch(() => null))?.quit()
    })
    /** A new visitor: a tab in a fresh profile, closed after the journey. */
    const visitor = async () => (tab = await (await engine).open())
    afterEach(async () => {
      await tab?.close()
      tab = undefined
    })

    it('three pages in one tab by links: what the third page records reaches the worker while it is open', async () => {
      const tab = await visitor()
      await tab.goto(`${env.site.origin}/`)
      const id = await ready(tab, '/')
      await tab.click('nav a[href="/pricing"]')
      await ready(tab, '/pricing')
      await tab.click('nav a[href="/integrations"]')
      await ready(tab, '/integrations')
      await tab.evaluate(() => (window as any).ciel('track', 'third_page'))
      // Within a few seconds (the outbox waits 1 s, the worker's queue writes D1 each second), the
      // tab still open on the third page.
      await eventually(async () => {
        expect(await stored(id)).toEqual(
          expect.arrayContaining(['pageview /integrations', 'track third_page /integrations']),
        )
      }, 8_000)
      expect((await stored(id)).filter((e) => e.startsWith('pageview ')).sort()).toEqual([
        'pageview /',
        'pageview /integrations',
        'pageview /pricing',
      ])
    })

    it('an event made while the worker is down arrives after it comes back', async () => {
      // The demo as the worker serves it: its origin is allowed from the first moment the worker
      // is back (the customer's site is allowed again only a moment later: a retry then is refused).
      const tab = await visitor()
      await tab.goto(`${env.edge.origin}/pricing`)
      const id = await ready(tab, '/pricing')
      await eventually(async () => expect(await stored(id)).toContain('pageview /pricing'))

      await env.edge.stop(true)
      await tab.evaluate(() => (window as any).ciel('track', 'while_down'))
      env.edge = await startEdge({ port: env.edge.port, dir: env.edge.dir })
      await allowOrigin(env.edge, env.site.origin) // for the journeys after this one
      // The visitor goes on to another page: it sends what the outbox kept.
      await tab.click('nav a[href="/integrations"]')
      await ready(tab, '/integrations')
      await eventually(async () => expect(await stored(id)).toContain('track while_down /pricing'), 10_000)
    })

    it('a burst of clicks on a dead button is stored as a rage click, and the rage survey asks what went wrong', async () => {
      const tab = await visitor()
      await tab.goto(`${env.site.origin}/`)
      const id = await ready(tab, '/')
      for (let i = 0; i < 3; i++) await tab.click('#learn-more')
      await eventually(async () => expect(await stored(id)).toContain('rage_click /'))
      expect(await tab.waitFor(surveyHeading, 'rage', 15_000)).toBe(
        'Something not working? Tell us what you were trying to do.',
      )
    })

    it("personalised slots: a newsletter reader's first visit shows the integrations headline, and so does the next visit", async () => {
      const tab = await visitor()
      const hero = () => {
        const el = document.querySelector<HTMLElement>('[data-ciel-slot=hero]')!
        return el.dataset.cielShown != null && [el.dataset.cielShown, el.querySelector('h1')!.textContent]
      }
      await tab.goto(`${env.site.origin}/?utm_source=newsletter`)
      expect(await tab.waitFor(hero)).toEqual(['integrations', 'Works with the tools you have'])
      // Back without the campaign tag, whether or not the worker has answered the first page yet:
      // the same headline (the first page's own decision is kept on the device until that answer).
      await tab.goto(`${env.site.origin}/`)
      expect(await tab.waitFor(hero)).toEqual(['integrations', 'Works with the tools you have'])
    })

    it('the Hebrew page asks its survey right to left, and the answer is stored', async () => {
      const tab = await visitor()
      await tab.goto(`${env.site.origin}/he`)
      const id = await ready(tab, '/he')
      // Offered after two seconds on the page, at a quiet moment.
      expect(await tab.waitFor(surveyHeading, 'voice', 15_000)).toBe('עד כמה סביר שתמליצו על Tandem לעמית?')
      expect(
        await tab.evaluate(() => {
          const host = document.querySelector('[data-ciel-survey=voice]')!
          return [host.getAttribute('dir'), host.shadowRoot!.querySelector('[role=dialog]')!.getAttribute('dir')]
        }),
      ).toEqual(['rtl', 'rtl'])
      await tab.click('[data-ciel-survey=voice] >>> button[aria-label="3"]')
      await eventually(async () => {
        const { events } = await storedEvents(env.edge, 'demo', `&visitor=${id}&type=survey_answer`)
        expect(events.map((e) => e.props)).toEqual([{ q: 'score', kind: 'nps', score: 3, lang: 'he' }])
      })
    })

    it('the dashboard takes the token and shows the overview', async () => {
      const tab = await visitor()
      await tab.goto(`${env.edge.origin}/dashboard`)
      await tab.fill('input[type=password]', env.edge.token)
      await tab.click('button[type=submit]')
      const overview = () => {
        const note = document.querySelector('section[aria-labelledby=overview] [data-install]')?.textContent
        const cards = [...document.querySelectorAll('section[aria-labelledby=overview] .card')]
        return note && [note, cards.map((c) => c.querySelector('dt')!.textContent)]
      }
      const [note, cards] = (await tab.waitFor(overview)) as [string, string[]]
      expect(note).toMatch(/^Last event received .+\.$/)
      expect(cards).toContain('Visitors')
    })
  })
