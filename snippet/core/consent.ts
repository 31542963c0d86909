/**
 * Consent: what ciel may do on this page, from the site's mode, the visitor's choice and the
 * browser's privacy signals. Pure.
 *
 * | mode       | no choice yet                                  | granted | denied |
 * |------------|------------------------------------------------|---------|--------|
 * | opt-out    | full                                           | full    | none   |
 * | opt-in     | wait: nothing stored, nothing sent (held in    | full    | none   |
 * |            | memory, sent if the visitor grants on the page) |         |        |
 * | cookieless | anonymous: a per-page id, nothing written to   | full    | none   |
 * |            | the device                                     |         |        |
 *
 * Without an explicit choice, Global Privacy Control counts as a denial (unless the config
 * says `gpc: false`) and Do Not Track does when the config says `dnt: true`.
 */
import type { ConsentMode, SiteConfig } from './wire'

export type Choice = 'granted' | 'denied' | null
export type Allowed = 'full' | 'anonymous' | 'wait' | 'none'

export interface Signals {
  gpc: boolean
  dnt: boolean
}

export function allowed(mode: ConsentMode | undefined, choice: Choice, signals: Signals, config: SiteConfig): Allowed {
  if (choice === 'denied') return 'none'
  if (choice === 'granted') return 'full'
  if ((signals.gpc && config.gpc !== false) || (signals.dnt && config.dnt === true)) return 'none'
  return mode === 'opt-in' ? 'wait' : mode === 'cookieless' ? 'anonymous' : 'full'
}

export function browserSignals(): Signals {
  const n = navigator as Navigator & { globalPrivacyControl?: boolean }
  return { gpc: n.globalPrivacyControl === true, dnt: n.doNotTrack === '1' }
}
