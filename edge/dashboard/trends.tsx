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

/** `onDrill`: opens the visitors of a bucket (the Visitors metric's points: behind.tsx). */
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
          const hasData = m.current.some((x) => x !== null && x !== 0) || m.previous.some((x) => x !== null && x !== 0)
          // The visitors of a day (or hour) open the visitors counted in it.
          const drill =
            m.id === 'visitors' && onDrill ? (i: number) => onDrill(whoOf({ bucket: String(at[i]) })) : undefined
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
                  onPick={drill}
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
                        drill && m.current[i] ? (
                          <DrillButton
                            n={m.current[i]!}
                            label={t('showVisitorsOf', { n: m.current[i]!, bucket: bucketName(at, trends.unit) })}
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
