/**
 * The back/forward cache and storage that stops answering (issue 29). WebKit fires `pagehide`
 * (persisted) before `visibilitychange` and freezes the page there; an IndexedDB transaction
 * still open then locks the outbox's store for every later page of the site, and any storage
 * call may hang (Safari 14.0's `indexedDB.open`). The outbox must neither leave such a
 * transaction behind nor wait on storage for long.
 */
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createStore, promisifyRequest } from 'idb-keyval'
import { createOutbox, IO_MS, type Item } from '../../snippet/core/outbox'
import { idbStore } from '../../snippet/core/idb'
import type { Batch, WireEvent } from '../../snippet/contract/wire'
import { freshPage, pageWorker, eventually, start } from './helpers'
import { setHidden } from './capture'
import { virtualClock } from './clock'

let n = 0
const page = () => {
  const site = `bfcache${++n}`
  return { site, src: 'https://edge.example/s.js', q: [] as unknown[][] }
}
/** What a browser fires as the page goes into, or comes back from, the back/forward cache. */
const transition = (type: 'pagehide' | 'pageshow') =>
  window.dispatchEvent(Object.assign(new Event(type), { persisted: true }))
/** WebKit's order: pagehide (persisted) first, then the page is hidden. */
const intoCache = () => (transition('pagehide'), setHidden(true))
const backFromCache = () => (setHidden(false), transition('pageshow'))

/** The phase of the page at each readwrite transaction begun on the site's database. */
function readwrites(site: string, phase: () => string): string[] {
  const seen: string[] = []
  const real = IDBDatabase.prototype.transaction
  vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, ...a) {
    if (this.name === `ciel-${site}` && a[1] === 'readwrite') seen.push(phase())
    return real.apply(this, a)
  })
  return seen
}

const networkDown = () => {
  throw new TypeError('Failed to fetch')
}

beforeEach(() => freshPage())
afterEach(() => {
  setHidden(false)
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('a page in the back/forward cache', () => {
  it('begins no storage transaction while it is in the cache; shown again, it stores and sends what it recorded', async () => {
    const o = page()
    const w = pageWorker(o.site)
    const call = start(o)
    await eventually(() => expect(w.events().map((e) => e.type)).toContain('pageview'))
    let phase = 'open'
    const begun = readwrites(o.site, () => phase)
    w.fail = networkDown // the last send as the page leaves does not get through
    call(['track', 'before_leaving'])
    phase = 'in the cache'
    intoCache()
    // It had its chance to write: its last send went out, and so did a retry that a timer made
    // after the event's storage tick.
    await eventually(() => expect(w.tried.filter((b) => b.includes('before_leaving')).length).toBeGreaterThan(1))
    phase = 'back'
    w.fail = null
    backFromCache()
    await eventually(() => expect(w.events().some((e) => e.name === 'before_leaving')).toBe(true))
    expect(begun.filter((p) => p === 'in the cache')).toEqual([])
    expect(begun).toContain('back')
  })

  it('shown again, sends what waits at once, as a new page load would, not after the backoff', async () => {
    const o = page()
    const w = pageWorker(o.site)
    const call = start(o)
    await eventually(() => expect(w.events().map((e) => e.type)).toContain('pageview'))
    w.fail = () => new Response('{"error":"too many requests"}', { status: 429, headers: { 'retry-after': '120' } })
    call(['track', 'waiting'])
    await eventually(() => expect(w.tried.some((b) => b.includes('"waiting"'))).toBe(true)) // told to wait 2 minutes
    intoCache()
    w.fail = null
    backFromCache()
    await eventually(() => expect(w.events().some((e) => e.name === 'waiting')).toBe(true))
  })
})

describe('storage that does not answer', () => {
  const event = (id: string): WireEvent => ({ id, type: 'track', ts: 1, url: 'https://shop.example/' })
  const stored = (site: string) =>
    createStore(`ciel-${site}`, 'outbox')('readonly', (st) => promisifyRequest(st.getAll())).then((rs) =>
      ([] as Item[]).concat(...rs).map((i) => i.e.id),
    )
  /** An outbox on the site's IndexedDB store, with a virtual clock and a worker that acknowledges all. */
  function outboxOn(site: string) {
    const clock = virtualClock()
    const sent: string[][] = []
    const outbox = createOutbox({
      site,
      store: idbStore(site),
      now: clock.now,
      timer: clock.timer,
      random: () => 1,
      send: async (body) => (sent.push((JSON.parse(body) as Batch).events.map((e) => e.id)), { status: 200 }),
    })
    return { outbox, sent, advance: clock.advance }
  }

  it("when another page's unfinished transaction holds the store, events go out from memory within the timeout, and storage is used again once it is free", async () => {
    const site = 'held'
    await stored(site) // the store exists
    // Another page of the site, frozen with a transaction open: it never ends while it holds.
    const db = await promisifyRequest(indexedDB.open(`ciel-${site}`))
    let holding = true
    const other = db.transaction('outbox', 'readwrite').objectStore('outbox')
    const hold = () => holding && (other.get('nothing').onsuccess = hold)
    hold()
    const { outbox, sent, advance } = outboxOn(site)
    outbox.push(event('a'), 'v', 's')
    await advance(1000 + IO_MS)
    expect(sent).toEqual([['a']])

    holding = false // that page is gone: its transaction ends
    // The write that timed out lands late; the outbox deletes it again (it was acknowledged).
    await eventually(async () => {
      await advance(0)
      expect(await stored(site)).toEqual([])
    })
    outbox.push(event('b'), 'v', 's')
    await advance(0)
    expect(await stored(site)).toEqual(['b']) // written again before it is sent
    await advance(1000)
    expect(sent).toEqual([['a'], ['b']])
    db.close()
  })

  it('when indexedDB.open never answers (Safari 14.0), events go out from memory within the timeout', async () => {
    vi.spyOn(indexedDB, 'open').mockReturnValue({} as IDBOpenDBRequest)
    const { outbox, sent, advance } = outboxOn('never-opens')
    outbox.push(event('a'), 'v', 's')
    outbox.push(event('b'), 'v', 's')
    await advance(1000 + IO_MS)
    expect(sent).toEqual([['a', 'b']])
  })
})
