/**
 * @module dashboard/retention: weekly cohorts by first visit (`GET /v1/insights/retention`): a
 * form (weeks, returning on which event; what is asked lives in the URL, url.ts), a chart of the share still active week after week
 * (all cohorts together, weighted by their size; SVG), and the triangle: a row per cohort, a
 * cell per week after, shaded by its share; a cohort's size and each cell open the visitors behind them.
 */
import { insightQuery, type Segment } from './api'
import type { Retention as Answer } from './api'
import { num, pct } from './format'
import { useInsight } from './load'
import { eventTypes, offered } from './breakdown'
import { comma, formatLocale, t } from './i18n'
import { WEEKS, type RetentionAsk } from './url'
import { DrillButton, whoOf } from './behind'

const weekLabel = (ms: number) =>
  new Date(ms).toLocaleDateString(formatLocale(), { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' })

/** Share still active in week k of every cohort that has reached it, weighted by cohort size. */
function curveOf(r: Answer): (number | null)[] {
  return Array.from({ length: r.weeks }, (_, k) => {
    let size = 0
    let active = 0
    for (const c of r.cohorts)
      if (c.returning.length > k) {
        size += c.visitors
        active += c.returning[k]!
      }
    return size ? active / size : null
  })
}

function Curve({ r }: { r: Answer }) {
  const curve = curveOf(r)
  const W = 1000
  const H = 160
  const x = (k: number) => (r.weeks === 1 ? W / 2 : 30 + (k * (W - 60)) / (r.weeks - 1))
  const y = (s: number) => H - 20 - s * (H - 40)
  const points = curve.flatMap((s, k) => (s === null ? [] : [[x(k), y(s), k, s] as const]))
  // Every other week's label beyond 13 weeks: the words of some languages ("שבוע 12") need the room.
  const every = r.weeks > 13 ? 2 : 1
  const summary = t('rtCurve', { list: points.map(([, , k, s]) => t('rtPoint', { k, pct: pct(s) })).join(comma()) })
  return (
    <svg class="retention-curve" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
      <line x1={30} x2={W - 30} y1={y(0)} y2={y(0)} stroke="#d5d9e2" />
      <line x1={30} x2={W - 30} y1={y(1)} y2={y(1)} stroke="#eef0f5" />
      <text x={0} y={y(1) + 4} font-size="12" fill="#5b6378">
        100%
      </text>
      <text x={0} y={y(0) + 4} font-size="12" fill="#5b6378">
        0%
      </text>
      <polyline
        points={points.map(([px, py]) => `${px},${py}`).join(' ')}
        fill="none"
        stroke="#2a5bd7"
        stroke-width={2}
      />
      {points.map(([px, py, k, s]) => (
        <g key={k}>
          <circle cx={px} cy={py} r={4} fill="#2a5bd7">
            <title>{t('rtPoint', { k, pct: pct(s) })}</title>
          </circle>
          {k % every === 0 && (
            <text x={px} y={H - 4} font-size="12" text-anchor="middle" fill="#5b6378">
              {t('rtAxis', { k })}
            </text>
          )}
        </g>
      ))}
    </svg>
  )
}

export function Retention({
  site,
  segment,
  types,
  names,
  ask,
  onAsk,
  onDrill,
}: {
  site: string
  segment: Segment
  /** Event types the period has (the overview's). */
  types: string[]
  /** Custom event names (returning on track:NAME). */
  names: string[]
  /** What is asked (the URL's). */
  ask: RetentionAsk
  /** Asks another. */
  onAsk: (ask: RetentionAsk) => void
  /** Opens the visitors behind a number (`who`: its drill-down, behind.tsx). */
  onDrill?(who: string): void
}) {
  const { weeks, event } = ask
  // `days` is not read: the window is the weeks asked for.
  const r = useInsight('retention', insightQuery(site, 30, segment, { weeks: String(weeks), event }))
  const data = r.data
  const total = data?.cohorts.reduce((n, c) => n + c.visitors, 0) ?? 0
  /** A cohort's visitors (or, in week k, those of them active then) as a button showing `text`. */
  const drill = (start: number, n: number, text: string, label: string, week?: number) =>
    onDrill ? (
      <DrillButton
        n={n}
        text={text}
        label={label}
        onDrill={() =>
          onDrill(
            whoOf({
              cohort: String(start),
              ...(week !== undefined && { week: String(week) }),
              weeks: String(weeks),
              ...(event !== 'any' && { event }),
            }),
          )
        }
      />
    ) : (
      text
    )
  return (
    <section aria-labelledby="retention">
      <h2 id="retention">{t('retention')}</h2>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('rtWeeks')}{' '}
          <select value={weeks} onChange={(e) => onAsk({ ...ask, weeks: Number(e.currentTarget.value) })}>
            {WEEKS.map((w) => (
              <option value={w} key={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('rtReturning')}{' '}
          <select value={event} onChange={(e) => onAsk({ ...ask, event: e.currentTarget.value })}>
            <option value="any">{t('rtAny')}</option>
            {eventTypes(types).map((t) => (
              <option value={t} key={t} translate={false}>
                {t}
              </option>
            ))}
            {names.map((n) => (
              <option translate={false} value={`track:${n}`} key={n}>
                {`track: ${n}`}
              </option>
            ))}
            {event !== 'any' && !offered(event, types, names) && (
              <option value={event} translate={false}>
                {event.replace(/^track:/, 'track: ')}
              </option>
            )}
          </select>
        </label>
      </form>
      {r.error && (
        <p role="alert" class="error">
          {r.error}
        </p>
      )}
      {data && total === 0 && <p class="note">{t('noCohort')}</p>}
      {data && total > 0 && (
        <>
          <p class="note">{t('rtTotal', { n: total, weeks: data.weeks })}</p>
          <Curve r={data} />
          <div class="scroll">
            <table class="retention">
              <caption>{t('capCohorts')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('colFirstWeek')}</th>
                  <th scope="col">{t('visitors')}</th>
                  {Array.from({ length: data.weeks }, (_, k) => (
                    <th scope="col" key={k}>
                      {t('week', { n: k })}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.cohorts.map((c) => (
                  <tr key={c.start} data-cohort={new Date(c.start).toISOString().slice(0, 10)}>
                    <th scope="row">{weekLabel(c.start)}</th>
                    <td>
                      {drill(
                        c.start,
                        c.visitors,
                        num(c.visitors),
                        t('drShowCohort', { n: c.visitors, week: weekLabel(c.start) }),
                      )}
                    </td>
                    {c.returning.map((n, k) => {
                      const s = c.shares[k]
                      return (
                        <td
                          key={k}
                          data-returning={n}
                          title={t('rtOf', { n, total: c.visitors })}
                          style={
                            s === null || s === undefined
                              ? undefined
                              : {
                                  background: `rgba(42, 91, 215, ${(0.08 + 0.82 * s).toFixed(2)})`,
                                  color: s > 0.5 ? '#fff' : undefined,
                                }
                          }
                        >
                          {s === null || s === undefined
                            ? '—'
                            : drill(c.start, n, pct(s), t('drShowCohortWeek', { n, week: weekLabel(c.start), k }), k)}
                        </td>
                      )
                    })}
                    {Array.from({ length: data.weeks - c.returning.length }, (_, k) => (
                      <td key={`x${k}`} />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  )
}
