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
