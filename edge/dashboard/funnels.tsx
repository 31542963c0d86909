/** @module dashboard/funnels: each funnel step by step, compared side by side with a second segment when one is chosen. */
import { compareQuery, type Funnels as Answer, type Segment } from './api'
import { pct } from './format'
import { useInsight } from './load'
import { SegmentForm } from './segment-form'
import { Table } from './table'

type Funnel = Answer['funnels'][number]
type Step = Funnel['steps'][number]

function FunnelTable({ f, label }: { f: Funnel; label?: string }) {
  return (
    <Table<Step>
      caption={`${label ? `${f.id} (${label})` : f.id}${f.bottleneck ? ` — most visitors are lost before “${f.bottleneck}”` : ''}`}
      csv={`funnel-${f.id}${label ? `-${label}` : ''}`}
      rows={f.steps}
      rowKey={(s) => s.id}
      rowProps={(s) => ({ class: s.id === f.bottleneck ? 'bottleneck' : '' })}
      columns={[
        { head: 'Step', cell: (s) => s.id },
        { head: 'Visitors', cell: (s) => s.visitors },
        {
          head: 'Reached',
          cell: (s) => (
            <>
              <meter min={0} max={1} value={s.conversion} aria-label={`${pct(s.conversion)} reached ${s.id}`} />{' '}
              {pct(s.conversion)}
            </>
          ),
        },
        { head: 'Lost since previous', cell: (s) => pct(s.dropOff) },
        { head: 'Stalled', cell: (s) => (s.stalls ? `${s.stalls} (over ${s.maxSeconds ?? '?'} s)` : '—') },
      ]}
    />
  )
}

export function Funnels({
  funnels,
  site,
  days,
  segment,
  vs,
  referrers,
  onCompare,
}: {
  funnels: Funnel[]
  site: string
  days: number
  segment: Segment
  /** The segment compared with (null: none). */
  vs: Segment | null
  referrers: string[]
  onCompare(vs: Segment | null): void
}) {
  const pair = useInsight('funnels', vs ? compareQuery(site, days, segment, vs) : null)
  const compared = pair.data?.compare
  return (
    <section aria-labelledby="funnels">
      <h2 id="funnels">Funnels</h2>
      {funnels.length === 0 ? (
        <p class="note">
          No funnel in this site's config: add one under config.funnels, and call ciel('step', funnel, step) as visitors
          go.
        </p>
      ) : (
        <SegmentForm
          legend="Compare with"
          idPrefix="vs"
          value={vs ?? {}}
          referrers={referrers}
          active={vs !== null}
          onApply={onCompare}
          onClear={() => onCompare(null)}
          clearLabel="Stop comparing"
        />
      )}
      {pair.error && (
        <p role="alert" class="error">
          {pair.error}
        </p>
      )}
      {pair.data && compared
        ? pair.data.funnels.map((f, i) => (
            <div class="pair compare" key={f.id}>
              <FunnelTable f={f} label={pair.data!.segment.label} />
              <FunnelTable f={compared.funnels[i]!} label={compared.segment.label} />
            </div>
          ))
        : funnels.map((f) => <FunnelTable f={f} key={f.id} />)}
    </section>
  )
}
