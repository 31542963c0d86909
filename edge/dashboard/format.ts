/** @module dashboard/format: numbers, times and URLs as the team reads them, in its language (i18n.ts). */
import { formatLocale, isRtl, t } from './i18n'

/** "45%" in the language shown (`|| 0`: a share that rounds to nothing is "0%", not "-0%"). */
export const pct = (x: number) =>
  new Intl.NumberFormat(formatLocale(), { style: 'percent', useGrouping: false }).format(Math.round(x * 100) / 100 || 0)

/**
 * Intl writes a minus as a hyphen in some languages: the sign of a number is the minus sign. In a
 * right-to-left sentence a bare leading sign would land on the number's other side ("20%−"): Intl
 * marks its own signs left to right in Hebrew and Arabic, and a sign put in by hand gets the same mark.
 */
const minus = (s: string) => {
  const signed = s.replace('-', '−')
  return isRtl() && /^[+−]/.test(signed) ? `\u200e${signed}` : signed
}

/**
 * A share as lifts and rates are written: whole percents from 10% on, else `digits` decimals
 * (one by default), in the reader's language ("4.5%", "4,5%" in Polish); `signed`: "+38%", "−4.5%".
 */
export function share(x: number, o: { signed?: boolean; digits?: number } = {}): string {
  const digits = o.digits ?? (Math.abs(x) >= 0.1 || x === 0 ? 0 : 1)
  return minus(
    new Intl.NumberFormat(formatLocale(), {
      style: 'percent',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      signDisplay: o.signed ? 'exceptZero' : 'auto',
    }).format(x),
  )
}

/** A number with `digits` decimals in the reader's language ("0.12", "0,12"). */
export const decimal = (x: number, digits: number) =>
  minus(
    new Intl.NumberFormat(formatLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x),
  )

/** "Last day", "Last 7 days". */
export const period = (days: number) => t('lastDays', { n: days })

/** The path of a URL (or the text itself). */
export function short(url: string): string {
  try {
    return new URL(url).pathname
  } catch {
    return url
  }
}

/** "3 minutes ago", in the reader's language. */
export function ago(at: number, now = Date.now()): string {
  const s = Math.round((at - now) / 1000)
  const rtf = new Intl.RelativeTimeFormat(formatLocale(), { numeric: 'auto' })
  for (const [unit, size] of [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ] as const)
    if (Math.abs(s) >= size) return rtf.format(Math.round(s / size), unit)
  return rtf.format(s, 'second')
}

/** "+20%" / "−5%" / "new" / "no change" from the period before to this one. */
export function change(current: number | null, previous: number | null, score = false): string {
  if (current === null || previous === null) return current === null ? t('noData') : t('noDataBefore')
  if (score)
    return current === previous
      ? t('noChange')
      : t('points', { sign: current > previous ? '+' : '−', n: Math.abs(current - previous) })
  if (previous === 0) return current === 0 ? t('noChange') : t('isNew')
  const d = Math.round(((current - previous) / previous) * 100)
  return d === 0 ? t('noChange') : minus(`${d > 0 ? '+' : '−'}${pct(Math.abs(d) / 100)}`)
}

/** A bucket's label: "Mar 4" for days, "14:00" for hours (UTC, as the API buckets them). */
function bucketLabel(at: number, unit: 'day' | 'hour'): string {
  const d = new Date(at)
  return unit === 'day'
    ? d.toLocaleDateString(formatLocale(), { month: 'short', day: 'numeric', timeZone: 'UTC' })
    : `${d.toLocaleDateString(formatLocale(), { month: 'short', day: 'numeric', timeZone: 'UTC' })} ${String(d.getUTCHours()).padStart(2, '0')}:00`
}

/** A day ("2026-03-04") as the reader's language writes it ("Mar 4", "4 Mar", "4 mar", "4 במרץ"). */
export const dayName = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(formatLocale(), { month: 'short', day: 'numeric', timeZone: 'UTC' })

export const num = (n: number | null) => (n === null ? '—' : n.toLocaleString(formatLocale()))

/** A duration in seconds as "45 s", "12 min", "3.5 h" or "2 days". */
export function duration(seconds: number): string {
  // Units in the reader's language: a Latin "s" amid Hebrew or Arabic reorders the cell.
  if (seconds < 60) return t('seconds', { n: seconds })
  if (seconds < 3_600) return t('minutes', { n: Math.round(seconds / 60) })
  if (seconds < 86_400) return t('hours', { n: Math.round(seconds / 360) / 10 })
  return t('days', { n: Math.round(seconds / 8_640) / 10 })
}
const BUCKET_MS = { day: 86_400_000, hour: 3_600_000 } as const

/** Whether the bucket starting at `at` is still under way (today, this hour): its count is partial. */
export const partial = (at: number, unit: 'day' | 'hour', now = Date.now()) => at + BUCKET_MS[unit] > now

/** A bucket's label, "(so far)" when it is still under way. */
export const bucketName = (at: number, unit: 'day' | 'hour', now = Date.now()) =>
  partial(at, unit, now) ? t('soFar', { label: bucketLabel(at, unit) }) : bucketLabel(at, unit)
