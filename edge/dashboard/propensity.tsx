/**
 * @module dashboard/propensity: who will reach each funnel's goal, and who will not come back,
 * from the site's prediction models: each model's forward test (trained at earlier cutoffs,
 * measured at a later one: AUC against two baselines, calibration, a leakage warning), the
 * likeliest converters, the visitors at risk and those likeliest to leave, each opening the
 * visitor's timeline. A model that is not ready says why and what to do.
 */
import { useState } from 'preact/hooks'
import { messageOf, trainPropensity, type Propensity } from './api'
import { ago, pct } from './format'
import { useInsight, useToken } from './load'
import { Table } from './table'
import { VisitorButton } from './visitor'
import { formatLocale, t } from './i18n'

type Funnel = Propensity['funnels'][number]
type Churn = Propensity['churn']
type Row = Funnel['likely'][number]
type Bin = NonNullable<Funnel['calibration']>['bins'][number]

const day = (t: number) => new Date(t).toISOString().slice(0, 10)
const auc = (x: number | null) => (x === null ? '—' : x.toFixed(2))

/** What a feature name means, in words (the names are the model's). */
function said(feature: string): string {
  const eq = feature.indexOf('=')
  if (eq > 0) return `${feature.slice(0, eq).replace('entry.', '')} ${feature.slice(eq + 1)}`
  const words: { [k: string]: string } = {
    sessions: 'sessions',
    pageviewsPerSession: 'pageviews a session',
    identified: 'identified',
    tenureDays: 'days since first visit',
    recencyDays: 'days since last visit',
    'friction.recent': 'recent friction',
    'nps.answered': 'answered NPS',
    'nps.promoter': 'an NPS promoter',
    'nps.detractor': 'an NPS detractor',
    'device.mobile': 'on a phone',
    'device.tablet': 'on a tablet',
    'entry.direct': 'came direct',
    'friction.rage': 'rage clicks',
    'friction.dead': 'dead clicks',
    'friction.error': 'error clicks',
    'friction.abandon': 'abandoned forms',
    'friction.stall': 'stalls',
  }
  return words[feature] ?? feature.replace(/^friction\./, '').replace(/^funnels\./, 'progress in ')
}

function People({
  caption,
  rows,
  empty,
  onOpen,
}: {
  caption: string
  rows: Row[]
  empty: string
  onOpen: (id: string) => void
}) {
  return (
    <Table
      scroll
      caption={caption}
      empty={empty}
      rows={rows}
      rowKey={(v) => v.id}
      rowHeads={false}
      columns={[
        { head: t('colVisitor'), cell: (v) => <VisitorButton id={v.id} onOpen={onOpen} /> },
        { head: t('colChance'), cell: (v) => pct(v.score) },
        { head: t('colFurthest'), cell: (v) => v.step ?? '—' },
        { head: t('colLastSeen'), cell: (v) => ago(v.lastSeen) },
      ]}
    />
  )
}

/** How a model was tested: the cutoffs, who was measured, AUC against the baselines, the Brier score. */
function ForwardTest({
  m,
  measured,
  baselines,
}: {
  m: Pick<Funnel, 'trainCutoffs' | 'cutoff' | 'auc' | 'calibration' | 'trainedAt' | 'warning'>
  measured: string
  baselines: string
}) {
  const c = m.calibration
  return (
    <>
      <p class="note" data-test>
        {`Tested forward: learnt from visitors as they were at ${m.trainCutoffs.length} earlier cutoffs `}
        {m.trainCutoffs.length > 0 &&
          `(${day(m.trainCutoffs[0]!)} to ${day(m.trainCutoffs[m.trainCutoffs.length - 1]!)}), `}
        {`measured on ${measured}${m.cutoff === null ? '' : ` as of ${day(m.cutoff)}`}: AUC ${auc(m.auc)} (${baselines}). `}
        {c &&
          `Brier score ${c.brier.toFixed(3)} (saying ${pct(c.baseRate)} for everyone: ${c.brierBaseRate.toFixed(3)}). `}
        {`Trained ${m.trainedAt === null ? 'never' : ago(m.trainedAt)}.`}
      </p>
      {m.warning && (
        <p role="alert" class="error" data-warning>
          {m.warning}
        </p>
      )}
      {c && (
        <Table
          caption={t('capCalibration')}
          rows={c.bins.filter((b) => b.n > 0)}
          rowKey={(b: Bin) => b.from}
          columns={[
            { head: t('colChance'), cell: (b: Bin) => `${pct(b.from)}–${pct(b.to)}` },
            { head: t('visitors'), cell: (b: Bin) => b.n.toLocaleString(formatLocale()) },
            { head: t('colSaid'), cell: (b: Bin) => (b.predicted === null ? '—' : pct(b.predicted)) },
            { head: t('colDid'), cell: (b: Bin) => (b.observed === null ? '—' : pct(b.observed)) },
          ]}
        />
      )}
    </>
  )
}

function Drivers({ drivers }: { drivers: Funnel['drivers'] }) {
  if (!drivers.length) return null
  return (
    <p class="note">
      Weighs most:{' '}
      {drivers.map((d, i) => (
        <span key={d.feature}>
          {i > 0 && ', '}
          {said(d.feature)} {d.weight >= 0 ? '↑' : '↓'}
        </span>
      ))}
    </p>
  )
}

function FunnelModel({ f, onOpen }: { f: Funnel; onOpen: (id: string) => void }) {
  return (
    <div class="model" data-funnel={f.funnel}>
      <h3>
        {f.funnel} → {f.goal}
      </h3>
      {!f.ready && (
        <p class="note" data-empty>
          {f.message}{' '}
          {f.trainedAt !== null &&
            'Scores appear once enough visitors have reached the goal and enough have not; the model is retrained every hour.'}
        </p>
      )}
      {f.ready && (
        <>
          <ForwardTest
            m={f}
            measured={
              `${f.holdout.toLocaleString(formatLocale())} visitors not yet at ${f.goal}, ` +
              `${f.holdoutConverters.toLocaleString(formatLocale())} of whom reached it within ${f.horizonDays} days`
            }
            baselines={`current step alone ${auc(f.baselines.step)}, visits alone ${auc(f.baselines.visits)}`}
          />
          <Drivers drivers={f.drivers} />
          <People
            caption={`Likely to reach ${f.goal} within ${f.horizonDays} days`}
            rows={f.likely}
            empty="nobody seen in this period is still on the way."
            onOpen={onOpen}
          />
          <People
            caption={t('capAtRisk')}
            rows={f.atRisk}
            empty="nobody seen in this period is stuck in this funnel."
            onOpen={onOpen}
          />
        </>
      )}
    </div>
  )
}

type Leaving = Churn['leaving'][number]

function ChurnModel({ c, onOpen }: { c: Churn; onOpen: (id: string) => void }) {
  return (
    <div class="model" data-churn>
      <h3>Who will not come back</h3>
      {!c.ready && (
        <p class="note" data-empty>
          {c.message}
        </p>
      )}
      {c.ready && (
        <>
          <ForwardTest
            m={c}
            measured={
              `${c.holdout.toLocaleString(formatLocale())} returning visitors and users, ` +
              `${c.holdoutChurned.toLocaleString(formatLocale())} of whom sent nothing within ${c.horizonDays} days`
            }
            baselines={`days since last visit alone ${auc(c.baselines.recency)}, visits alone ${auc(c.baselines.visits)}`}
          />
          <Drivers drivers={c.drivers} />
          <Table
            scroll
            caption={`Likeliest not to come back within ${c.horizonDays} days`}
            empty="no returning visitor was seen in this period."
            rows={c.leaving}
            rowKey={(v: Leaving) => v.id}
            rowHeads={false}
            columns={[
              { head: t('colVisitor'), cell: (v: Leaving) => <VisitorButton id={v.id} onOpen={onOpen} /> },
              { head: t('colChance'), cell: (v: Leaving) => pct(v.score) },
              { head: t('sessions'), cell: (v: Leaving) => v.sessions.toLocaleString(formatLocale()) },
              { head: t('colLastSeen'), cell: (v: Leaving) => ago(v.lastSeen) },
            ]}
          />
        </>
      )}
    </div>
  )
}

export function PropensitySection({
  site,
  days,
  onOpen,
}: {
  site: string
  days: number
  onOpen: (id: string) => void
}) {
  const token = useToken()
  const models = useInsight('propensity', { site, days: String(days) })
  const r = models.data
  const [status, setStatus] = useState('')
  const train = async () => {
    setStatus('Training…')
    try {
      const t = await trainPropensity(token, site)
      const n = t.trained.length + 1
      setStatus(`Trained ${n} ${n === 1 ? 'model' : 'models'}, looking ${t.horizonDays} days ahead.`)
      models.reload()
    } catch (e) {
      setStatus(messageOf(e))
    }
  }
  return (
    <section aria-labelledby="propensity">
      <h2 id="propensity">{t('propensity')}</h2>
      {models.error && (
        <p role="alert" class="error">
          {models.error}
        </p>
      )}
      {r && r.funnels.length === 0 && (
        <p class="note" data-empty>
          No funnel in this site's config. Add one (config.funnels, its last step is the goal) and record progress with
          ciel('step', funnel, step): every hour a model learns who reaches the goal, once at least {r.minPerClass}{' '}
          visitors have and {r.minPerClass} have not in the weeks it learns from.
        </p>
      )}
      {r?.funnels.map((f) => (
        <FunnelModel key={f.funnel} f={f} onOpen={onOpen} />
      ))}
      {r && <ChurnModel c={r.churn} onOpen={onOpen} />}
      {r && (
        <p class="controls">
          <button type="button" onClick={train}>
            Train now
          </button>{' '}
          <span role="status">{status}</span>
        </p>
      )}
    </section>
  )
}
