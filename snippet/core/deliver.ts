/**
 * @module deliver: the outbox wired to the page: its storage (IndexedDB), the network, the
 * cross-tab lock and the page's lifecycle. A lazy chunk: the loader fetches it beside the core,
 * which needs it only once the site config says events may be sent (nothing before then leaves
 * the page).
 *
 * Lifecycle: a hidden page sends what it holds (keepalive, or sendBeacon); a page going into the
 * back/forward cache (`pagehide` persisted, `freeze`) begins no storage transaction, since one
 * left open there locks the outbox for the site's next page in WebKit; back (`pageshow`
 * persisted, `resume`), it stores and sends what waits.
 */
import { createOutbox, type Outbox } from './outbox'
import { idbStore } from './idb'
import { tabLock } from './lock'
import { httpSend } from './send'
import { later, on, onDoc } from './guard'
import type { Kv } from './kv'
import type { BatchAnswer } from '../contract/wire'

export interface DeliverOptions {
  site: string
  /** The worker's origin. */
  edge: string
  /** Stored on the device (IndexedDB) and shared by the site's tabs; otherwise memory only. */
  durable: boolean
  /** The device's key/value store, for the lock's lease where Web Locks are missing. */
  kv: Kv
  /** Whether consent allows sending now: checked at each send (a denial stops what is queued). */
  allowed: () => unknown
  maxEvents?: number
  now?: () => number
  onAnswer: (a: BatchAnswer) => void
}

export function deliver(o: DeliverOptions): Outbox {
  const http = httpSend(o.edge + '/v1/events')
  const box = createOutbox({
    site: o.site,
    store: o.durable ? idbStore(o.site) : null,
    send: (body, final) => (o.allowed() ? http(body, final) : Promise.resolve({ status: -1 })),
    lock: o.durable ? tabLock('ciel-outbox-' + o.site, o.kv) : undefined,
    maxEvents: o.maxEvents,
    onAnswer: o.onAnswer,
    automation: navigator.webdriver,
    now: o.now,
    // Stopped with the core.
    timer: later,
  })
  const final = () => box.flush(true)
  const back = () => box.freeze(false)
  // WebKit fires pagehide before visibilitychange: frozen first, then the last send.
  on('pagehide', (e: PageTransitionEvent) => (e.persisted && box.freeze(true), final()))
  onDoc('visibilitychange', () => document.hidden && final())
  onDoc('freeze', () => box.freeze(true))
  on('pageshow', (e: PageTransitionEvent) => e.persisted && back())
  onDoc('resume', back)
  on('online', () => box.flush(false, true))
  return box
}
