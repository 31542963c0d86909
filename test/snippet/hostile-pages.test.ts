/**
 * Host pages and configs that used to break the snippet: it must survive each one, keep
 * sending, and throw nothing into the page. (A junk `window.ciel` before the loader is in
 * test/e2e/hostile-pages.test.ts: the loader runs there.)
 */
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { tabLock } from '../../snippet/core/lock'
import { memoryKv } from '../../snippet/core/kv'
import type { Batch, SiteConfig } from '../../snippet/contract/wire'
import { eventually, freshPage, stubWorker, start } from './helpers'
import { setHidden } from './capture'

let site = 0
const opts = (q: unknown[][] = []) => ({ site: `hostile${++site}`, src: 'https://edge.example/s.js', q })

/** Errors and rejections that escaped into the page (what a host page's own handlers would see). */
function escaped() {
  const seen: unknown[] = []
  const note = (e: unknown) => void seen.push(e)
  process.on('unhandledRejection', note)
  process.on('uncaughtException', note)
  return {
    seen,
    stop: () => {
      process.off('unhandledRejection', note)
      process.off('uncaughtException', note)
    },
  }
}

beforeEach(() => freshPage('/onboarding'))
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('configs that break the snippet', () => {
  it('a funnel without a steps list: no error reaches the page, and events keep going out', async () => {
    const page = escaped()
    try {
      const worker = stubWorker({ funnels: [{ id: 'onboarding' }, { id: 'odd', steps: 5 }] } as unknown as SiteConfig)
      const call = start(opts([['step', 'onboarding', 'account']]))
      call(['step', 'odd', 'one'])
      await eventually(() => expect(worker.events().map((e) => e.type)).toContain('step'))
      call(['track', 'later'])
      await eventually(() => expect(worker.events().some((e) => e.name === 'later')).toBe(true))
      expect(page.seen).toEqual([])
    } finally {
      page.stop()
    }
  })

  it('a config answer of null: the events still go out, and the idle callback throws nothing into the page', async () => {
    const idle: (() => void)[] = []
    vi.stubGlobal('requestIdleCallback', (fn: () => void) => void idle.push(fn))
    const worker = stubWorker(null as unknown as SiteConfig)
    start(opts([['track', 'with_null_config']]))
    await eventually(() => expect(worker.events().some((e) => e.name === 'with_null_config')).toBe(true))
    await eventually(() => expect(idle).toHaveLength(1)) // web vitals wait for an idle moment
    expect(() => idle[0]!()).not.toThrow()
  })

  it('junk where numbers and lists belong (outboxMax, topics) loses no event', async () => {
    const worker = stubWorker({ outboxMax: 'lots', capture: { topics: { '/': 5 } } } as unknown as SiteConfig)
    start(
      opts([
        ['track', 'a'],
        ['track', 'b'],
      ]),
    )
    await eventually(() => expect(worker.events().map((e) => e.name ?? e.type)).toEqual(['pageview', 'a', 'b']))
    expect(worker.batches[0]!.evicted).toBeUndefined()
  })
})

describe('host pages that break the snippet', () => {
  it('an addEventListener that throws for pagehide: the core still starts, sends, and flushes when the tab is hidden', async () => {
    const worker = stubWorker()
    const add = window.addEventListener
    vi.spyOn(window, 'addEventListener').mockImplementation(function (this: Window, type: string, ...rest: any[]) {
      if (type === 'pagehide') throw new Error('a host page patched addEventListener')
      return add.call(this, type, ...(rest as [any]))
    })
    let call: ((args: ArrayLike<unknown>) => void) | undefined
    expect(() => (call = start(opts()))).not.toThrow()
    await eventually(() => expect(worker.events().map((e) => e.type)).toContain('pageview'))
    call!(['track', 'still_here'])
    await eventually(() => expect(worker.events().some((e) => e.name === 'still_here')).toBe(true))
    call!(['track', 'on_hide'])
    setHidden(true) // sent in the visibilitychange handler itself, not a second later
    try {
      expect(worker.events().some((e) => e.name === 'on_hide')).toBe(true)
    } finally {
      setHidden(false)
    }
  })

  it("Prototype.js's Array#toJSON (a string) does not change what is sent: events stay an array, props lists stay lists", async () => {
    const toJSON = Object.getOwnPropertyDescriptor(Array.prototype, 'toJSON')
    // What Prototype.js 1.6 does: an array serialises to a JSON string of itself.
    Object.defineProperty(Array.prototype, 'toJSON', {
      configurable: true,
      writable: true,
      value: function (this: unknown[]) {
        return '[' + this.map((x) => JSON.stringify(x)).join(',') + ']'
      },
    })
    try {
      const bodies: string[] = []
      vi.stubGlobal(
        'fetch',
        vi.fn(async (url: string | URL, init?: RequestInit) => {
          if (String(url).includes('/v1/config')) return new Response('{}')
          bodies.push(String(init?.body))
          return new Response('{"accepted":1,"duplicates":0,"decisions":{},"surveys":[]}')
        }),
      )
      start(opts([['track', 'listed', { tags: ['a', 'b'] }]]))
      await eventually(() => expect(bodies).toHaveLength(1))
      const batch = JSON.parse(bodies[0]!) as Batch
      expect(Array.isArray(batch.events)).toBe(true)
      expect(batch.events.find((e) => e.name === 'listed')!.props).toEqual({ tags: ['a', 'b'] })
    } finally {
      if (toJSON) Object.defineProperty(Array.prototype, 'toJSON', toJSON)
      else delete (Array.prototype as any).toJSON
    }
  })

  it.each([
    [
      'throws',
      () => {
        throw new DOMException('The request is not allowed', 'SecurityError')
      },
    ],
    ['rejects', () => Promise.reject(new DOMException('The request is not allowed', 'SecurityError'))],
    ['never calls back', () => Promise.resolve()],
  ])('navigator.locks.request that %s: events still go out', async (_, request) => {
    vi.stubGlobal('navigator', { ...navigator, locks: { request } })
    const ran = vi.fn(async () => {})
    expect(await tabLock('ciel-outbox-x', memoryKv())(ran)).toBe(true)
    expect(ran).toHaveBeenCalledTimes(1)
    const worker = stubWorker()
    start(opts([['track', 'despite_locks']]))
    await eventually(() => expect(worker.events().some((e) => e.name === 'despite_locks')).toBe(true))
  })
})
