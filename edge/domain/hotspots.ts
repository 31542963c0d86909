/**
 * @module hotspots: friction hotspots as a person reads them. Pure. A hotspot is one element of
 * one page (the page as the site's path rules name it: store/insights/friction.ts groups by both),
 * with its rage, dead and error clicks counted together; and what its clicks did, said in one
 * line from the evidence the snippet carries (snippet/capture/verdict.ts): "5 clicks in 0.6 s,
 * nothing changed on the page for 2.5 s".
 */

/** What one dead click (an episode: a burst on one element is one) or rage click says it saw. */
export interface Evidence {
  /** Clicks in the episode (a rage click: those counted when it was reported). */
  clicks: number
  /** From its first click to its last. */
  ms: number
  /** How long nothing answered after its last click (dead clicks only). */
  quiet?: number
  /** Whether the page changed meanwhile, by itself (dead clicks only). */
  moved?: boolean
}

/** The median of numbers (none: null). */
function median(xs: number[]): number | null {
  if (!xs.length) return null
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Seconds with one decimal, as a person says them: 0.6 s, 2.5 s, 12 s. */
const seconds = (ms: number) => {
  const s = ms / 1000
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`
}

/** The numbers a hotspot's line is made of: the median episode's clicks, span and quiet. */
export interface Did {
  clicks: number
  ms: number
  /** null: only rage clicks said what they did (they are reported before the wait is over). */
  quiet: number | null
  /** Share of the episodes during which the page changed by itself (null: not known). */
  moved: number | null
}

/**
 * What a hotspot's clicks did, from the evidence of its dead clicks (their wait is over, so they
 * say how long nothing answered) or, when it has none, of its rage clicks. Events sent before the
 * snippet carried evidence carry none: null when none does.
 */
export function summarise(dead: Evidence[], rage: Evidence[]): Did | null {
  const from = dead.length ? dead : rage
  if (!from.length) return null
  const of = (k: 'clicks' | 'ms' | 'quiet') => median(from.flatMap((e) => (typeof e[k] === 'number' ? [e[k]] : [])))
  const moved = dead.filter((e) => typeof e.moved === 'boolean')
  return {
    clicks: Math.round(of('clicks')!),
    ms: Math.round(of('ms')!),
    quiet: dead.length ? of('quiet') : null,
    moved: moved.length ? moved.filter((e) => e.moved).length / moved.length : null,
  }
}

/**
 * The line a team reads beside a hotspot: "5 clicks in 0.6 s, nothing changed on the page for
 * 2.5 s". When the page changed by itself in most episodes (a countdown, a carousel), saying
 * nothing changed would be false, and ciel judged the click on what belongs to it: the line says so.
 */
export function line(d: Did | null): string | null {
  if (!d) return null
  const clicks = d.clicks === 1 ? '1 click' : `${d.clicks} clicks in ${seconds(d.ms)}`
  if (d.quiet === null) return `${clicks}, none of them answered`
  const wait = seconds(d.quiet)
  return (d.moved ?? 0) > 0.5
    ? `${clicks}, nothing answered for ${wait} (only what changes by itself changed on the page)`
    : `${clicks}, nothing changed on the page for ${wait}`
}

/** One evidence record from an event's props as stored (anything else: none). */
export function evidenceOf(props: unknown): Evidence | null {
  const p = props as Record<string, unknown> | null
  if (!p || typeof p.clicks !== 'number' || typeof p.ms !== 'number') return null
  const e: Evidence = { clicks: p.clicks, ms: p.ms }
  if (typeof p.quiet === 'number') e.quiet = p.quiet
  if (p.moved === 0 || p.moved === 1) e.moved = p.moved === 1
  return e
}
