/**
 * What the snippet costs the page's main thread, as the page would notice it: how many listeners
 * and observers it adds, and whether it makes the browser compute styles for a click. (How long
 * a click takes is measured by `npm run bench`, not here.)
 */
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { eventually, freshPage, stubWorker, start } from './helpers'
import { setHidden } from './capture'
import { IO_MS } from '../../snippet/core/outbox'

afterEach(() => {
  setHidden(false)
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('the main thread', () => {
  it('gets one click listener and two MutationObservers from ciel, however many signals use clicks and however many clicks', async () => {
    freshPage('/pricing')
    document.body.innerHTML = '<button id="dead" type="button">Learn more</button><button id="more">More</button>'
    const listeners: string[] = []
    const add = document.addEventListener
    vi.spyOn(document, 'addEventListener').mockImplementation(function (this: Document, type: string, ...rest: any[]) {
      listeners.push(type)
      return add.call(this, type, ...(rest as [any]))
    })
    let observers = 0
    const Real = MutationObserver
    vi.stubGlobal(
      'MutationObserver',
      class extends Real {
        constructor(cb: MutationCallback) {
          super(cb)
          observers++
        }
      },
    )
    const style = vi.spyOn(window, 'getComputedStyle')
    const worker = stubWorker()
    start({ site: 'main-thread', src: 'https://edge.example/s.js', q: [] })
    const more = document.getElementById('more')!
    more.addEventListener('click', () => more.append('.'))
    // Clicks (answered ones, and a burst on a dead button), errors, rage and dead clicks, surveys:
    // each of them listens for clicks.
    for (let i = 0; i < 30; i++) more.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 300 }))
    await eventually(() => expect(worker.events().filter((e) => e.type === 'click')).toHaveLength(30))
    for (let i = 0; i < 4; i++)
      document.getElementById('dead')!.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 10 }))
    await eventually(() => expect(worker.events().map((e) => e.type)).toContain('rage_click'))
    expect(listeners.filter((t) => t === 'click')).toEqual(['click'])
    // One for the slots a page (or a single-page app) adds, one shared by dead-click detection.
    expect(observers).toBe(2)
    expect(style).not.toHaveBeenCalled() // buttons are obviously interactive: no style is read
  })

  it('sends a burst clicked just before the tab is hidden as it hides, although clicks are judged and recorded later', async () => {
    freshPage('/pricing')
    document.body.innerHTML = '<button id="nothing" type="button">Learn more</button>'
    const worker = stubWorker()
    start({ site: 'main-thread-hide', src: 'https://edge.example/s.js', q: [] })
    const mine = () => worker.batches.filter((b) => b.site === 'main-thread-hide').flatMap((b) => b.events)
    await eventually(() => expect(mine().map((e) => e.type)).toContain('pageview'))
    for (let i = 0; i < 3; i++)
      document.getElementById('nothing')!.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 10 }))
    setHidden(true)
    // Plain clicks otherwise wait up to 10 s for a request that goes anyway: these go now.
    await eventually(() => {
      expect(mine().filter((e) => e.type === 'click')).toHaveLength(3)
      expect(mine().filter((e) => e.type === 'rage_click')).toHaveLength(1)
    })
  })

  it('is not woken for storage calls that have answered: the deadline of each is cancelled once it answers', async () => {
    freshPage('/pricing')
    document.body.innerHTML = '<button id="buy">Buy</button>'
    // The deadlines of the outbox's storage calls (IO_MS): armed, and cancelled when answered.
    const armed: unknown[] = []
    const cancelled = new Set<unknown>()
    const arm = setTimeout
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      const t = arm(fn, ms)
      if (ms === IO_MS) armed.push(t)
      return t
    }) as typeof setTimeout)
    const cancel = clearTimeout
    vi.spyOn(globalThis, 'clearTimeout').mockImplementation((t) => (cancelled.add(t), cancel(t)))
    const worker = stubWorker()
    start({ site: 'main-thread-storage', src: 'https://edge.example/s.js', q: [] })
    const mine = () => worker.batches.filter((b) => b.site === 'main-thread-storage').flatMap((b) => b.events)
    await eventually(() => expect(mine().map((e) => e.type)).toContain('pageview'))
    document.getElementById('buy')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    setHidden(true) // the click is sent now, then deleted from storage
    await eventually(() => expect(mine().map((e) => e.type)).toContain('click'))
    // Written, read, and deleted after each acknowledgement: every deadline cancelled, none left
    // to wake the page two seconds later.
    await eventually(() => {
      expect(armed.length).toBeGreaterThanOrEqual(3)
      expect(armed.filter((t) => !cancelled.has(t))).toEqual([])
    })
  })
})
