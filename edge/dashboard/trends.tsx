/** @module dashboard/trends: each metric over the period, against the period before. */
import type { Insights } from './api'
import { DrillButton, whoOf } from './behind'
import { TrendChart } from './chart'
import { bucketName, change, num } from './format'
import { useMemo } from 'preact/hooks'
import { Table } from './table'
import { isKey, t } from './i18n'
import { tx } from './i18n/nodes'

type Metric = Insights['trends']['metrics'][number]

/** A metric's name in the language shown (the worker names them in English). */
function labelOf(m: Metric, key = m.id): string {
  if (m.id.startsWith('funnel:')) return t('metricFunnel', { funnel: m.id.slice('funnel:'.length) })
  if (m.id === 'friction') return t('metricFriction')
  return isKey(key) ? t(key) : m.label
}

/**
 * The label of the button on a point that opens the visitors behind it: the visitors of a
 * bucket, or behind its sessions, pageviews, friction signals, completions or NPS answers.
 */
function drillLabel(m: Metric, n: number, bucket: string): string {
  if (m.id.startsWith('funnel:')) return t('drShowCompleted', { n, funnel: m.id.slice('funnel:'.length), bucket })
  if (m.id === 'nps') return t('drShowAnswered', { bucket, score: num(n) })
  const key = ({ sessions: 'drShowSessions', pageviews: 'drShowPageviews', friction: 'drShowFriction' } as const)[
    m.id as 'sessions'
  ]
  return t(key ?? 'showVisitorsOf', { n, bucket })
}

/** Whether a point has visitors behind it: an NPS when it has answers (an NPS of 0 too), a count when above 0. */
const opens = (m: Metric, i: number) => (m.id === 'nps' ? m.current[i] !== null : !!m.current[i])

/** `onDrill`: opens the visitors behind a point of any metric (behind.tsx; `metric` unless Visitors). */
export function Trends({ trends, onDrill }: { trends: Insights['trends']; onDrill?(who: string): void }) {
  const at = useMemo(() => Array.from({ length: trends.buckets }, (_, i) => trends.start + i * trends.size), [trends])
  const by = trends.unit === 'day' ? 'day' : 'hour'
  return (
    <section aria-labelledby="trends">
      <h2 id="trends">{t('trends')}</h2>
      <p class="note">{t(by === 'day' ? 'byDayNote' : 'byHourNote', { n: trends.buckets })}</p>
      <div class="trends">
        {trends.metrics.map((m) => {
          const score = m.id === 'nps'
          // An NPS of 0 is a score (its answers are there); a count of 0 is nothing yet.
          const shown = (x: number | null) => x !== null && (score || x !== 0)
          const hasData = m.current.some(shown) || m.previous.some(shown)
          // A point opens the visitors behind it: those of the day (or hour), or behind what it counts.
          const drill = onDrill
            ? (i: number) => onDrill(whoOf({ bucket: String(at[i]), ...(m.id !== 'visitors' && { metric: m.id }) }))
            : undefined
          const label = labelOf(m)
          const summary = t('trendSummary', {
            label,
            current: num(m.total.current),
            previous: num(m.total.previous),
            change: change(m.total.current, m.total.previous, score),
          })
          return (
            <article class="trend" key={m.id} aria-labelledby={`trend-${m.id}`}>
              <h3 id={`trend-${m.id}`}>
                {m.id.startsWith('funnel:')
                  ? tx('metricFunnel', { funnel: <bdi>{m.id.slice('funnel:'.length)}</bdi> })
                  : label}
              </h3>
              <p class="figure">
                <strong>{num(m.total.current)}</strong>{' '}
                <small>
                  {change(m.total.current, m.total.previous, score)} · {t('before', { n: num(m.total.previous) })}
                </small>
              </p>
              {hasData ? (
                <TrendChart
                  s={{ label, at, current: m.current, previous: m.previous, unit: trends.unit }}
                  summary={summary}
                  pick={drill && { opens: (i) => opens(m, i), open: drill }}
                />
              ) : (
                <p class="note empty">{score ? t('noNpsAnswers') : t('nothingYet')}</p>
              )}
              <details>
                <summary>{by === 'day' ? t('numbersByDay') : t('numbersByHour')}</summary>
                <Table
                  class="compact"
                  caption={<span class="sr-only">{summary}</span>}
                  csv={`trend-${m.id.replace(':', '-')}`}
                  rows={at}
                  rowKey={(at) => at}
                  columns={[
                    { head: by === 'day' ? t('colDay') : t('colHour'), cell: (at) => bucketName(at, trends.unit) },
                    {
                      head: t('colThisPeriod'),
                      cell: (at, i) =>
                        drill && opens(m, i) ? (
                          <DrillButton
                            n={score ? 1 : m.current[i]!}
                            text={num(m.current[i]!)}
                            label={drillLabel(m, m.current[i]!, bucketName(at, trends.unit))}
                            onDrill={() => drill(i)}
                          />
                        ) : (
                          num(m.current[i] ?? null)
                        ),
                    },
                    { head: t('colBefore'), cell: (_, i) => num(m.previous[i] ?? null) },
                  ]}
                />
              </details>
            </article>
          )
        })}
      </div>
    </section>
  )
}
