/**
 * @module core: starts ciel on a page: consent, ids, capture, and the call API; the outbox
 * (deliver.ts, with storage, network and lock) is a lazy chunk, fetched once consent allows
 * sending (a page without consent never downloads it).
 * Loaded by the loader (s.js) with the queued calls; never imported by anything else.
 *
 * Consent gates every request that carries the visitor: events, and `/v1/decide`. The decide
 * goes before the config only when this page already knows it may send (the tag's
 * `data-consent`, the visitor's choice, queued calls included, and no GPC or DNT that the config
 * could make a denial); otherwise once the config allows it. The loader fetches the config
 * beside the core, so that wait is short. The config request itself carries no visitor.
 */
import type { Outbox } from './outbox'
import { localKv, memoryKv, type Kv } from './kv'
import { VALID, forgetIds, sessionId, visitorId } from './ids'
import { uid } from './uid'
import { cleanProps } from './clean'
import { LIMITS } from '../contract/limits'
import { guard, stop } from './guard'
import { pageUrl } from './page'
import { loadConfig } from './config'
import { ANONYMOUS, FULL, NONE, WAIT, allowed, browserSignals, type Allowed, type Choice } from './consent'
import type { Ctx, Props } from '../contract/context'
import type { BatchAnswer, ConsentMode, SiteConfig, SurveyDue, WireEvent } from '../contract/wire'
import { captures } from '../capture/index'
import { UNDECIDED, watchSlots, type Answer } from '../personalise/slots'
import { firstDecisions } from '../contract/landing'

export interface StartOptions {
  /** The site's public key (`data-site`). */
  site: string
  /** The URL the loader was served from; the API lives on the same origin. */
  src: string
  /** Calls queued by the stub before the core arrived. */
  q: ArrayLike<unknown>[]
  /** `data-consent` on the script tag; wins over the site config. */
  consent?: ConsentMode
  /** `data-wait` on the script tag: most ms a slot waits for its decision (default 300). */
  wait?: string
  /** The config request the loader made beside the core's; the core makes its own without. */
  config?: Promise<Response | void>
  /** The clock events are stamped with (tests inject one). */
  now?: () => number
}

/** The call function, and `stop`: undoes what this core added to the page; it records nothing after. */
export type Started = ((args: ArrayLike<unknown>) => void) & { stop: () => void }

/** Events held in memory while consent is unknown, at most. */
const HOLD = 200
const CHOICE = 'ciel_c'

export function start(o: StartOptions): Started {
  const now = o.now || Date.now
  const edge = new URL(o.src, location.href).origin
  const device = localKv()
  const listeners: ((e: WireEvent) => void)[] = []
  let choice = device.get(CHOICE) as Choice
  let ready = false
  let state: Allowed = WAIT
  let held: WireEvent[] = []
  let kv: Kv = memoryKv()
  let visitor = ''
  let outbox: Outbox | null = null
  let deliver: typeof import('./deliver').deliver | undefined
  let loading = false
  // A slot still waiting (a first visit): decided from the page's context, not after the first
  // batch. The id asked for becomes the visitor's, so it follows them.
  let first: string | undefined
  /** A first visit's own decision (from its landing), kept for the next page once the device may hold it. */
  let mine: Answer | undefined
  // Slots first: a returning visitor's are filled at once, from the decisions kept on the device.
  const slots = watchSlots(+(o.wait || 300), (slot, variant, exp) =>
    emit('slot_shown', exp ? { slot, variant, exp } : { slot, variant }),
  )
  /** Asks for the waiting slots' decisions, once; only when consent allows sending. */
  const ask = () => {
    if (first || !document.querySelector(UNDECIDED)) return
    const v = device.get('ciel_v')
    first = v && VALID.test(v) ? v : uid()
    fetch(edge + '/v1/decide', {
      method: 'POST',
      body: JSON.stringify({
        site: o.site,
        visitor: first,
        url: pageUrl(),
        referrer: document.referrer,
      }),
    })
      .then((r) => r.json())
      .then(slots)
      .catch(() => {})
  }

  // Surveys: the Preact UI is a lazy chunk, fetched only when one is due or asked for; never
  // once the visitor said no (the answers could not be sent), nor later for a call made then.
  const survey = guard(
    (s: SurveyDue | string) =>
      choice != 'denied' &&
      ctx.ready.then<unknown>(() => state != NONE && import('../surveys/survey').then((m) => m.show(s, ctx))),
  )
  const ctx: Ctx = { config: {}, emit, listen: (fn) => void listeners.push(guard(fn)) } as Ctx
  // Resolves after the config is applied, so modules waiting on it read the real one.
  ctx.ready = loadConfig(edge, o.site, o.config).then(
    guard((config: SiteConfig) => {
      ctx.config = config
      // A first visit's slots that its landing page decides: now, in the page, whatever consent allows.
      if (!device.get('ciel_v'))
        guard(() => slots((mine = firstDecisions(config, pageUrl(), document.referrer, navigator.userAgent))))()
      ready = true
      apply()
    }),
  )

  function emit(type: string, props?: Props, name?: string, url = pageUrl(), ts = now(), hash?: string) {
    const e: WireEvent = { id: uid(ts), type, ts, url }
    if (name) e.name = name.slice(0, LIMITS.nameLength)
    if (hash) e.hash = hash
    // Everything recorded is trimmed to the worker's limits: one odd value must not get a batch refused.
    if (props) e.props = cleanProps(props)
    for (const fn of listeners) fn(e)
    if (outbox) {
      outbox.push(e, visitor, sessionId(kv, ts))
      // Recorded while the page is going away (web vitals, form abandonment): send it now.
      if (document.hidden) queueMicrotask(() => outbox?.flush(true))
      // Held until the config (and the outbox's chunk) say what may be done with it.
    } else if (state && held.length < HOLD) held.push(e)
  }

  /** Moves to what consent allows now: holds, drops, or (re)opens an outbox. */
  function apply() {
    const next: Allowed = ready ? allowed(o.consent ?? ctx.config.consent, choice, browserSignals(), ctx.config) : WAIT
    const was = state
    state = next
    if (next === WAIT) return
    if (next === NONE) {
      held = []
      outbox = null
      return
    }
    // Kept as the worker's answer is (which replaces it): a next page opened before that answer
    // shows the same. Only once consent allows writing to the device; a denial forgets it.
    if (next == FULL) slots(mine, true)
    ask()
    if (!deliver) {
      // The outbox's chunk only once something may be sent: a page without consent never fetches it.
      if (!loading) {
        loading = true
        import('./deliver').then(
          guard((m: typeof import('./deliver')) => {
            deliver = m.deliver
            apply()
          }),
          () => (loading = false),
        )
      }
      return
    }
    if (outbox && was === next) return
    const durable = next === FULL
    const before = visitor
    kv = durable ? device : memoryKv()
    visitor = visitorId(kv, first)
    outbox = deliver({
      site: o.site,
      edge,
      durable,
      kv: device,
      // After a denial nothing leaves the page, not even what was recorded before it (kept, unsent).
      allowed: () => state,
      now,
      maxEvents: ctx.config.outboxMax,
      onAnswer: guard((a: BatchAnswer) => {
        // Events the worker refused (the rest was stored): the first reason, for the site owner.
        if (a.rejected?.[0]) console.warn('ciel:', a.rejected[0].error)
        slots(a, durable)
        // Without a persistent id (cookieless) the worker cannot tell that a visitor was
        // asked on an earlier page: offer nothing unprompted rather than ask again and again.
        if (durable && a.surveys?.[0]) survey(a.surveys[0])
      }),
    })
    // Link the page's anonymous id to the persistent visitor it became.
    if (was === ANONYMOUS && before) emit('consent', { state: 'granted', from: before })
    const h = held
    held = []
    for (const e of h) outbox.push(e, visitor, sessionId(kv, e.ts))
    // Right away: earlier pages' leftovers, and the pageview whose answer personalises this page.
    outbox.flush().catch(() => {})
  }

  const api: Record<string, (...a: any[]) => true | void> = {
    // Each returns true when its arguments are wrong (then the call is reported, not run).
    track(name: unknown, props?: unknown) {
      if (typeof name != 'string' || !name) return true
      emit('track', props as Props, name)
    },
    identify(userId: unknown, traits?: unknown, hash?: unknown) {
      if ((typeof userId != 'string' && typeof userId != 'number') || userId === '') return true
      // The site's server signs the user id (README); anything else is left out, not refused.
      emit(
        'identify',
        traits as Props,
        String(userId),
        undefined,
        undefined,
        typeof hash == 'string' && hash.length <= 128 ? hash : '',
      )
    },
    step(funnel: unknown, step: unknown) {
      if (typeof funnel != 'string' || typeof step != 'string') return true
      emit('step', { step: step.slice(0, 200) }, funnel)
    },
    consent(value: Choice) {
      if (value != 'granted' && value != 'denied') return true
      choice = value
      if (value == 'denied') forgetIds(device)
      // Remembering a grant, or an opt-out, needs a write; an opt-in site's default needs none.
      if (value == 'granted' || (o.consent ?? ctx.config.consent ?? 'opt-out') == 'opt-out') device.set(CHOICE, value)
      else device.del(CHOICE)
      apply()
    },
    survey(id: unknown) {
      if (typeof id != 'string') return true
      survey(id)
    },
    // The ES module's onSlot and shown (snippet/index.ts): an app that renders a slot itself.
    slot(name: unknown, fn: unknown) {
      if (typeof name != 'string' || typeof fn != 'function') return true
      slots.on(name, guard(fn as (v: string) => void))
    },
    shown(name: unknown, v: unknown) {
      if (typeof name != 'string' || typeof v != 'string') return true
      slots.seen(name, v)
    },
    reset() {
      forgetIds(kv)
      // Before consent is settled the device's ids are the ones a later outbox would use.
      if (state !== ANONYMOUS) forgetIds(device)
      if (outbox) visitor = visitorId(kv)
    },
  }

  const call = guard((args: ArrayLike<unknown>) => {
    const [cmd, ...rest] = Array.from(args)
    // Not Object.hasOwn: Safari < 15.4 lacks it, and then every call (a denial too) would throw.
    // eslint-disable-next-line no-prototype-builtins -- api is our own object literal
    if (!api.hasOwnProperty(cmd as string) || api[cmd as string]!(...rest)) console.warn('ciel: cannot do', args)
  })

  for (const init of captures) guard(init)(ctx)
  for (const args of o.q) call(args)
  // After the queue (a queued consent call counts). The config can deny under DNT (`dnt`) or
  // allow under GPC (`gpc: false`): with either signal, and without the tag's mode, it waits.
  if (allowed(o.consent || 'opt-in', choice, browserSignals(), { dnt: true }) > WAIT) ask()

  // Stopped: nothing is held, sent (the outbox asks `state`) or heard again.
  return Object.assign(call, {
    stop() {
      state = NONE
      outbox = null
      held = []
      listeners.length = 0
      stop()
    },
  })
}
