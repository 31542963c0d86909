/**
 * @module verdict: one plain sentence per experiment saying what to do now. Pure.
 *
 * It reads only always-valid intervals (lift.ts), so it may be read every day: a winner is an
 * arm whose interval against the control lies above 0; the control wins when every variant's
 * lies below 0; "no difference worth having" when every interval lies within the smallest lift
 * the team cares about; else keep running, with the visitors still needed.
 */
import type { Lift } from './lift'
import type { SampleRatio } from './sample-ratio'

export interface VerdictArm {
  /** The arm's variant ('' for the default content, written 'default' in the text). */
  name: string
  /** Against the control; null for the control itself. */
  vsControl: Lift | null
  expectedLoss: number
  /** The guardrail's lift against the control, when there is a guardrail. */
  guardrail: Lift | null
}

export interface VerdictInput {
  /** The control's variant ('' for the default content). */
  control: string
  arms: VerdictArm[]
  exposed: number
  srm: SampleRatio
  minimumLift: number
  /** The guardrail event's name, when there is one. */
  guardrail: string | null
  /** More visitors per arm to detect the minimum lift; null without a base rate yet. */
  visitorsNeeded: number | null
  /** The control's conversion rate (or all arms', before the control has converted). */
  baseRate: number | null
}

const sign = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '')
/** +38%, −4.5%: whole percents from 10% on. */
export function percent(x: number): string {
  const p = Math.abs(x) * 100
  return `${sign(x)}${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)}%`
}
const range = ([lo, hi]: Lift['interval']) =>
  hi === null ? `${percent(lo)} or more` : `${percent(lo)} to ${percent(hi)}`
const lifted = (l: Pick<Lift, 'lift' | 'interval'>) =>
  `${l.lift === null ? 'no estimate' : percent(l.lift)} (${range(l.interval)})`
/** 0.1 pt: an absolute difference in conversion rate, in percentage points. */
const points = (x: number) => {
  const p = x * 100
  return p < 0.01 ? 'under 0.01 pt' : `${p < 0.1 ? p.toFixed(2) : p.toFixed(1)} pt`
}
/** 1,900: two significant digits, with thousands separated. */
const about = (n: number) => {
  const d = Math.pow(10, Math.max(0, Math.floor(Math.log10(Math.max(n, 1))) - 1))
  return String(Math.round(n / d) * d).replace(/\B(?=(\d{3})+$)/g, ',')
}

/** An arm's lift against the control, as the verdict cites it. */
export interface ArmLift {
  /** The arm's variant ('' for the default content). */
  arm: string
  lift: number | null
  interval: Lift['interval']
}

/**
 * The verdict as data: what a client writes in its own words (the dashboard, in the team's
 * language). `text` is the same in English. Shares (lifts, rates, losses) are fractions: 0.05 is 5%.
 */
export type VerdictFacts =
  /** The split served is not the split counted (p: the chi-square test's). */
  | { kind: 'sampleRatioMismatch'; p: number }
  | { kind: 'noExposure' }
  /**
   * `arm` beats the control. `rivals`: variants it cannot yet be told from (keep running);
   * `guardrail`: the guardrail event rose with it (check before shipping); neither: stop.
   */
  | {
      kind: 'winner'
      arm: string
      lift: number | null
      interval: Lift['interval']
      expectedLoss: number
      rivals: string[]
      guardrail: { event: string; lift: number | null; interval: Lift['interval'] } | null
    }
  /** The control beats every variant: keep it, stop. */
  | { kind: 'controlWins'; arms: ArmLift[] }
  /** No variant changes the rate by `minimumLift` or more: stop. */
  | { kind: 'noDifference'; minimumLift: number; arms: ArmLift[] }
  | { kind: 'noConversions' }
  /**
   * Keep running: `visitorsNeeded` more per arm to detect `minimumLift` at `baseRate` (0: they
   * have come, so any difference is likely smaller); `lead`: the variant furthest from the control so far.
   */
  | { kind: 'keepRunning'; visitorsNeeded: number; minimumLift: number; baseRate: number | null; lead: ArmLift | null }

const cited = (a: VerdictArm & { vsControl: Lift }): ArmLift => ({
  arm: a.name,
  lift: a.vsControl.lift,
  interval: a.vsControl.interval,
})

/** What the numbers say, as data (see `verdictOf` for the rules). */
function factsOf(x: VerdictInput): VerdictFacts {
  if (x.srm.flagged) return { kind: 'sampleRatioMismatch', p: x.srm.p! }
  if (!x.exposed) return { kind: 'noExposure' }
  const variants = x.arms.filter((a): a is VerdictArm & { vsControl: Lift } => a.vsControl !== null)
  const winners = variants
    .filter((a) => a.vsControl.interval[0] > 0)
    .sort((a, b) => (b.vsControl.lift ?? Infinity) - (a.vsControl.lift ?? Infinity))
  if (winners.length) {
    const w = winners[0]!
    // Every other variant's interval must stay below the winner's estimate to call it the best.
    const rivals = variants.filter(
      (a) => a !== w && (a.vsControl.interval[1] === null || a.vsControl.interval[1] > (w.vsControl.lift ?? Infinity)),
    )
    const harm = w.guardrail && w.guardrail.interval[0] > 0 ? w.guardrail : null
    return {
      kind: 'winner',
      ...cited(w),
      expectedLoss: w.expectedLoss,
      rivals: rivals.map((a) => a.name),
      guardrail: harm && { event: x.guardrail ?? '', lift: harm.lift, interval: harm.interval },
    }
  }
  if (variants.length && variants.every((a) => a.vsControl.interval[1] !== null && a.vsControl.interval[1] < 0))
    return { kind: 'controlWins', arms: variants.map(cited) }
  const m = x.minimumLift
  if (
    variants.length &&
    variants.every(
      (a) =>
        a.vsControl.interval[0] > 1 / (1 + m) - 1 && a.vsControl.interval[1] !== null && a.vsControl.interval[1] < m,
    )
  )
    return { kind: 'noDifference', minimumLift: m, arms: variants.map(cited) }
  if (x.visitorsNeeded === null) return { kind: 'noConversions' }
  // What the data says so far: the variant furthest from the control.
  const lead = [...variants]
    .filter((a) => a.vsControl.lift !== null)
    .sort((a, b) => Math.abs(b.vsControl.lift!) - Math.abs(a.vsControl.lift!))[0]
  return {
    kind: 'keepRunning',
    visitorsNeeded: x.visitorsNeeded,
    minimumLift: m,
    baseRate: x.baseRate,
    lead: lead ? cited(lead) : null,
  }
}

/** An arm as the English text names it. */
const shown = (arm: string) => (arm === '' ? 'default' : arm)

/** The verdict in English, from its facts. */
function textOf(f: VerdictFacts, controlVariant: string): string {
  const control = shown(controlVariant)
  const all = (arms: ArmLift[]) => arms.map((a) => `${shown(a.arm)} ${lifted(a)}`).join(', ')
  switch (f.kind) {
    case 'sampleRatioMismatch':
      return (
        `Sample ratio mismatch (p = ${f.p < 1e-4 ? f.p.toExponential(1) : f.p.toFixed(4)}): ` +
        'the arms did not get the visitors the split sends them, so something other than chance decides who is ' +
        'counted where (a redirect, bots, a page reporting the wrong arm). Find the cause before acting on these results.'
      )
    case 'noExposure':
      return 'No visitors exposed yet.'
    case 'winner': {
      const harm = f.guardrail
      const then = harm
        ? ` But ${harm.event} rose: ${lifted(harm)}; check that before you ship it.`
        : f.rivals.length
          ? `; keep running to tell it from ${f.rivals.map(shown).join(', ')}.`
          : '; you can stop.'
      return `${shown(f.arm)} beats ${control}: ${lifted(f)}; expected loss if you ship it ${points(f.expectedLoss)}${harm ? '.' : ''}${then}`
    }
    case 'controlWins':
      return `${control} beats ${all(f.arms)}; keep ${control}; you can stop.`
    case 'noDifference':
      return `No variant changes the rate by ${percent(f.minimumLift).slice(1)} or more: ${all(f.arms)}; you can stop.`
    case 'noConversions':
      return 'Keep running: no conversions yet.'
    case 'keepRunning': {
      const m = percent(f.minimumLift).slice(1)
      const base = f.baseRate === null ? '' : ` (at ${control}'s ${percent(f.baseRate).slice(1)})`
      const sofar = f.lead ? ` So far ${shown(f.lead.arm)} ${lifted(f.lead)}.` : ''
      return (
        (f.visitorsNeeded > 0
          ? `Keep running: about ${about(f.visitorsNeeded)} more visitors per arm to detect a ${m} lift${base}.`
          : `Keep running: the visitors a ${m} lift needs have come, so any difference is likely smaller.`) + sofar
      )
    }
  }
}

/**
 * The verdict: in English (`text`), as data (`facts`), and whether the experiment can stop
 * (a winner with no rival and no guardrail risen, the control winning, or no difference worth having).
 */
export function verdictOf(x: VerdictInput): { text: string; decided: boolean; facts: VerdictFacts } {
  const facts = factsOf(x)
  const decided =
    (facts.kind === 'winner' && !facts.rivals.length && !facts.guardrail) ||
    facts.kind === 'controlWins' ||
    facts.kind === 'noDifference'
  return { text: textOf(facts, x.control), decided, facts }
}
