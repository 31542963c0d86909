/** @module dashboard/trends: each metric over the period, against the period before. */
import type { Insights } from './api'
import { DrillButton, whoOf } from './behind'
import { TrendChart } from './chart'
import { bucketName, change, num } from './format'
import { useMemo } from 'preact/hooks'
import { Table } from './table'
import { t } from './i18n'

/** `onDrill`: opens the visitors of a bucket (the Visitors metric's points: behind.tsx). */
export function Trends({ trends, onDrill }: { trends: Insights['trends']; onDrill?(who: string): void }) {
  const at = useMemo(() => Array.from({ length: trends.buckets }, (_, i) => trends.start + i * trends.size), [trends])
  const by = trends.unit === 'day' ? 'day' : 'hour'
  return (
    <section aria-labelledby="trends">
      <h2 id="trends">{t('trends')}</h2>
      <p class="note">
        By {by} (UTC), the dashed line is the {trends.buckets} {by}s before; the dotted end is this {by} so far.
      </p>
      <div class="trends">
        {trends.metrics.map((m) => {
          const score = m.id === 'nps'
          const hasData = m.current.some((x) => x !== null && x !== 0) || m.previous.some((x) => x !== null && x !== 0)
          // The visitors of a day (or hour) open the visitors counted in it.
          const drill =
            m.id === 'visitors' && onDrill ? (i: number) => onDrill(whoOf({ bucket: String(at[i]) })) : undefined
          const summary = `${m.label}: ${num(m.total.current)} this period, ${num(m.total.previous)} the period before (${change(m.total.current, m.total.previous, score)}).`
          return (
            <article class="trend" key={m.id} aria-labelledby={`trend-${m.id}`}>
              <h3 id={`trend-${m.id}`}>{m.label}</h3>
              <p class="figure">
                <strong>{num(m.total.current)}</strong>{' '}
                <small>
                  {change(m.total.current, m.total.previous, score)} · {t('before', { n: num(m.total.previous) })}
                </small>
              </p>
              {hasData ? (
                <TrendChart
                  s={{ label: m.label, at, current: m.current, previous: m.previous, unit: trends.unit }}
                  summary={summary}
                  onPick={drill}
                />
              ) : (
                <p class="note empty">{score ? 'No NPS answers in either period.' : t('nothingYet')}</p>
              )}
              <details>
                <summary>{by === 'day' ? t('numbersByDay') : t('numbersByHour')}</summary>
                <Table
                  class="compact"
                  caption={<span class="sr-only">{summary}</span>}
                  csv={`trend-${m.id.replace(':', '-')}`}
                  rows={at}
                  rowKey={(t) => t}
                  columns={[
                    { head: by === 'day' ? t('colDay') : t('colHour'), cell: (t) => bucketName(t, trends.unit) },
                    {
                      head: t('colThisPeriod'),
                      cell: (t, i) =>
                        drill && m.current[i] ? (
                          <DrillButton
                            n={m.current[i]!}
                            label={`Show the ${m.current[i]} visitors of ${bucketName(t, trends.unit)}`}
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
