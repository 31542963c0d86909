/**
 * @module ciel: the same calls as the script tag, as an ES module for bundler users (the npm
 * package of this folder: snippet/package.json, built by rollup.config.mjs into snippet/dist).
 * Each function goes through `window.ciel`, so it works before and after the script has loaded
 * (calls are queued by the stub and replayed, exactly as with the tag). `load()` adds the same
 * `s.js` from your edge host as the tag does: the same bytes, cached the same way, never
 * bundled into your app.
 *
 *   import { load, track } from 'ciel'
 *   load({ site: 'SITE_KEY', host: 'https://EDGE_HOST' })
 *   track('signup_started', { plan: 'pro' })
 *
 * An app that renders a slot itself (React, Vue, Svelte, Preact) asks for its variant with
 * onSlot() and reports it shown with shown(); the adapters ciel/react, ciel/vue, ciel/svelte and
 * ciel/preact (snippet/adapters) do both in a few lines.
 */
type Call = (...a: unknown[]) => void

function ciel(): Call {
  const w = window as unknown as { ciel?: Call & { q?: unknown[][] } }
  if (!w.ciel) {
    const stub: Call & { q?: unknown[][] } = (...a) => void (stub.q = stub.q || []).push(a)
    w.ciel = stub
  }
  return w.ciel
}

/** Adds the loader script once (what the <script async> tag does). */
export function load(o: { site: string; host: string; consent?: 'opt-in' | 'opt-out' | 'cookieless' }): void {
  ciel()
  if (document.querySelector('script[data-site][src$="/s.js"]')) return
  const s = document.createElement('script')
  s.async = true
  s.src = o.host.replace(/\/$/, '') + '/s.js'
  s.dataset.site = o.site
  if (o.consent) s.dataset.consent = o.consent
  document.head.appendChild(s)
}

/** Records a custom event, with properties. */
export const track = (name: string, props?: Record<string, unknown>): void => ciel()('track', name, props)
/**
 * Links this visitor to your user id. `hash`: the hex HMAC-SHA256 of the user id keyed by the
 * site's identity secret, computed by your server (the secret never goes to the page); see README.
 */
export const identify = (userId: string | number, traits?: Record<string, unknown>, hash?: string): void =>
  ciel()('identify', userId, traits, hash)
/** Records progress through a funnel of the site config (onboarding). */
export const step = (funnel: string, stepId: string): void => ciel()('step', funnel, stepId)
/** The visitor's consent choice. */
export const consent = (value: 'granted' | 'denied'): void => ciel()('consent', value)
/** Shows a survey of the site config now. */
export const survey = (surveyId: string): void => ciel()('survey', surveyId)
/** Forgets this visitor on this device. */
export const reset = (): void => ciel()('reset')

/** The variant each slot shows on this page, once known: every component asking gets the same. */
const decided: { [slot: string]: string } = {}

/** Slots ciel has been asked about (once each: it answers when it decides, after loading if need be). */
const asking: { [slot: string]: 1 } = {}

/**
 * The variant of `slot` this page shows, if already known ('' its default): what an earlier
 * decision on the page said, else what the script has decided (a first visit's landing page, say),
 * else what the last page's answer left on this device (a returning visitor). Undefined on a first
 * visit until ciel decides, and on the server.
 */
export function slot(name: string): string | undefined {
  if (typeof window == 'undefined') return
  // The script answers at once when it knows (its first-visit decision too), else when it decides.
  if (!(name in decided || asking[name])) {
    asking[name] = 1
    ciel()('slot', name, (v: string) => name in decided || (decided[name] = v))
  }
  if (name in decided) return decided[name]
  try {
    const d = JSON.parse(localStorage.getItem('ciel_d')!)
    const kept = d?.decisions
    // typeof: a slot named like an object property ('toString') is not decided by it. A first
    // visit's kept decision leaves some slots (`wait`) to the worker: ciel answers those.
    if (kept && !d.wait?.includes(name)) return (decided[name] = typeof kept[name] == 'string' ? kept[name] : '')
  } catch {}
}

/** What an app that renders a slot itself tells onSlot() and the adapters. */
export interface SlotOptions {
  /** The variants the app has: a decision for another (one since removed) shows the default. */
  variants?: string[]
  /** Most ms to wait for a decision before the default: by default the tag's `data-wait`, else 300. */
  wait?: number
}

/**
 * Calls `fn` once with the variant of `slot` to show ('' its default) for an app that renders the
 * slot itself: at once when slot() knows it, else when ciel decides (a first visit, from its
 * landing page or the worker's answer), else with '' after the wait, as the DOM path shows a
 * slot's default. Answers a function that cancels. Nothing on the server.
 */
export function onSlot(name: string, fn: (variant: string) => void, o: SlotOptions = {}): () => void {
  const pass = (v: string) => fn(!o.variants || o.variants.includes(v) ? v : '')
  // Asked below, once known to be needed: slot() need not ask too.
  asking[name] = 1
  const now = slot(name)
  if (now !== undefined) pass(now)
  if (now !== undefined || typeof window == 'undefined') return () => {}
  let on = true
  // The first word is the page's, even for a caller gone since (slot() reads it).
  const give = (v: string) => {
    if (!(name in decided)) decided[name] = v
    if (on) (off(), pass(decided[name]!))
  }
  const tag = document.querySelector<HTMLElement>('script[data-site][src$="/s.js"]')
  const timer = setTimeout(give, o.wait ?? (Number(tag?.dataset.wait) || 300), '')
  const off = () => {
    on = false
    clearTimeout(timer)
  }
  ciel()('slot', name, give)
  return off
}

/**
 * Records that the page now shows `variant` in `slot` ('' its default): the slot's exposure,
 * once per page, counted only when it is what ciel decided (an experiment's arm, say).
 */
export const shown = (name: string, variant: string): void => {
  if (typeof window != 'undefined') ciel()('shown', name, variant)
}
