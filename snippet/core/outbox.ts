/**
 * The outbox: every event is written to storage before it is sent and deleted only after the
 * worker acknowledged it, so a closed tab or a lost connection loses nothing. Storage, network,
 * clock, timers and the cross-tab lock are injected, so tests can drive it through any
 * interleaving of failures.
 *
 * Retry policy (the README repeats this table):
 *
 * | outcome                                   | what the outbox does                               |
 * |-------------------------------------------|----------------------------------------------------|
 * | 2xx                                       | delete the batch's events; reset the backoff       |
 * |                                           | (`rejected` ones too: the worker counted them)     |
 * | network error, timeout, 408, 429, 5xx     | keep; retry after max(Retry-After, full-jitter     |
 * |                                           | backoff: random × min(5 min, 1 s × 2^attempt))     |
 * | other 4xx (the worker refuses the batch)  | delete the events, count them as dropped, report   |
 * | handed to sendBeacon (page going away)    | keep; the next page load sends again, and the      |
 * |                                           | worker counts each event id once                   |
 *
 * Also retried: on `online`, and on the next page load (the stored events are still there).
 *
 * Storage is never waited on for long: a call that fails, or takes over IO_MS (a transaction
 * another page left open, an `indexedDB.open` that never answers), is let go and the outbox goes
 * on from memory: this page's events are still sent and acknowledged. Storage is used again
 * once the late call has answered (or RETRY_MS after a failure); what could not be written is
 * written then. While the page is frozen (back/forward cache) no storage call begins at all.
 */
import type { Batch, BatchAnswer, WireEvent } from '../contract/wire'
import type { Send } from './send'
import { LIMITS } from '../contract/limits'

/** An event with the visitor and session it was recorded under. */
export interface Item {
  e: WireEvent
  v: string
  s: string
  /** Its size in a request, once measured (see size()). */
  b?: number
}

/** Durable storage shared by the tabs of one site. Every method may reject. */
export interface OutboxStore {
  /** Writes the items in one transaction (idb.ts: as one record, one round trip). */
  put(items: Item[]): Promise<void>
  all(): Promise<Item[]>
  del(ids: string[]): Promise<void>
}

/** A request's body and the evicted and dropped counts it reports. */
type Request = [body: string, evicted: number, dropped: number]

/** Runs fn if this tab gets the site's outbox lock; resolves false when another tab holds it. */
export type Lock = (fn: () => Promise<void>) => Promise<boolean>

export interface OutboxOptions {
  site: string
  /** null: memory only (no storage available, or consent forbids writing). */
  store: OutboxStore | null
  send: Send
  lock?: Lock
  onAnswer?: (a: BatchAnswer) => void
  now?: () => number
  random?: () => number
  timer?: (fn: () => void, ms: number) => unknown
  /** Cancels what timer() returned (a storage call's deadline once it has answered). */
  clear?: (t: unknown) => void
  /** Bound of the stored outbox (and 2 MB); the oldest events are evicted beyond it. */
  maxEvents?: number
  /** navigator.webdriver: sent with every batch so the worker can flag the events. */
  automation?: boolean
  /** How long to gather events into one request. */
  delayMs?: number
  /** How long an event of a LAZY type may wait for a request that goes anyway. */
  lazyMs?: number
}

/**
 * Events that change nothing on this page or in its answers (web vitals, plain clicks): stored
 * at once like any other, but sent with the next request that goes anyway (or after lazyMs, or
 * when the page is hidden or goes away), so they cost no request of their own.
 */
export const LAZY: { [type: string]: 1 } = { vitals: 1, click: 1 }

/** Request bodies stay under the 64 KiB keepalive / beacon quota (bytes of UTF-8, as it counts). */
export const BATCH_BYTES = 60_000
export const BACKOFF = { baseMs: 1000, capMs: 5 * 60_000 }
/** Longest wait for one storage call; how long storage rests after one failed. */
export const IO_MS = 2000
export const RETRY_MS = 60_000

/** What to do with a batch after a send (numbers: they cost the snippet fewer bytes than names). */
export const OK = 0
export const RETRY = 1
export const DROP = 2
export const UNKNOWN = 3

/** The outcome of a send, by HTTP status (0: network error or timeout; -1: handed to the beacon). */
export function classify(status: number): number {
  if (status >= 200 && status < 300) return OK
  if (status === 0 || status === 408 || status === 429 || status >= 500) return RETRY
  return status >= 400 ? DROP : UNKNOWN
}

/** Full-jitter exponential backoff, never shorter than what the worker asked for. */
export function backoff(attempt: number, random: number, retryAfter = 0): number {
  return Math.max(retryAfter, random * Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** attempt))
}

const utf8 = new TextEncoder()
/** Bytes of UTF-8, as the worker and the browser's quotas count them (a '€' is 3, not 1). */
export const bytes = (s: string) => utf8.encode(s).length
/**
 * JSON that a page's toJSON patches cannot change: Prototype.js makes an array serialise as a
 * string, and the worker refuses `"events": "[...]"`. The replacer hands back each original value
 * (it runs after toJSON); only on such pages, as it is slower.
 */
export const json = (v: unknown) =>
  JSON.stringify(
    v,
    ([] as any).toJSON &&
      function (this: any, k: string) {
        return this[k]
      },
  )
/** An item's bytes in a request (its JSON and a comma), measured once. */
const size = (it: Item) => it.b || (it.b = bytes(json(it.e)) + 1)
// Ids are unique (every list sorted is keyed by id), so no two compare equal.
const byId = (a: Item, b: Item) => (a.e.id < b.e.id ? -1 : 1)

export interface Outbox {
  push(e: WireEvent, visitor: string, session: string): void
  /**
   * Sends what is due. `final`: the page is going away; send from memory with keepalive.
   * `now`: the network is back; send without waiting out the backoff.
   */
  flush(final?: boolean, now?: boolean): Promise<void>
  /**
   * true: the page is being frozen (back/forward cache); no storage call begins until false,
   * when it is shown again: then what waits is stored and sent at once, as on a new page load.
   */
  freeze(frozen: boolean): void
}

export function createOutbox(o: OutboxOptions): Outbox {
  const now = o.now ?? Date.now
  const random = o.random ?? Math.random
  const timer = o.timer ?? setTimeout
  const clear = o.clear ?? (clearTimeout as (t: unknown) => void)
  const lock: Lock = o.lock ?? (async (fn) => (await fn(), true))
  // Junk from a config ("lots", 0) must not evict everything.
  const maxEvents = (o.maxEvents as number) > 0 ? o.maxEvents! : 1000
  const maxBytes = 2_000_000
  const batchEvents = 50
  const delayMs = o.delayMs ?? 1000
  const lazyMs = o.lazyMs ?? 10_000

  const store = o.store
  /** This page's events not yet acknowledged: the memory copy, and the whole outbox without storage. */
  const mine = new Map<string, Item>()
  /** Recorded, not yet written to storage. */
  let pending: Item[] = []
  /** Acknowledged or evicted, not yet deleted from storage: never sent again meanwhile. */
  let gone: string[] = []
  const inflight = new Set<string>()
  let busy = false
  let again = false
  /** When the armed timer fires (0: none). */
  let due = 0
  let saving = false
  let attempt = 0
  let notBefore = 0
  let evicted = 0
  let dropped = 0
  let frozen = false
  /** Storage is left alone until then (Infinity: while a call that timed out has not answered). */
  let down = 0

  /**
   * Runs a storage operation within IO_MS; undefined if it failed, timed out, or storage is
   * resting or the page frozen. Never rejects.
   */
  function io<T>(op: (s: OutboxStore) => Promise<T>): Promise<T | undefined> {
    return new Promise((done) => {
      if (!store || frozen || down > now()) return done(undefined)
      let late = 0 // 1: answered; 2: timed out
      const t = timer(() => late || ((late = 2), (down = Infinity), done(undefined)), IO_MS)
      // Answered in time: the deadline is cancelled, not left to fire for nothing (a task each).
      const answer = (v?: T) => ((late = 1), clear(t), done(v))
      // async: a synchronous throw (indexedDB.open in a sandboxed frame) is a failure like the others
      ;(async () => op(store!))().then(
        // Answered after all: storage is free again. Writes and deletes left undone are done now
        // (sending keeps to its schedule: lazy events still wait).
        (v) => (late ? ((down = 0), persist(), gone.length && drop([])) : answer(v)),
        () => ((down = now() + RETRY_MS), late || answer()),
      )
    })
  }

  /** Flushes in ms, or earlier if a flush is already due earlier (one timer counts: the last armed). */
  function schedule(ms: number) {
    const at = now() + ms
    if (due && due <= at) return
    due = at
    timer(() => {
      if (due != at) return
      due = 0
      flush().catch(() => {})
    }, ms)
  }

  async function persist() {
    // Only what is still unacknowledged: a late tick must not bring back a sent event.
    const items = pending.filter((i) => mine.has(i.e.id))
    pending = []
    // Not written (storage away, or the page frozen): written with the next write.
    if (items.length && !(await io((s) => s.put(items).then(() => 1)))) pending = items.concat(pending)
  }

  /** Deletes from storage what is gone (and what could not be deleted before). */
  async function drop(ids: string[]) {
    for (const id of ids) mine.delete(id)
    const del = gone.concat(ids)
    gone = []
    if (!(await io((s) => s.del(del).then(() => 1)))) gone = del.concat(gone)
  }

  /** Drops the oldest events beyond the bounds; returns what is left. */
  async function bound(items: Item[]): Promise<Item[]> {
    let bytes = 0
    let keep = items.length
    while (keep > 0 && items.length - keep < maxEvents && bytes + size(items[keep - 1]!) <= maxBytes)
      bytes += size(items[--keep]!)
    if (keep === 0) return items
    const old = items.slice(0, keep)
    evicted += old.length
    await drop(old.map((i) => i.e.id))
    return items.slice(keep)
  }

  /** Everything waiting to be sent, oldest first: storage (all tabs) and this page's memory. */
  async function collect(): Promise<Item[]> {
    if (gone.length) await drop([])
    const stored = await io((s) => s.all())
    const all = new Map<string, Item>()
    if (stored) {
      const fresh = new Set(pending.map((i) => i.e.id))
      for (const it of stored) all.set(it.e.id, it)
      // Written by us, gone from storage: another tab sent it and saw it acknowledged.
      for (const id of mine.keys()) if (!all.has(id) && !fresh.has(id)) mine.delete(id)
    }
    for (const [id, it] of mine) all.set(id, it)
    for (const id of [...inflight, ...gone]) all.delete(id)
    return bound([...all.values()].sort(byId))
  }

  /** Cuts items into requests: one visitor and session each, ≤ batchEvents, ≤ BATCH_BYTES. */
  function cut(items: Item[]): Item[][] {
    const out: Item[][] = []
    const open = new Map<string, [Item[], number]>()
    for (const it of items) {
      const key = it.v + ' ' + it.s
      let b = open.get(key)
      if (!b || b[0].length >= batchEvents || b[1] + size(it) > BATCH_BYTES - 400) {
        open.set(key, (b = [[], 0]))
        out.push(b[0])
      }
      b[0].push(it)
      b[1] += size(it)
    }
    return out
  }

  /**
   * A request for items. The loss counts it reports are taken from the counters until it is
   * answered (given back if it fails), so two requests in flight never report them twice.
   */
  function envelope(items: Item[]): Request {
    const ev = Math.min(evicted, LIMITS.lossPerBatch)
    const dr = Math.min(dropped, LIMITS.lossPerBatch)
    evicted -= ev
    dropped -= dr
    const b: Batch = {
      site: o.site,
      visitor: items[0]!.v,
      session: items[0]!.s,
      sentAt: now(),
      events: items.map((i) => i.e),
    }
    if (ev) b.evicted = ev
    if (dr) b.dropped = dr
    if (o.automation) b.automation = true
    return [json(b), ev, dr]
  }

  /** Loss counts of a request the worker did not record: reported with a later one. */
  const giveBack = (req: Request) => {
    evicted += req[1]
    dropped += req[2]
  }

  /** Sends one request; true when the outbox may go on with the next one. */
  async function deliver(items: Item[], req: Request, final: boolean): Promise<boolean> {
    const ids = items.map((i) => i.e.id)
    for (const id of ids) inflight.add(id)
    let r
    try {
      r = await o.send(req[0], final)
    } catch {
      r = { status: 0 }
    } finally {
      for (const id of ids) inflight.delete(id)
    }
    const kind = classify(r.status)
    if (kind !== OK) giveBack(req)
    if (kind === RETRY) {
      const wait = backoff(attempt++, random(), r.retryAfter)
      notBefore = now() + wait
      schedule(wait)
      return false
    }
    if (kind === UNKNOWN) return false
    if (kind === OK) {
      attempt = 0
      notBefore = 0
    } else {
      dropped += ids.length
      console.warn('ciel:', (r.answer as { error?: string } | undefined)?.error) // e.g. an origin the site does not allow
    }
    await drop(ids)
    if (kind === OK && r.answer) o.onAnswer?.(r.answer)
    return true
  }

  /** Page going away: send this page's unacknowledged events now, within the keepalive quota. */
  // persist() and deliver() never reject: io() and deliver() catch what storage and network throw.
  function sendFinal() {
    persist()
    let budget = BATCH_BYTES
    const items = [...mine.values()].filter((i) => !inflight.has(i.e.id)).sort(byId)
    for (const batch of cut(items)) {
      const req = envelope(batch)
      const n = bytes(req[0])
      // The rest stays stored for the next page load.
      if (n > budget) return giveBack(req)
      budget -= n
      deliver(batch, req, true)
    }
  }

  async function flush(final = false, online = false): Promise<void> {
    if (final) return sendFinal()
    if (online) notBefore = attempt = 0
    if (busy) return void (again = true)
    const wait = notBefore - now()
    if (wait > 0) return schedule(wait)
    busy = true
    let ran: boolean
    try {
      await persist()
      ran = await lock(async () => {
        for (const batch of cut(await collect())) if (!(await deliver(batch, envelope(batch), false))) break
      })
    } finally {
      busy = false
    }
    // Asked for or recorded meanwhile (or not written, and not yet sent), or another tab held
    // the lock: try again shortly.
    if (again || pending.some((i) => mine.has(i.e.id)) || !ran) schedule(delayMs)
    again = false
  }

  return {
    push(e, v, s) {
      const it: Item = { e, v, s }
      // Over the worker's limit it would get its whole batch refused (and, stored, could evict
      // good events): dropped alone, and counted.
      if (size(it) > LIMITS.eventBytes) return void dropped++
      mine.set(e.id, it)
      pending.push(it)
      // Written on the next tick, in one transaction for everything recorded meanwhile.
      if (!saving) {
        saving = true
        timer(() => {
          saving = false
          persist()
        }, 0)
      }
      schedule(pending.length >= batchEvents ? 0 : LAZY[e.type] ? lazyMs : delayMs)
    },
    flush,
    freeze(on) {
      frozen = on
      if (!on) flush(false, true).catch(() => {})
    },
  }
}
