/**
 * @module dashboard/propensity: who will reach each funnel's goal, and who will not come back,
 * from the site's prediction models: each model's forward test (trained at earlier cutoffs,
 * measured at a later one: AUC against two baselines, calibration, a leakage warning), the
 * likeliest converters, the visitors at risk and those likeliest to leave, each opening the
 * visitor's timeline. A model that is not ready says why and what to do.
 */
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { messageOf, trainPropensity, type Propensity } from './api'
import { ago, decimal, pct } from './format'
import { useInsight, useToken } from './load'
import { Table } from './table'
import { VisitorButton } from './visitor'
import { comma, formatLocale, isKey, t } from './i18n'
import { tx } from './i18n/nodes'

type Funnel = Propensity['funnels'][number]
type Churn = Propensity['churn']
type Row = Funnel['likely'][number]
type Bin = NonNullable<Funnel['calibration']>['bins'][number]

const day = (at: number) => new Date(at).toISOString().slice(0, 10)
/** "7 days", a model's horizon (null: not trained; never shown then). */
const within = (days: number | null) => t('days', { n: days ?? 0 })
const auc = (x: number | null) => (x === null ? '—' : decimal(x, 2))

type NoModel = NonNullable<Funnel['messageFacts'] | Churn['messageFacts']>

/**
 * Why a model is missing, from its facts (edge/domain/forward.ts): `goal` names the funnel's
 * goal (none: the churn model, whose positives are the visitors who did not come back).
 */
function WhyNoModel({ f, goal, horizonDays }: { f: NoModel; goal?: string; horizonDays: number | null }) {
  const counts = (positives: number, negatives: number) =>
    goal === undefined
      ? t('countsChurn', { days: within(horizonDays), positives, negatives })
      : tx('countsFunnel', { goal: <bdi>{goal}</bdi> }, { days: within(horizonDays), positives, negatives })
  switch (f.kind) {
    case 'goalChanged':
      return <>{tx('model:goalChanged', { goal: <bdi>{f.goal}</bdi> })}</>
    case 'tooLittleToTrain':
      return (
        <>
          {tx(
            'trainTooLittle',
            { counts: <>{counts(f.positives, f.negatives)}</> },
            { from: day(f.from), to: day(f.to), min: f.min },
          )}
        </>
      )
    case 'tooLittleToMeasure':
      return (
        <>
          {tx(
            'measureTooLittle',
            { counts: <>{counts(f.positives, f.negatives)}</> },
            { cutoff: day(f.cutoff), min: f.min },
          )}
        </>
      )
    default:
      return <>{t(`model:${f.kind}`)}</>
  }
}

/** What a feature name means, in words (the names are the model's). */
function said(feature: string, key = `feature:${feature}`): ComponentChildren {
  const eq = feature.indexOf('=')
  const named = `feature:${feature.slice(0, eq)}`
  // entry.source=google.com: the value is the site's data, a <bdi> inside the words.
  if (eq > 0) return isKey(named) ? tx(named, { value: <bdi>{feature.slice(eq + 1)}</bdi> }) : feature
  if (isKey(key)) return t(key)
  if (feature.startsWith('funnels.')) return tx('progressIn', { funnel: <bdi>{feature.slice('funnels.'.length)}</bdi> })
  return feature.replace(/^friction\./, '')
}

function People({
  caption,
  rows,
  empty,
  onOpen,
}: {
  caption: ComponentChildren
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
  leakAuc,
}: {
  m: Pick<Funnel, 'trainCutoffs' | 'cutoff' | 'auc' | 'calibration' | 'trainedAt' | 'warning'>
  measured: string
  baselines: string
  /** The AUC from which the worker warns of leakage. */
  leakAuc: number
}) {
  const c = m.calibration
  return (
    <>
      <p class="note" data-test>
        {[
          t('forwardTest', {
            cutoffs: ((cutoffs) =>
              m.trainCutoffs.length > 0
                ? t('cutoffRange', {
                    cutoffs,
                    from: day(m.trainCutoffs[0]!),
                    to: day(m.trainCutoffs[m.trainCutoffs.length - 1]!),
                  })
                : cutoffs)(t('earlierCutoffs', { n: m.trainCutoffs.length })),
            measured: m.cutoff === null ? measured : t('asOf', { measured, day: day(m.cutoff) }),
            auc: auc(m.auc),
            baselines,
          }),
          c && t('brier', { brier: decimal(c.brier, 3), rate: pct(c.baseRate), base: decimal(c.brierBaseRate, 3) }),
          m.trainedAt === null ? t('neverTrained') : t('trainedAgo', { ago: ago(m.trainedAt) }),
        ]
          .filter(Boolean)
          .join(' ')}
      </p>
      {m.warning && (
        <p role="alert" class="error" data-warning>
          {t('leakWarning', { auc: decimal(m.auc ?? 1, 3), threshold: leakAuc })}
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
      {t('weighsMost')}{' '}
      {drivers.map((d, i) => (
        <span key={d.feature}>
          {i > 0 && comma()}
          {said(d.feature)} {d.weight >= 0 ? '↑' : '↓'}
        </span>
      ))}
    </p>
  )
}

function FunnelModel({ f, leakAuc, onOpen }: { f: Funnel; leakAuc: number; onOpen: (id: string) => void }) {
  return (
    <div class="model" data-funnel={f.funnel}>
      <h3>
        <bdi>{f.funnel}</bdi> → <bdi>{f.goal}</bdi>
      </h3>
      {!f.ready && (
        <p class="note" data-empty>
          {f.messageFacts && <WhyNoModel f={f.messageFacts} goal={f.goal} horizonDays={f.horizonDays} />}{' '}
          {f.trainedAt !== null && t('scoresAppear')}
        </p>
      )}
      {f.ready && (
        <>
          <ForwardTest
            m={f}
            measured={t('measuredFunnel', {
              n: f.holdout,
              goal: f.goal,
              converters: f.holdoutConverters,
              days: within(f.horizonDays),
            })}
            baselines={t('baselinesFunnel', { step: auc(f.baselines.step), visits: auc(f.baselines.visits) })}
            leakAuc={leakAuc}
          />
          <Drivers drivers={f.drivers} />
          <People
            caption={tx('likelyToReach', { goal: <bdi>{f.goal}</bdi> }, { days: within(f.horizonDays) })}
            rows={f.likely}
            empty={t('nobodyOnTheWay')}
            onOpen={onOpen}
          />
          <People caption={t('capAtRisk')} rows={f.atRisk} empty={t('nobodyStuck')} onOpen={onOpen} />
        </>
      )}
    </div>
  )
}

type Leaving = Churn['leaving'][number]

function ChurnModel({ c, leakAuc, onOpen }: { c: Churn; leakAuc: number; onOpen: (id: string) => void }) {
  return (
    <div class="model" data-churn>
      <h3>{t('whoWillNotComeBack')}</h3>
      {!c.ready && (
        <p class="note" data-empty>
          {c.messageFacts && <WhyNoModel f={c.messageFacts} horizonDays={c.horizonDays} />}
        </p>
      )}
      {c.ready && (
        <>
          <ForwardTest
            m={c}
            measured={t('measuredChurn', {
              n: c.holdout,
              churned: c.holdoutChurned,
              days: within(c.horizonDays),
            })}
            baselines={t('baselinesChurn', { recency: auc(c.baselines.recency), visits: auc(c.baselines.visits) })}
            leakAuc={leakAuc}
          />
          <Drivers drivers={c.drivers} />
          <Table
            scroll
            caption={t('likeliestToLeave', { days: within(c.horizonDays) })}
            empty={t('noReturning')}
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
    setStatus(t('training'))
    try {
      const trained = await trainPropensity(token, site)
      const n = trained.trained.length + 1
      setStatus(t('trainedModels', { n, days: within(trained.horizonDays) }))
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
          {tx(
            'noFunnelModel',
            { field: <code>config.funnels</code>, call: <code>ciel('step', funnel, step)</code> },
            { n: r.minPerClass },
          )}
        </p>
      )}
      {r?.funnels.map((f) => (
        <FunnelModel key={f.funnel} f={f} leakAuc={r.leakAuc} onOpen={onOpen} />
      ))}
      {r && <ChurnModel c={r.churn} leakAuc={r.leakAuc} onOpen={onOpen} />}
      {r && (
        <p class="controls">
          <button type="button" onClick={train}>
            {t('trainNow')}
          </button>{' '}
          <span role="status">{status}</span>
        </p>
      )}
    </section>
  )
}
