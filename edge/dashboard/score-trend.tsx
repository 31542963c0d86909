/** @module dashboard/score-trend: a survey's NPS or CSAT by day, a small chart with its axes. */
import { dayName } from './format'
import { comma, t } from './i18n'
import { DrillButton } from './drill-button'
import { Table } from './table'

/** One day's answers to the scale: how many, and the NPS or % satisfied they make. */
interface DayScore {
  day: string
  n: number
  headline: number
}

/**
 * The score chart's size and margins, in pixels: room for the score's labels left, the days'
 * below, and above the top of the scale for a point there and its label (a day at +100 or 100%).
 */
const SW = 300
const SH = 104
const SL = 40
const SB = 18
const ST = 12
const signedScore = (v: number) => (v > 0 ? `+${v}` : v < 0 ? `−${-v}` : '0')

/**
 * NPS or CSAT by day as a small line with its axes: the scale's ends (and NPS's 0) on the left,
 * the first and last day below; each day's value in its point's tooltip (the table beside it
 * says the same in words).
 */
export function ScoreTrend({
  trend,
  nps,
  onDrill,
}: {
  trend: readonly DayScore[]
  nps: boolean
  /** Opens who answered on a day (its points' table of numbers shows then, its answers as buttons). */
  onDrill?(day: string): void
}) {
  if (trend.length < 2) return null
  const lo = nps ? -100 : 0
  const x = (i: number) => SL + (i * (SW - SL - 6)) / (trend.length - 1)
  const y = (v: number) => ST + ((100 - v) / (100 - lo)) * (SH - SB - ST)
  const score = (v: number) => (nps ? signedScore(v) : `${v}%`)
  const what = nps ? 'NPS' : t('satisfied')
  const label = trend.map((d) => `${dayName(d.day)}: ${d.headline} (${d.n})`).join(comma())
  const ticks = nps ? [100, 0, -100] : [100, 50, 0]
  return (
    <figure class="score-trend">
      <svg
        width={SW}
        height={SH}
        viewBox={`0 0 ${SW} ${SH}`}
        role="img"
        aria-label={t('scoreByDay', { what, days: label })}
      >
        {ticks.map((v) => (
          <g key={v} class="tick">
            <line x1={SL} x2={SW - 6} y1={y(v)} y2={y(v)} />
            <text x={SL - 6} y={y(v) + 4} text-anchor="end">
              {score(v)}
            </text>
          </g>
        ))}
        <text class="day" x={SL} y={SH - 4}>
          {dayName(trend[0]!.day)}
        </text>
        <text class="day" x={SW - 6} y={SH - 4} text-anchor="end">
          {dayName(trend[trend.length - 1]!.day)}
        </text>
        <polyline points={trend.map((d, i) => `${x(i)},${y(d.headline)}`).join(' ')} />
        {trend.map((d, i) => (
          <circle key={d.day} cx={x(i)} cy={y(d.headline)} r="3">
            <title>
              {t(nps ? 'npsAnswers' : 'csatAnswers', {
                day: dayName(d.day),
                score: nps ? score(d.headline) : d.headline,
                n: d.n,
              })}
            </title>
          </circle>
        ))}
      </svg>
      <figcaption>
        {t('scoreByDayRange', { what, from: dayName(trend[0]!.day), to: dayName(trend[trend.length - 1]!.day) })}
      </figcaption>
      {onDrill && (
        <details>
          <summary>{t('numbersByDay')}</summary>
          <Table
            class="compact"
            caption={<span class="sr-only">{t('scoreByDay', { what, days: label })}</span>}
            csv="survey-score-by-day"
            rows={trend}
            rowKey={(d) => d.day}
            columns={[
              { head: t('colDay'), cell: (d) => dayName(d.day) },
              { head: what, cell: (d) => score(d.headline) },
              {
                head: t('drColAnswers'),
                cell: (d) => (
                  <DrillButton
                    n={d.n}
                    label={t('drShowAnsweredDay', { n: d.n, day: dayName(d.day) })}
                    onDrill={() => onDrill(d.day)}
                  />
                ),
              },
            ]}
          />
        </details>
      )}
    </figure>
  )
}
