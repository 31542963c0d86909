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
  /** The arm's name as shown ('default' for the default content). */
  name: string
  /** Against the control; null for the control itself. */
  vsControl: Lift | null
  expectedLoss: number
  /** The guardrail's lift against the control, when there is a guardrail. */
  guardrail: Lift | null
}

export interface VerdictInput {
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
const lifted = (l: Lift) => `${l.lift === null ? 'no estimate' : percent(l.lift)} (${range(l.interval)})`
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

/** The verdict and whether the experiment can stop. */
export function verdictOf(x: VerdictInput): { text: string; decided: boolean } {
  if (x.srm.flagged)
    return {
      text:
        `Sample ratio mismatch (p = ${x.srm.p! < 1e-4 ? x.srm.p!.toExponential(1) : x.srm.p!.toFixed(4)}): ` +
        'the arms did not get the visitors the split sends them, so something other than chance decides who is ' +
        'counted where (a redirect, bots, a page reporting the wrong arm). Find the cause before acting on these results.',
      decided: false,
    }
  if (!x.exposed) return { text: 'No visitors exposed yet.', decided: false }
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
    const then = harm
      ? ` But ${x.guardrail} rose: ${lifted(harm)}; check that before you ship it.`
      : rivals.length
        ? `; keep running to tell it from ${rivals.map((a) => a.name).join(', ')}.`
        : '; you can stop.'
    return {
      text: `${w.name} beats ${x.control}: ${lifted(w.vsControl)}; expected loss if you ship it ${points(w.expectedLoss)}${harm ? '.' : ''}${then}`,
      decided: !rivals.length && !harm,
    }
  }
  const all = variants.map((a) => `${a.name} ${lifted(a.vsControl)}`).join(', ')
  if (variants.length && variants.every((a) => a.vsControl.interval[1] !== null && a.vsControl.interval[1] < 0))
    return { text: `${x.control} beats ${all}; keep ${x.control}; you can stop.`, decided: true }
  const m = x.minimumLift
  if (
    variants.length &&
    variants.every(
      (a) =>
        a.vsControl.interval[0] > 1 / (1 + m) - 1 && a.vsControl.interval[1] !== null && a.vsControl.interval[1] < m,
    )
  )
    return {
      text: `No variant changes the rate by ${percent(m).slice(1)} or more: ${all}; you can stop.`,
      decided: true,
    }
  if (x.visitorsNeeded === null) return { text: 'Keep running: no conversions yet.', decided: false }
  const base = x.baseRate === null ? '' : ` (at ${x.control}'s ${percent(x.baseRate).slice(1)})`
  // What the data says so far: the variant furthest from the control.
  const lead = [...variants]
    .filter((a) => a.vsControl.lift !== null)
    .sort((a, b) => Math.abs(b.vsControl.lift!) - Math.abs(a.vsControl.lift!))[0]
  const sofar = lead ? ` So far ${lead.name} ${lifted(lead.vsControl)}.` : ''
  return {
    text:
      (x.visitorsNeeded > 0
        ? `Keep running: about ${about(x.visitorsNeeded)} more visitors per arm to detect a ${percent(m).slice(1)} lift${base}.`
        : `Keep running: the visitors a ${percent(m).slice(1)} lift needs have come, so any difference is likely smaller.`) +
      sofar,
    decided: false,
  }
}
