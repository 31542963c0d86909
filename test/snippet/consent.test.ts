import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as consent from '../../snippet/core/consent'
import { allowed } from '../../snippet/core/consent'
import type { SiteConfig } from '../../snippet/contract/wire'
import { freshPage, pageWorker, stubWorker, eventually, start } from './helpers'
import { setHidden } from './capture'

let n = 0
const opts = (q: unknown[][] = [], consent?: 'opt-in' | 'opt-out' | 'cookieless') => ({
  site: `consent${++n}`,
  src: 'https://edge.example/s.js',
  q,
  consent,
})
const databases = async () => (await indexedDB.databases()).map((d) => d.name)
/**
 * Waits until a cookieless page started now (it sends, and writes nothing) has sent its pageview:
 * the pages started before it had as long to send. Its batches are then taken out of `worker`.
 * (It runs on until the test ends: stop() ends every core on the page.) `q`: its queued calls.
 */
async function settled(worker: ReturnType<typeof stubWorker>, q: unknown[][] = []) {
  const marker = opts(q, 'cookieless')
  start(marker)
  const mine = () => worker.batches.filter((b) => b.site === marker.site)
  await eventually(() => expect(mine().length).toBe(1))
  for (const b of mine()) worker.batches.splice(worker.batches.indexOf(b), 1)
}

/** Each test is a new page: the slot observers of earlier ones stop (they would fill this one's slots). */
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
})
afterEach(() => {
  vi.unstubAllGlobals()
  Object.defineProperty(navigator, 'globalPrivacyControl', { value: undefined, configurable: true })
})

describe('consent decision', () => {
  const none = { gpc: false, dnt: false }
  it.each([
    ['opt-out', null, none, {}, 'full'],
    ['opt-in', null, none, {}, 'wait'],
    ['cookieless', null, none, {}, 'anonymous'],
    ['opt-in', 'granted', none, {}, 'full'],
    ['opt-out', 'denied', none, {}, 'none'],
    ['opt-out', null, { gpc: true, dnt: false }, {}, 'none'],
    ['opt-out', null, { gpc: true, dnt: false }, { gpc: false }, 'full'],
    ['opt-out', 'granted', { gpc: true, dnt: false }, {}, 'full'],
    ['opt-out', null, { gpc: false, dnt: true }, {}, 'full'],
    ['opt-out', null, { gpc: false, dnt: true }, { dnt: true }, 'none'],
  ] as const)('%s with choice %s, signals %j and config %j → %s', (mode, choice, signals, config, expected) => {
    expect(allowed(mode, choice, signals, config)).toBe(consent[expected.toUpperCase() as 'FULL'])
  })
})

describe('consent modes on the page', () => {
  it('opt-in: sends no event and writes nothing to the device until the visitor grants consent', async () => {
    const worker = stubWorker({ consent: 'opt-in' })
    const o = opts([['track', 'before_consent']])
    const call = start(o)
    await settled(worker)
    expect(worker.batches).toEqual([])
    expect(localStorage.length).toBe(0)
    expect(await databases()).not.toContain(`ciel-${o.site}`)
    call(['consent', 'granted'])
    await eventually(() => expect(worker.events().map((e) => e.type)).toEqual(['pageview', 'track']))
    expect(localStorage.getItem('ciel_c')).toBe('granted')
    expect(localStorage.getItem('ciel_v')).toBe(worker.batches[0]!.visitor)
  })

  it('opt-in: a denial drops what was held and sends nothing', async () => {
    const worker = stubWorker({ consent: 'opt-in' })
    const call = start(opts([['track', 'x']]))
    await eventually(() => expect(worker.requests.some((u) => u.includes('/v1/config'))).toBe(true))
    call(['consent', 'denied'])
    call(['track', 'y'])
    await settled(worker)
    expect(worker.batches).toEqual([])
    expect(localStorage.length).toBe(0)
  })

  it('cookieless: sends events under a per-page id and writes nothing; consent upgrades to a persistent visitor linked to it', async () => {
    const worker = stubWorker({ consent: 'cookieless' })
    const o = opts([['track', 'anon']])
    const call = start(o)
    await eventually(() => expect(worker.events().length).toBe(2))
    const anonymous = worker.batches[0]!.visitor
    expect(localStorage.length).toBe(0)
    expect(await databases()).not.toContain(`ciel-${o.site}`)
    call(['consent', 'granted'])
    call(['track', 'known'])
    await eventually(() => expect(worker.events().some((e) => e.name === 'known')).toBe(true))
    const link = worker.events().find((e) => e.type === 'consent')!
    expect(link.props).toEqual({ state: 'granted', from: anonymous })
    const after = worker.batches.find((b) => b.events.some((e) => e.name === 'known'))!
    expect(after.visitor).not.toBe(anonymous)
    expect(localStorage.getItem('ciel_v')).toBe(after.visitor)
  })

  it('a new page load of a cookieless site gets a new id: nothing ties two pages together', async () => {
    const worker = stubWorker({ consent: 'cookieless' })
    start(opts())
    start(opts())
    await eventually(() => expect(worker.batches.length).toBe(2))
    expect(worker.batches[0]!.visitor).not.toBe(worker.batches[1]!.visitor)
  })

  it('treats Global Privacy Control as a denial by default, and honours a config that says otherwise', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true })
    const worker = stubWorker({})
    start(opts([['track', 'gpc']]))
    await eventually(() => expect(worker.requests.some((u) => u.includes('/v1/config'))).toBe(true))
    const lenient = stubWorker({ gpc: false })
    start(opts([['track', 'gpc_ok']]))
    // Sent by the page started later: the first one, under GPC, sent nothing meanwhile.
    await eventually(() => expect(lenient.events().some((e) => e.name === 'gpc_ok')).toBe(true))
    expect(worker.batches).toEqual([])
    expect(lenient.events().map((e) => e.name)).not.toContain('gpc')
  })

  it('opt-out: a denial stops sending, forgets the ids and is remembered for the next page', async () => {
    const worker = stubWorker({})
    const call = start(opts())
    await eventually(() => expect(worker.events().length).toBe(1))
    call(['consent', 'denied'])
    call(['track', 'after_denial'])
    expect(localStorage.getItem('ciel_v')).toBeNull()
    expect(localStorage.getItem('ciel_c')).toBe('denied')
    start(opts([['track', 'next_page']]))
    // A page where the visitor grants consent (on the device too, but the next page read it before).
    await settled(worker, [['consent', 'granted']])
    expect(worker.events().map((e) => e.name ?? e.type)).toEqual(['pageview'])
  })

  it('opt-out: an event recorded just before a denial is not sent after it, not even when the tab is hidden', async () => {
    const worker = stubWorker({})
    const call = start(opts())
    await eventually(() => expect(worker.events().map((e) => e.type)).toEqual(['pageview']))
    call(['track', 'just_before']) // waits a second to be batched
    call(['consent', 'denied'])
    setHidden(true) // what is still held would go out now, within this call
    try {
      expect(worker.events().map((e) => e.name ?? e.type)).toEqual(['pageview'])
    } finally {
      setHidden(false)
    }
  })

  it('the script tag wins over the site config: data-consent="opt-in" holds events even if the config says opt-out', async () => {
    const worker = stubWorker({ consent: 'opt-out' })
    start(opts([['track', 'x']], 'opt-in'))
    await settled(worker)
    expect(worker.batches).toEqual([])
  })
})

describe('consent gates /v1/decide as it gates events', () => {
  const SLOT =
    '<section data-ciel-slot="hero"><template data-variant="x"><h1>X</h1></template><h1>Default</h1></section>'
  const path = (u: string) => new URL(u).pathname
  /** What reached the worker before its first batch. */
  const beforeFirstBatch = (w: { requests: string[] }) => {
    const paths = w.requests.map(path)
    return paths.slice(0, paths.indexOf('/v1/events'))
  }
  const doNotTrack = (value: string | null) =>
    Object.defineProperty(navigator, 'doNotTrack', { value, configurable: true })
  const shown = () => document.querySelector<HTMLElement>('[data-ciel-slot]')!.dataset.cielShown
  /** The worker, for the next page (opts()). */
  const worker = (config: SiteConfig) => pageWorker(`consent${n + 1}`, config)
  // The page has just started: its slot waits its 300 ms for a decision.
  beforeEach(() => void vi.spyOn(performance, 'now').mockReturnValue(0))
  afterEach(() => {
    doNotTrack(null)
    vi.restoreAllMocks()
  })

  it.each([
    ['opt-in set in the site config only (no data-consent on the tag)', { consent: 'opt-in' }, [], null],
    ["ciel('consent', 'denied') queued before the loader ran", {}, [['consent', 'denied']], null],
    ['Do Not Track, on a site whose config honours it (dnt: true)', { dnt: true }, [], '1'],
  ] as const)(
    '%s: no /v1/decide and no event leave the page until the visitor grants consent',
    async (_, config, q, dnt) => {
      doNotTrack(dnt)
      document.body.innerHTML = SLOT
      const w = worker(config)
      const call = start(opts(q.map((a) => [...a])))
      expect(shown()).toBeUndefined() // waiting for a decision
      // The page had its chance: the config was asked for (and answered at once), and the slot
      // waited out its 300 ms and shows its default.
      await eventually(() => expect(w.requests.map(path)).toContain('/v1/config'))
      await eventually(() => expect(shown()).toBe(''))
      call(['consent', 'granted'])
      call(['track', 'after_grant'])
      await eventually(() => expect(w.events().some((e) => e.name === 'after_grant')).toBe(true))
      expect(beforeFirstBatch(w)).toEqual(['/v1/config'])
    },
  )

  it.each([
    ['Global Privacy Control, on a site whose config says gpc: false', { gpc: false }, 'gpc'],
    ['Do Not Track, on a site whose config does not honour it', {}, 'dnt'],
  ] as const)('%s: waits for the config, then asks /v1/decide', async (_, config, signal) => {
    if (signal == 'gpc') Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true })
    else doNotTrack('1')
    document.body.innerHTML = SLOT
    const w = worker(config)
    start(opts())
    await eventually(() => expect(w.requests.map(path)).toContain('/v1/decide'))
    expect(w.requests.map(path).slice(0, 2)).toEqual(['/v1/config', '/v1/decide'])
  })

  it('with data-consent on the tag and no signal, asks before the config arrives (first paint)', async () => {
    document.body.innerHTML = SLOT
    const w = worker({})
    start(opts([], 'opt-out'))
    await eventually(() => expect(w.requests.map(path)).toContain('/v1/config'))
    expect(w.requests.map(path)[0]).toBe('/v1/decide')
  })
})
