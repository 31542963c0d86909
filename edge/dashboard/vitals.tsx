/** @module dashboard/vitals: page speed, each web vital's 75th percentile rated as web.dev rates it. */
import type { Vitals as Answer } from './api'
import { t } from './i18n'

/** web.dev thresholds: good up to the first number, poor above the second. */
const VITALS: { [name: string]: [number, number, string] } = {
  LCP: [2500, 4000, 'ms'],
  INP: [200, 500, 'ms'],
  CLS: [0.1, 0.25, ''],
  FCP: [1800, 3000, 'ms'],
  TTFB: [800, 1800, 'ms'],
}

const RATING = { good: 'good', 'needs-improvement': 'needsImprovement', poor: 'poor' } as const

export function Vitals({ vitals }: { vitals: Answer }) {
  return (
    <section aria-labelledby="vitals">
      <h2 id="vitals">{t('vitals')}</h2>
      {vitals.metrics.length === 0 && <p class="note">{t('noVitals')}</p>}
      <dl class="cards">
        {vitals.metrics.map((m) => {
          const [good, poor, unit] = VITALS[m.name] ?? [Infinity, Infinity, '']
          const rating = m.p75 === null ? '' : m.p75 <= good ? 'good' : m.p75 <= poor ? 'needs-improvement' : 'poor'
          return (
            <div class={`card ${rating}`} key={m.name}>
              <dt>{m.name}</dt>
              <dd>
                {m.p75 === null ? '—' : `${unit ? Math.round(m.p75) : m.p75.toFixed(3)} ${unit}`}
                <small>
                  {rating && t(RATING[rating])} · {t('samples', { n: m.samples })}
                </small>
              </dd>
            </div>
          )
        })}
      </dl>
    </section>
  )
}
