/**
 * @module core: starts ciel on a page: ids, outbox, capture, and the public call API.
 * Loaded by the loader (s.js) with the queued calls; never imported by anything else.
 */
import { createOutbox } from './outbox'
import { idbStore } from './idb'
import { tabLock } from './lock'
import { httpSend } from './send'
import { localKv } from './kv'
import { forgetIds, sessionId, visitorId } from './ids'
import { uid } from './uid'
import { cleanProps } from './clean'
import { LIMITS } from './limits'
import { guard, on } from './guard'
import type { WireEvent } from './wire'

export interface StartOptions {
  /** The site's public key (`data-site`). */
  site: string
  /** The URL the loader was served from; the API lives on the same origin. */
  src: string
  /** Calls queued by the stub before the core arrived. */
  q: ArrayLike<unknown>[]
}

type Props = WireEvent['props']

/** The page URL as events carry it: no fragment unless the site routes by hash ("#/..."). */
export const pageUrl = () => {
  const { href, hash } = location
  return (hash.startsWith('#/') || hash.startsWith('#!') ? href : href.split('#')[0]!).slice(0, LIMITS.urlLength)
}

export function start(o: StartOptions): (args: ArrayLike<unknown>) => void {
  const edge = new URL(o.src, location.href).origin
  const kv = localKv()
  let visitor = visitorId(kv)
  const outbox = createOutbox({
    site: o.site,
    store: idbStore(o.site),
    send: httpSend(edge + '/v1/events'),
    lock: tabLock('ciel-outbox-' + o.site, kv),
  })

  function emit(type: string, props?: Props, name?: string) {
    const ts = Date.now()
    const e: WireEvent = { id: uid(ts), type, ts, url: pageUrl() }
    if (name) e.name = name.slice(0, LIMITS.nameLength)
    if (props) e.props = props
    outbox.push(e, visitor, sessionId(kv, ts))
  }

  const api: Record<string, (...a: any[]) => void> = {
    track(name: unknown, props?: unknown) {
      if (typeof name !== 'string' || !name) return console.warn('ciel: track needs an event name')
      emit('track', cleanProps(props), name)
    },
    identify(userId: unknown, traits?: unknown) {
      if ((typeof userId !== 'string' && typeof userId !== 'number') || userId === '')
        return console.warn('ciel: identify needs a user id')
      emit('identify', cleanProps(traits), String(userId))
    },
    step(funnel: unknown, step: unknown) {
      if (typeof funnel !== 'string' || typeof step !== 'string') return console.warn('ciel: step needs a funnel and a step')
      emit('step', { step: step.slice(0, 200) }, funnel)
    },
    reset() {
      forgetIds(kv)
      visitor = visitorId(kv)
    },
  }

  const call = guard((args: ArrayLike<unknown>) => {
    const [cmd, ...rest] = Array.from(args)
    const fn = typeof cmd === 'string' && Object.prototype.hasOwnProperty.call(api, cmd) ? api[cmd] : undefined
    if (fn) fn(...rest)
    else console.warn('ciel: unknown call', cmd)
  })

  emit('pageview', cleanProps({ title: document.title, ref: document.referrer || undefined }))
  for (const args of o.q) call(args)

  on(addEventListener, 'pagehide', () => outbox.flush(true))
  on(document.addEventListener.bind(document), 'visibilitychange', () => {
    if (document.visibilityState === 'hidden') outbox.flush(true)
  })
  on(addEventListener, 'online', () => outbox.flush())
  outbox.flush().catch(() => {})
  return call
}
