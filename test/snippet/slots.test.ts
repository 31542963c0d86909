import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { watchSlots } from '../../snippet/personalise/slots'
import { freshPage, stubWorker, eventually, start } from './helpers'
import type { SiteConfig } from '../../snippet/contract/wire'

const HERO = `<section data-ciel-slot="hero">
  <template data-variant="pricing"><h1>Plans from $0</h1></template>
  <template data-variant="integrations"><h1>Works with Slack</h1></template>
  <h1>Default headline</h1>
</section>`

const slot = (name = 'hero') => document.querySelector<HTMLElement>(`[data-ciel-slot=${name}]`)!
const headline = (name = 'hero') => slot(name).querySelector(':scope > h1')?.textContent
const hidden = (name = 'hero') => slot(name).style.visibility === 'hidden'

/** What the slots recorded as shown. */
let calls: unknown[][]
const shown = (...a: unknown[]) => void calls.push(['_shown', ...a])
/** Each test is a new page: the slot observers of earlier ones stop. */
const observers: MutationObserver[] = []
class TrackedObserver extends MutationObserver {
  constructor(cb: MutationCallback) {
    super(cb)
    observers.push(this)
  }
}

beforeEach(() => {
  while (observers.length) observers.pop()!.disconnect()
  vi.stubGlobal('MutationObserver', TrackedObserver)
  freshPage()
  document.body.innerHTML = HERO
  calls = []
  // The page has been open long enough that the wait counts from now, not from navigation.
  vi.spyOn(performance, 'now').mockReturnValue(0)
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('slots on a returning visit (decisions kept on the device)', () => {
  it('fills the slot at once, before anything is fetched, and records the exposure with its experiment', () => {
    localStorage.setItem('ciel_d', JSON.stringify({ decisions: { hero: 'pricing' }, experiments: { hero: 'exp-1' } }))
    watchSlots(300, shown)
    expect(headline()).toBe('Plans from $0')
    expect(slot().querySelectorAll(':scope > h1')).toHaveLength(1)
    expect(slot().dataset.cielShown).toBe('pricing')
    expect(hidden()).toBe(false)
    expect(calls).toEqual([['_shown', 'hero', 'pricing', 'exp-1']])
  })

  it('shows the default at once for a slot the kept answer leaves out, and records nothing', () => {
    localStorage.setItem('ciel_d', JSON.stringify({ decisions: {} }))
    watchSlots(300, shown)
    expect(headline()).toBe('Default headline')
    expect(slot().dataset.cielShown).toBe('')
    expect(calls).toEqual([])
  })

  it('is not fooled by junk on the device or a slot named like an object property', () => {
    document.body.innerHTML = HERO.replace('"hero"', '"toString"')
    localStorage.setItem('ciel_d', '{"decisions": {}}')
    watchSlots(300, shown)
    expect(headline('toString')).toBe('Default headline')
    localStorage.setItem('ciel_d', 'not json')
    document.body.innerHTML = HERO
    expect(() => watchSlots(300, shown)).not.toThrow()
  })
})

describe('slots on a first visit', () => {
  it('hides the slot (keeping its space) until the decision, then never changes it', () => {
    vi.useFakeTimers()
    const fill = watchSlots(300, shown)
    expect(hidden()).toBe(true)
    expect(headline()).toBe('Default headline')
    fill({ decisions: { hero: 'integrations' } })
    expect(hidden()).toBe(false)
    expect(headline()).toBe('Works with Slack')
    // A later answer (the first batch's) says something else: the page keeps what it shows.
    fill({ decisions: { hero: 'pricing' } }, true)
    expect(headline()).toBe('Works with Slack')
    expect(calls).toEqual([['_shown', 'hero', 'integrations', undefined]])
    // ...and it is what the next page starts from.
    expect(JSON.parse(localStorage.getItem('ciel_d')!)).toEqual({ decisions: { hero: 'pricing' } })
  })

  it('shows the default after the wait when no decision comes, and a late decision changes nothing', () => {
    vi.useFakeTimers()
    const fill = watchSlots(300, shown)
    vi.advanceTimersByTime(299)
    expect(hidden()).toBe(true)
    vi.advanceTimersByTime(1)
    expect(hidden()).toBe(false)
    expect(headline()).toBe('Default headline')
    fill({ decisions: { hero: 'pricing' } })
    expect(headline()).toBe('Default headline')
    expect(calls).toEqual([])
  })

  it('keeps a default the page may already show when the loader came after the wait', () => {
    vi.spyOn(performance, 'now').mockReturnValue(450)
    // The page painted at once (no CSS rule hid the slot): the default has been seen since.
    vi.spyOn(performance, 'getEntriesByType').mockReturnValue([{ startTime: 0 } as PerformanceEntry])
    watchSlots(300, shown)
    expect(hidden()).toBe(false)
    expect(slot().dataset.cielShown).toBe('')
  })

  it('waits its whole wait when the page has not painted yet (its stylesheet still on its way), whenever the core came', () => {
    vi.useFakeTimers()
    vi.spyOn(performance, 'now').mockReturnValue(450)
    const fill = watchSlots(300, shown)
    expect(hidden()).toBe(true)
    fill({ decisions: { hero: 'integrations' } })
    expect(headline()).toBe('Works with Slack')
    expect(hidden()).toBe(false)
  })

  it('fills a slot a single-page app adds later, with the same wait', async () => {
    vi.useFakeTimers()
    document.body.innerHTML = ''
    const fill = watchSlots(300, shown)
    fill({ decisions: { hero: 'pricing' } })
    const app = document.createElement('div')
    app.innerHTML = HERO
    document.body.append(app)
    await vi.waitFor(() => expect(headline()).toBe('Plans from $0'))
    expect(calls).toEqual([['_shown', 'hero', 'pricing', undefined]])
  })
})

describe('the core with slots', () => {
  it.each([
    // The tag says the mode: no need to wait for the config.
    ['opt-out', ['/v1/decide', '/v1/config', '/v1/events']],
    // Only the config says it: asked as soon as the config allows it (the loader fetches it beside the core).
    [undefined, ['/v1/config', '/v1/decide', '/v1/events']],
  ] as const)(
    'with data-consent=%s, asks /v1/decide before its first batch on a first visit (in the order %j), and adopts the visitor id it asked for',
    async (consent, expected) => {
      const worker = stubWorker()
      const decided: string[] = []
      const order: string[] = []
      worker.fetch.mockImplementation(async (url: string | URL, init?: RequestInit) => {
        order.push(new URL(String(url)).pathname)
        if (String(url).includes('/v1/config')) return new Response('{}')
        if (String(url).includes('/v1/decide')) {
          decided.push(JSON.parse(String(init?.body)).visitor)
          return new Response(JSON.stringify({ decisions: { hero: 'integrations' }, experiments: { hero: 'x1' } }))
        }
        worker.batches.push(JSON.parse(String(init?.body)))
        return new Response(JSON.stringify({ accepted: 1, duplicates: 0, decisions: { hero: 'pricing' }, surveys: [] }))
      })
      start({ site: 'slots1', src: 'https://edge.example/s.js', q: [], consent })
      await eventually(() => expect(headline()).toBe('Works with Slack'))
      await eventually(() => expect(order).toContain('/v1/events'))
      expect(order.slice(0, 3)).toEqual(expected)
      await eventually(() => expect(worker.events().some((e) => e.type === 'slot_shown')).toBe(true))
      expect(worker.events().find((e) => e.type === 'slot_shown')!.props).toEqual({
        slot: 'hero',
        variant: 'integrations',
        exp: 'x1',
      })
      expect(worker.batches[0]!.visitor).toBe(decided[0])
      // The first batch's answer is kept for the next page; this one keeps what it shows.
      await eventually(() => expect(JSON.parse(localStorage.getItem('ciel_d')!).decisions).toEqual({ hero: 'pricing' }))
      expect(headline()).toBe('Works with Slack')
    },
  )

  /** A config whose hero a newsletter landing decides, and whose `cta` only the worker can (an experiment). */
  const LANDING = {
    slots: [
      {
        id: 'hero',
        first: [{ when: { field: 'entry.source', op: 'eq' as const, value: 'newsletter' }, variant: 'integrations' }],
      },
      { id: 'cta', first: [{ variant: null }] },
    ],
  }
  const CTA = `<div data-ciel-slot="cta"><template data-variant="trial"><a>Start a trial</a></template><a>Sign up</a></div>`

  it('a first visit from the newsletter shows the variant its landing decides once the config is in, records it once, and asks the worker only for the slot it cannot decide', async () => {
    freshPage('/?utm_source=newsletter')
    // And a slot the config does not know: no one can decide it, its default shows with the config.
    document.body.innerHTML = HERO + CTA + '<aside data-ciel-slot="aside"><p>Need help?</p></aside>'
    const worker = stubWorker(LANDING)
    const asked: string[] = []
    worker.fetch.mockImplementation(async (url: string | URL, init?: RequestInit) => {
      worker.requests.push(String(url))
      if (String(url).includes('/v1/config')) return new Response(JSON.stringify(LANDING))
      if (String(url).includes('/v1/decide')) {
        // What the worker is asked for is what is still waiting: the experiment's slot only.
        asked.push(
          [...document.querySelectorAll<HTMLElement>('[data-ciel-slot]:not([data-ciel-shown])')]
            .map((el) => el.dataset.cielSlot!)
            .join(),
        )
        return new Response(
          JSON.stringify({ decisions: { hero: 'pricing', cta: 'trial' }, experiments: { cta: 'x1' } }),
        )
      }
      worker.batches.push(JSON.parse(String(init?.body)))
      return new Response(JSON.stringify({ accepted: 1, duplicates: 0, decisions: { hero: 'pricing' }, surveys: [] }))
    })
    start({ site: 'slots3', src: 'https://edge.example/s.js', q: [] })
    await eventually(() => expect(headline()).toBe('Works with Slack'))
    await eventually(() => expect(slot('cta').textContent).toBe('Start a trial'))
    expect(asked).toEqual(['cta'])
    await eventually(() => expect(worker.events().filter((e) => e.type === 'slot_shown')).toHaveLength(2))
    expect(
      worker
        .events()
        .filter((e) => e.type === 'slot_shown')
        .map((e) => e.props),
    ).toEqual([
      { slot: 'hero', variant: 'integrations' },
      { slot: 'cta', variant: 'trial', exp: 'x1' },
    ])
    expect(headline()).toBe('Works with Slack')
  })

  it('a visitor who said no gets the variant their landing decides, with nothing sent but the config request', async () => {
    freshPage('/?utm_source=newsletter')
    const worker = stubWorker(LANDING)
    localStorage.setItem('ciel_c', 'denied')
    start({ site: 'slots4', src: 'https://edge.example/s.js', q: [] })
    await eventually(() => expect(headline()).toBe('Works with Slack'))
    expect(worker.requests.map((u) => new URL(u).pathname)).toEqual(['/v1/config'])
  })

  it('the landing decides a first visit only: a visitor this device knows is decided by the worker, from their profile', async () => {
    freshPage('/?utm_source=newsletter')
    const worker = stubWorker(LANDING)
    worker.fetch.mockImplementation(async (url: string | URL) => {
      worker.requests.push(String(url))
      if (String(url).includes('/v1/config')) return new Response(JSON.stringify(LANDING))
      if (String(url).includes('/v1/decide')) return new Response(JSON.stringify({ decisions: { hero: 'pricing' } }))
      return new Response(JSON.stringify({ accepted: 1, duplicates: 0, decisions: {}, surveys: [] }))
    })
    const first = start({ site: 'slots5', src: 'https://edge.example/s.js', q: [] })
    await eventually(() => expect(headline()).toBe('Works with Slack'))
    first.stop()
    // The same landing, by a visitor whose id is on the device (and no decisions kept: ask the worker).
    localStorage.clear()
    localStorage.setItem('ciel_v', 'known-visitor-1')
    document.body.innerHTML = HERO
    start({ site: 'slots5', src: 'https://edge.example/s.js', q: [] })
    await eventually(() => expect(headline()).toBe('Plans from $0'))
  })

  /**
   * A worker serving `config` whose batch answers (decisions: `later`) wait until `release()`:
   * a first page whose answer has not come when the next page opens.
   */
  function slowWorker(config: SiteConfig, later: { [slot: string]: string }) {
    const worker = stubWorker(config)
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    worker.fetch.mockImplementation(async (url: string | URL, init?: RequestInit) => {
      worker.requests.push(String(url))
      if (String(url).includes('/v1/config')) return new Response(JSON.stringify(config))
      if (String(url).includes('/v1/decide'))
        return new Response(JSON.stringify({ decisions: { cta: 'trial' }, experiments: { cta: 'x1' } }))
      worker.batches.push(JSON.parse(String(init?.body)))
      await released
      return new Response(JSON.stringify({ accepted: 1, duplicates: 0, decisions: later, surveys: [] }))
    })
    return Object.assign(worker, { release })
  }
  const kept = () => JSON.parse(localStorage.getItem('ciel_d')!)

  it("a next page opened before the worker answered the first one shows the variant the first page's landing decided, and the worker's answer replaces it", async () => {
    freshPage('/?utm_source=newsletter')
    document.body.innerHTML = HERO + CTA
    const worker = slowWorker(LANDING, { hero: 'pricing' })
    const first = start({ site: 'slots6', src: 'https://edge.example/s.js', q: [] })
    await eventually(() => expect(headline()).toBe('Works with Slack'))
    await eventually(() => expect(worker.batches).toHaveLength(1))
    first.stop()
    // The next page, without the campaign tag: the first page's decision is on the device.
    history.replaceState(null, '', '/pricing')
    document.body.innerHTML = HERO + CTA
    const next = start({ site: 'slots6', src: 'https://edge.example/s.js', q: [] })
    expect(headline()).toBe('Works with Slack')
    // The experiment's slot was the worker's to decide: asked again, not shown as the default.
    await eventually(() => expect(slot('cta').textContent).toBe('Start a trial'))
    // The worker's answer to the first page comes: newer, it replaces the page's decision.
    worker.release()
    await eventually(() => expect(kept()).toEqual({ decisions: { hero: 'pricing' } }))
    const exposures = () => worker.events().filter((e) => e.type === 'slot_shown' && e.url.endsWith('/pricing'))
    await eventually(() => expect(exposures()).toHaveLength(2))
    expect(exposures().map((e) => e.props)).toEqual([
      { slot: 'hero', variant: 'integrations' },
      { slot: 'cta', variant: 'trial', exp: 'x1' },
    ])
    // Asking the page again does not bring the first visit's decision back.
    next(['consent', 'granted'])
    expect(kept()).toEqual({ decisions: { hero: 'pricing' } })
    expect(headline()).toBe('Works with Slack')
  })

  it.each([
    ['nothing', null, { decisions: { hero: 'integrations' }, wait: ['cta'] }],
    ['the decision another tab kept while the config was on its way', { decisions: { hero: 'pricing' } }, null],
  ])("a first visit's decision is kept on the device over %s, never over a worker's", async (_, other, expected) => {
    freshPage('/?utm_source=newsletter')
    const worker = slowWorker(LANDING, {})
    let config!: (r: Response) => void
    start({
      site: 'slots7',
      src: 'https://edge.example/s.js',
      q: [],
      config: new Promise<Response>((r) => (config = r)),
    })
    if (other) localStorage.setItem('ciel_d', JSON.stringify(other))
    config(new Response(JSON.stringify(LANDING)))
    await eventually(() => expect(headline()).toBe('Works with Slack'))
    await eventually(() => expect(worker.batches).toHaveLength(1))
    expect(kept()).toEqual(expected ?? other)
    worker.release()
  })

  it.each(['opt-in', 'cookieless'] as const)(
    "on a %s site a first visit's decision is kept on the device only once the visitor agrees, never after a no",
    async (consent) => {
      freshPage('/?utm_source=newsletter')
      document.body.innerHTML = HERO + CTA
      const worker = slowWorker({ ...LANDING, consent }, {})
      const page = start({ site: 'slots8-' + consent, src: 'https://edge.example/s.js', q: [] })
      await eventually(() => expect(headline()).toBe('Works with Slack'))
      expect(localStorage.getItem('ciel_d')).toBeNull()
      page(['consent', 'granted'])
      await eventually(() => expect(worker.batches.length).toBeGreaterThan(0))
      expect(kept()).toEqual({ decisions: { hero: 'integrations' }, wait: ['cta'] })
      page(['consent', 'denied'])
      expect(localStorage.getItem('ciel_d')).toBeNull()
      worker.release()
      page.stop()

      // Another first visit, whose visitor says no: nothing is kept, and the page still shows it.
      freshPage('/?utm_source=newsletter')
      document.body.innerHTML = HERO + CTA
      const other = start({ site: 'slots9-' + consent, src: 'https://edge.example/s.js', q: [] })
      await eventually(() => expect(headline()).toBe('Works with Slack'))
      other(['consent', 'denied'])
      expect(headline()).toBe('Works with Slack')
      expect(localStorage.getItem('ciel_d')).toBeNull()
    },
  )

  it('asks nothing of a visitor who said no', async () => {
    const worker = stubWorker()
    localStorage.setItem('ciel_c', 'denied')
    start({ site: 'slots2', src: 'https://edge.example/s.js', q: [] })
    await eventually(() => expect(worker.requests.some((u) => u.includes('/v1/config'))).toBe(true))
    expect(worker.requests.filter((u) => u.includes('/v1/decide'))).toEqual([])
  })
})

describe('what a swap leaves', () => {
  it('shows the default for a decision naming a variant the page no longer carries, and records no exposure', () => {
    localStorage.setItem('ciel_d', JSON.stringify({ decisions: { hero: 'retired' }, experiments: { hero: 'exp-1' } }))
    watchSlots(300, shown)
    expect(headline()).toBe('Default headline')
    expect(slot().dataset.cielShown).toBe('')
    expect(hidden()).toBe(false)
    expect(calls).toEqual([])
  })

  it('puts the variant in before it takes the default out: the slot is never empty', async () => {
    const seen: string[] = []
    // What a framework or the page watching the slot sees, change by change.
    new MutationObserver((records) => {
      for (const r of records) seen.push(r.addedNodes.length ? 'added' : 'removed')
    }).observe(slot(), { childList: true })
    localStorage.setItem('ciel_d', JSON.stringify({ decisions: { hero: 'pricing' } }))
    watchSlots(300, shown)
    await Promise.resolve()
    expect(headline()).toBe('Plans from $0')
    expect(seen[0]).toBe('added')
  })
})

describe('slots a framework renders', () => {
  it('leaves a slot inside a React root as it is, says so once, and the app renders the decision it asks for', () => {
    localStorage.setItem('ciel_d', JSON.stringify({ decisions: { hero: 'pricing' }, experiments: { hero: 'exp-1' } }))
    // What createRoot/hydrateRoot leave on the app's container.
    document.body.innerHTML = `<div id="root">${HERO}${HERO.replace('"hero"', '"other"')}</div>`
    ;(document.getElementById('root') as any)['__reactContainer$x1'] = {}
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    const slots = watchSlots(300, shown)
    expect(headline()).toBe('Default headline')
    expect(slot().dataset.cielShown).toBeUndefined()
    expect(hidden()).toBe(false)
    expect(info).toHaveBeenCalledTimes(1)
    const got: string[] = []
    slots.on('hero', (v) => got.push(v))
    expect(got).toEqual(['pricing'])
    expect(calls).toEqual([])
    // Exposure once, when the app reports the decided variant shown; a variant it lacks is none.
    slots.seen('hero', '')
    slots.seen('hero', 'pricing')
    slots.seen('hero', 'pricing')
    expect(calls).toEqual([['_shown', 'hero', 'pricing', 'exp-1']])
  })

  it('leaves alone a slot under data-ciel-framework, and one hydration markers say a server rendered for a framework', () => {
    localStorage.setItem('ciel_d', JSON.stringify({ decisions: { hero: 'pricing' } }))
    document.body.innerHTML = `<div data-ciel-framework>${HERO}</div><div><!--[-->${HERO.replace('"hero"', '"svelte"')}<!--]--></div>`
    vi.spyOn(console, 'info').mockImplementation(() => {})
    watchSlots(300, shown)
    expect(headline()).toBe('Default headline')
    expect(headline('svelte')).toBe('Default headline')
    expect(calls).toEqual([])
  })

  it('stands back from a slot a framework took over while it waited, and shows what it hid', () => {
    vi.useFakeTimers()
    vi.spyOn(console, 'info').mockImplementation(() => {})
    document.body.innerHTML = `<div id="app">${HERO}</div>`
    const slots = watchSlots(300, shown)
    expect(hidden()).toBe(true)
    ;(document.getElementById('app') as any).__vue_app__ = {}
    const got: string[] = []
    slots.on('hero', (v) => got.push(v))
    expect(got).toEqual([])
    slots({ decisions: { hero: 'integrations' } })
    expect(headline()).toBe('Default headline')
    expect(hidden()).toBe(false)
    expect(got).toEqual(['integrations'])
  })

  it('tells an app asking on a first visit nothing while its slot waits for the worker, then the answer', () => {
    const slots = watchSlots(300, shown)
    const got: string[] = []
    slots.on('hero', (v) => got.push(v))
    slots({ decisions: {}, wait: ['hero'] })
    expect(got).toEqual([])
    slots({ decisions: { hero: 'pricing' } })
    slots({ decisions: { hero: 'integrations' } })
    expect(got).toEqual(['pricing'])
  })
})
