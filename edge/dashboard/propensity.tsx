/**
 * @module dashboard/propensity: who will reach each funnel's goal, from the site's propensity
 * models: the model's AUC on held-out visitors, the likeliest converters and the visitors at
 * risk, each opening the visitor's timeline. A funnel without a model says why and what to do.
 */
import { useState } from 'preact/hooks'
import { messageOf, trainPropensity, type Propensity } from './api'
import { ago, pct } from './format'
import { useInsight, useToken } from './load'
import { Table } from './table'
import { VisitorButton } from './visitor'

type Funnel = Propensity['funnels'][number]
type Row = Funnel['likely'][number]

/** What a feature name means, in words (the names are the model's). */
function said(feature: string): string {
  const eq = feature.indexOf('=')
  if (eq > 0) return `${feature.slice(0, eq).replace('entry.', '')} ${feature.slice(eq + 1)}`
  const words: { [k: string]: string } = {
    sessions: 'sessions',
    pageviews: 'pageviews',
    events: 'events',
    returning: 'returning',
    tenureDays: 'days since first visit',
    'friction.recent': 'recent friction',
    'nps.answered': 'answered NPS',
    'nps.score': 'NPS score',
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
        { head: 'Visitor', cell: (v) => <VisitorButton id={v.id} onOpen={onOpen} /> },
        { head: 'Chance', cell: (v) => pct(v.score) },
        { head: 'Furthest step', cell: (v) => v.step ?? '—' },
        { head: 'Last seen', cell: (v) => ago(v.lastSeen) },
      ]}
    />
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
          <p class="note">
            {`AUC ${f.auc === null ? '—' : f.auc.toFixed(2)} on ${f.holdout.toLocaleString()} held-out visitors `}
            {`(learnt from ${f.n.toLocaleString()}: ${f.converters.toLocaleString()} reached ${f.goal}); `}
            {`trained ${f.trainedAt === null ? 'never' : ago(f.trainedAt)}.`}
          </p>
          {f.drivers.length > 0 && (
            <p class="note">
              Weighs most:{' '}
              {f.drivers.map((d, i) => (
                <span key={d.feature}>
                  {i > 0 && ', '}
                  {said(d.feature)} {d.weight >= 0 ? '↑' : '↓'}
                </span>
              ))}
            </p>
          )}
          <People
            caption={`Likely to reach ${f.goal}`}
            rows={f.likely}
            empty="nobody seen in this period is still on the way."
            onOpen={onOpen}
          />
          <People
            caption="At risk: in the funnel, least likely to finish"
            rows={f.atRisk}
            empty="nobody seen in this period is stuck in this funnel."
            onOpen={onOpen}
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
      setStatus(`Trained ${t.trained.length} ${t.trained.length === 1 ? 'model' : 'models'}.`)
      models.reload()
    } catch (e) {
      setStatus(messageOf(e))
    }
  }
  return (
    <section aria-labelledby="propensity">
      <h2 id="propensity">Who will convert</h2>
      {models.error && (
        <p role="alert" class="error">
          {models.error}
        </p>
      )}
      {r && r.funnels.length === 0 && (
        <p class="note" data-empty>
          No funnel in this site's config. Add one (config.funnels, its last step is the goal) and record progress with
          ciel('step', funnel, step): every hour a model learns who reaches the goal, once at least {r.minPerClass}{' '}
          visitors have and {r.minPerClass} have not.
        </p>
      )}
      {r?.funnels.map((f) => (
        <FunnelModel key={f.funnel} f={f} onOpen={onOpen} />
      ))}
      {r && r.funnels.length > 0 && (
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
