import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { freshPage, stubWorker, eventually, start } from './helpers'

let site = 0
const opts = (q: unknown[][] = []) => ({ site: `site${++site}`, src: 'https://edge.example/s.js', q })

beforeEach(() => freshPage())
afterEach(() => vi.unstubAllGlobals())

describe('core start', () => {
  it('sends a pageview on load to the worker that served the loader', async () => {
    const worker = stubWorker()
    start(opts())
    await eventually(() => expect(worker.events().length).toBe(1))
    expect(worker.urls[0]).toBe('https://edge.example/v1/events')
    const [e] = worker.events()
    expect(e).toMatchObject({
      type: 'pageview',
      url: 'https://shop.example/pricing?plan=pro',
      props: { title: 'Pricing' },
    })
  })

  it('replays calls queued before it loaded, in order, after the pageview', async () => {
    const worker = stubWorker()
    start(
      opts([
        ['track', 'signup_started', { plan: 'pro' }],
        ['step', 'onboarding', 'account'],
        ['identify', 'u-42', { role: 'admin' }],
      ]),
    )
    await eventually(() => expect(worker.events().length).toBe(4))
    expect(worker.events().map((e) => [e.type, e.name])).toEqual([
      ['pageview', undefined],
      ['track', 'signup_started'],
      ['step', 'onboarding'],
      ['identify', 'u-42'],
    ])
    expect(worker.events()[1]!.props).toEqual({ plan: 'pro' })
  })

  it('identify with a verification hash sends it on the identify event; a hash that is not a string of 1-128 characters is left out', async () => {
    const worker = stubWorker()
    const hash = 'a3f1'.repeat(16) // 64 hex characters, as HMAC-SHA256 gives
    start(
      opts([
        ['identify', 'u-42', { role: 'admin' }, hash],
        ['identify', 'u-43', undefined, 'x'.repeat(129)],
        ['identify', 'u-44', {}, 12345],
        ['identify', 'u-45', {}, ''],
        ['identify', 'u-46'],
      ]),
    )
    await eventually(() => expect(worker.events().filter((e) => e.type === 'identify')).toHaveLength(5))
    const ids = worker.events().filter((e) => e.type === 'identify')
    expect(ids[0]).toMatchObject({ name: 'u-42', props: { role: 'admin' }, hash })
    for (const e of ids.slice(1)) expect(e).not.toHaveProperty('hash')
  })

  it('sends the batch envelope of the contract: site, visitor, session, sentAt, events with id/type/ts/url', async () => {
    const worker = stubWorker()
    const o = opts()
    const before = Date.now()
    start(o)
    await eventually(() => expect(worker.batches.length).toBe(1))
    const b = worker.batches[0]!
    expect(b.site).toBe(o.site)
    expect(b.visitor).toMatch(/^[\w-]{8,64}$/)
    expect(b.session).toMatch(/^[\w-]{8,64}$/)
    expect(b.sentAt).toBeGreaterThanOrEqual(before)
    const e = b.events[0]!
    expect(e.id).toMatch(/^[\w-]{8,64}$/)
    expect(e.ts).toBeGreaterThanOrEqual(before)
    expect(e.ts).toBeLessThanOrEqual(b.sentAt)
  })

  it('ignores unknown calls and bad arguments without throwing into the page', async () => {
    const worker = stubWorker()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const call = start(opts([['nonsense'], ['track'], ['track', 'ok', { f: () => 1, n: NaN, __proto__x: 1 }]]))
    expect(() => call(['track', 42])).not.toThrow()
    await eventually(() => expect(worker.events().length).toBe(2))
    expect(worker.events()[1]!.props).toEqual({ n: null, __proto__x: 1 })
    expect(warn).toHaveBeenCalled()
  })

  it('keeps one visitor id across page loads and a new one after reset', async () => {
    const worker = stubWorker()
    start(opts())
    start(opts())
    await eventually(() => expect(worker.batches.length).toBe(2))
    expect(worker.batches[0]!.visitor).toBe(worker.batches[1]!.visitor)
    const call = start(opts([['reset'], ['track', 'after_reset']]))
    await eventually(() => expect(worker.events().some((e) => e.name === 'after_reset')).toBe(true))
    const last = worker.batches.find((b) => b.events.some((e) => e.name === 'after_reset'))!
    expect(last.visitor).not.toBe(worker.batches[0]!.visitor)
    expect(call).toBeTypeOf('function')
  })

  it("keeps at most the site's outboxMax events while the worker fails, and reports how many it evicted", async () => {
    const worker = stubWorker({ outboxMax: 3 })
    let fail = true
    worker.fetch.mockImplementation(async (url: string | URL, init?: RequestInit) => {
      if (String(url).includes('/v1/config')) return new Response(JSON.stringify({ outboxMax: 3 }))
      const b = JSON.parse(String(init?.body))
      worker.batches.push(b)
      if (fail) return ((fail = false), new Response('{"error":"down"}', { status: 503 }))
      return new Response(JSON.stringify({ accepted: b.events.length, duplicates: 0, decisions: {}, surveys: [] }))
    })
    start(
      opts([
        ['track', 'a'],
        ['track', 'b'],
        ['track', 'c'],
        ['track', 'd'],
        ['track', 'e'],
      ]),
    )
    await eventually(() => expect(worker.batches.length).toBe(2))
    const retry = worker.batches[1]!
    expect(retry.events.map((e) => e.name)).toEqual(['c', 'd', 'e'])
    expect(retry.evicted).toBe(3)
  })

  it('stop() ends a page: its listeners are removed and nothing it would record is sent; a clock it is given stamps its events', async () => {
    const worker = stubWorker()
    document.body.innerHTML = '<button id="buy">Buy</button>'
    const a = opts()
    // Every listener added to the page (window and document, capture or not) and every one removed.
    type Listener = [EventTarget, string, unknown, boolean]
    const added: Listener[] = []
    const removed: Listener[] = []
    const capture = (o: unknown) => !!(typeof o == 'object' ? (o as AddEventListenerOptions | null)?.capture : o)
    // ciel listens on window and document (and on navigation, which happy-dom lacks).
    const spies = [window, document].flatMap((target) => {
      const realAdd = target.addEventListener
      const realRemove = target.removeEventListener
      return [
        vi.spyOn(target, 'addEventListener').mockImplementation((t, fn, o) => {
          added.push([target, t, fn, capture(o)])
          realAdd.call(target, t, fn, o)
        }),
        vi.spyOn(target, 'removeEventListener').mockImplementation((t, fn, o) => {
          removed.push([target, t, fn, capture(o)])
          realRemove.call(target, t, fn, o)
        }),
      ]
    })
    const first = start({ ...a, now: () => Date.UTC(2030, 0, 1) })
    await eventually(() => expect(worker.batches.some((b) => b.site === a.site)).toBe(true))
    expect(worker.batches.find((b) => b.site === a.site)!.events[0]!.ts).toBe(Date.UTC(2030, 0, 1))
    first.stop()
    // Every listener ciel put on window, and every click listener, is gone: the same function,
    // type and phase removed (the outbox's and the capture chunk's too). (Not checked: the one
    // listener friction.ts adds itself for a dozen kinds of answers, which stop() leaves.)
    expect(added.map((l) => l[1])).toEqual(expect.arrayContaining(['click', 'pagehide', 'online', 'error']))
    const left = added.filter(
      (l) => (l[0] === window || l[1] === 'click') && !removed.some((r) => r.every((x, i) => x === l[i])),
    )
    expect(left.map((l) => l[1])).toEqual([])
    first(['track', 'after_stop'])
    document.getElementById('buy')!.click()
    // A second page, started after: once its click is sent, the first page's would have been too.
    const b = opts()
    start(b)
    document.getElementById('buy')!.click()
    await eventually(() =>
      expect(worker.batches.filter((x) => x.site === b.site).flatMap((x) => x.events.map((e) => e.type))).toContain(
        'click',
      ),
    )
    const firsts = worker.batches.filter((x) => x.site === a.site).flatMap((x) => x.events)
    expect(firsts.map((e) => e.type)).toEqual(['pageview'])
    spies.forEach((spy) => spy.mockRestore())
  })

  it('drops a track over 32 KB of UTF-8 alone: the clicks around it are sent, and the next batch counts it as dropped', async () => {
    const worker = stubWorker()
    document.body.innerHTML = '<button id="buy">Buy</button>'
    // 30 keys of 1,024 '€': every level within the limits, 30,000 characters, 92 KB of UTF-8.
    const big = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, '€'.repeat(1024)]))
    const o = opts()
    const call = start(o)
    // This page's: the pages of earlier tests live on, and see these clicks too.
    const batches = () => worker.batches.filter((b) => b.site === o.site)
    const events = () => batches().flatMap((b) => b.events)
    const buy = document.getElementById('buy')!
    buy.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    call(['track', 'huge', big])
    buy.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    // About 2 s of real timers (the clicks go with the batch after the pageview's): CI once saw
    // a loaded machine take over 5, so the wait is generous (it ends as soon as they arrive).
    await eventually(() => expect(events().filter((e) => e.type === 'click')).toHaveLength(2), 15_000)
    expect(events().some((e) => e.name === 'huge')).toBe(false)
    for (const b of batches())
      for (const e of b.events) expect(new Blob([JSON.stringify(e)]).size).toBeLessThanOrEqual(32 * 1024)
    call(['track', 'next'])
    await eventually(() => expect(events().some((e) => e.name === 'next')).toBe(true), 15_000)
    expect(batches().reduce((n, b) => n + (b.dropped ?? 0), 0)).toBe(1)
  }, 40_000)

  it('tells the site owner in the console why the worker refused an event, and goes on', async () => {
    const worker = stubWorker()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    let first = true
    worker.fetch.mockImplementation(async (url: string | URL, init?: RequestInit) => {
      if (String(url).includes('/v1/config')) return new Response('{}')
      const b = JSON.parse(String(init?.body))
      worker.batches.push(b)
      const rejected = first
        ? [{ index: 1, id: b.events[1]?.id, error: 'events[1].props.x is longer than 1024 characters' }]
        : undefined
      first = false
      return new Response(
        JSON.stringify({ accepted: b.events.length - 1, duplicates: 0, decisions: {}, surveys: [], rejected }),
      )
    })
    const call = start(
      opts([
        ['track', 'a'],
        ['track', 'b'],
      ]),
    )
    await eventually(() => expect(worker.batches).toHaveLength(1))
    await eventually(() =>
      expect(warn).toHaveBeenCalledWith('ciel:', 'events[1].props.x is longer than 1024 characters'),
    )
    call(['track', 'after'])
    await eventually(() => expect(worker.batches).toHaveLength(2))
    expect(worker.batches[1]!.events.map((e) => e.name)).toEqual(['after'])
    expect(worker.batches[1]!.dropped).toBeUndefined()
  })

  it('trims what capture records to the worker limits, so an odd page never gets a batch refused', async () => {
    const worker = stubWorker()
    document.body.innerHTML = `<button id="${'x'.repeat(3000)}">Buy</button>`
    start(opts())
    document.querySelector('button')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    await eventually(() => expect(worker.events().some((e) => e.type === 'click')).toBe(true))
    const click = worker.events().find((e) => e.type === 'click')!
    expect(String(click.props!.id).length).toBe(1024)
    expect(JSON.stringify(click).length).toBeLessThan(32 * 1024)
  })
})
