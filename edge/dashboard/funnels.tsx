/**
 * @module dashboard/funnels: each funnel step by step (visitors who did the steps in order within
 * its window, the time they took from the step before, what those who stopped did next),
 * compared side by side with a second segment when one is chosen.
 */
import { Fragment } from 'preact'
import { compareQuery, type Funnels as Answer, type Segment } from './api'
import { DrillButton, whoOf } from './behind'
import { duration, pct } from './format'
import { segmentName, type SegmentFields } from './segment-name'
import { useInsight } from './load'
import { SegmentForm } from './segment-form'
import { Table } from './table'
import { comma, t } from './i18n'
import { tx } from './i18n/nodes'
import { Went } from './went'

type Funnel = Answer['funnels'][number]
type Step = Funnel['steps'][number]

/** A funnel as a table (also the ad hoc one, adhoc-funnel.tsx); `onDrill`: opens the visitors behind a number (`who`: its drill-down, behind.tsx). */
export function FunnelTable({
  f,
  segment,
  onDrill,
}: {
  f: Funnel
  /** The segment it is of, when two are compared (the API's filter and its `label`). */
  segment?: SegmentFields & { label: string }
  onDrill?(who: string): void
}) {
  const drill = (n: number, label: string, who: Record<string, string>) =>
    onDrill ? <DrillButton n={n} label={label} onDrill={() => onDrill(whoOf(who))} /> : n
  const label = segment && segment.label
  const id = (
    <>
      <bdi>{f.id}</bdi>
      {segment && <> ({segmentName(segment) ?? t('segEveryone')})</>}
    </>
  )
  const days = t('days', { n: f.window })
  return (
    <Table<Step>
      caption={
        f.bottleneck
          ? tx('funnelInLost', { funnel: id, step: <bdi>{f.bottleneck}</bdi> }, { days })
          : tx('funnelIn', { funnel: id }, { days })
      }
      csv={`funnel-${f.id}${label ? `-${label}` : ''}`}
      rows={f.steps}
      rowKey={(s) => s.id}
      rowProps={(s) => ({ class: s.id === f.bottleneck ? 'bottleneck' : '' })}
      columns={[
        { head: t('colStep'), cell: (s) => s.id },
        {
          head: t('visitors'),
          cell: (s) => drill(s.visitors, t('whoReached', { n: s.visitors, step: s.id }), { funnel: f.id, step: s.id }),
        },
        {
          head: t('colReached'),
          cell: (s) => (
            <>
              <meter
                min={0}
                max={1}
                value={s.conversion}
                aria-label={t('reachedStep', { pct: pct(s.conversion), step: s.id })}
              />{' '}
              {pct(s.conversion)}
            </>
          ),
        },
        { head: t('colLost'), cell: (s) => pct(s.dropOff) },
        {
          head: t('colTimeFrom'),
          cell: (s) =>
            s.fromPrevious ? `${duration(s.fromPrevious.median)} (90%: ${duration(s.fromPrevious.p90)})` : '—',
        },
        {
          // How many stopped at this step (reached it, not the next) and, of the latest 200, what they did next.
          head: t('colStopped'),
          wrap: true,
          cell: (s) =>
            s.dropped ? (
              <>
                {drill(s.dropped, t('whoStopped', { n: s.dropped, step: s.id }), { funnel: f.id, dropped: s.id })}
                {s.next.length > 0 && ' → '}
                {s.next.map((n, i) => (
                  <Fragment key={n.event ?? ''}>
                    {i > 0 && comma()}
                    <Went label={n.event} /> ({n.visitors})
                  </Fragment>
                ))}
              </>
            ) : (
              '—'
            ),
        },
        {
          head: t('colStalled'),
          cell: (s) =>
            s.stalls ? (
              <>
                {drill(s.stalls, t('whoStalled', { n: s.stalls, step: s.id }), { funnel: f.id, stalled: s.id })}{' '}
                {t('stalledOver', { s: s.maxSeconds ?? '?' })}
              </>
            ) : (
              '—'
            ),
        },
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
  named,
  onCompare,
  onDrill,
}: {
  funnels: Funnel[]
  site: string
  days: number
  segment: Segment
  /** The segment compared with (null: none). */
  vs: Segment | null
  referrers: string[]
  /** The site's named segments, to compare with as with the view's filter. */
  named: string[]
  onCompare(vs: Segment | null): void
  /** Opens the visitors behind a number (the view's segment's: not the one compared with). */
  onDrill(who: string): void
}) {
  const pair = useInsight('funnels', vs ? compareQuery(site, days, segment, vs) : null)
  const compared = pair.data?.compare
  return (
    <section aria-labelledby="funnels">
      <h2 id="funnels">{t('funnels')}</h2>
      {funnels.length === 0 ? (
        <p class="note">
          {tx('noFunnel', { field: <code>config.funnels</code>, call: <code>ciel('step', funnel, step)</code> })}
        </p>
      ) : (
        <SegmentForm
          legend={t('compareWith')}
          idPrefix="vs"
          value={vs ?? {}}
          referrers={referrers}
          named={named}
          active={vs !== null}
          onApply={onCompare}
          onClear={() => onCompare(null)}
          clearLabel={t('stopComparing')}
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
              <FunnelTable f={f} segment={pair.data!.segment} onDrill={onDrill} />
              <FunnelTable f={compared.funnels[i]!} segment={compared.segment} />
            </div>
          ))
        : funnels.map((f) => <FunnelTable f={f} key={f.id} onDrill={onDrill} />)}
    </section>
  )
}
