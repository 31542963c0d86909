/**
 * @module dashboard/breakdown: an event split by a dimension (`GET /v1/insights/breakdown`): a
 * form (event, dimension, top N; the question asked lives in the URL, url.ts), a stacked bar
 * chart of each value per day or hour (SVG; the same numbers are the table's), and the table of
 * the top values and "other", whose visitors (and the event's, in all) open the visitors behind them.
 */
import { useEffect, useState } from 'preact/hooks'
import { insightQuery, type Segment } from './api'
import type { Breakdown as Answer } from './api'
import { bucketName, num, pct } from './format'
import { useInsight } from './load'
import { DrillButton, whoOf } from './behind'
import { Table } from './table'
import { isKey, t } from './i18n'
import { tx } from './i18n/nodes'
import type { BreakdownAsk } from './url'

const DIMENSIONS = ['page', 'source', 'device', 'country', 'language', 'segment', 'prop'] as const
/** A dimension as the reader's language names it (`prop:plan` as the prop's own name). */
const dimension = (by: string) => {
  const key = `by:${by}`
  return isKey(key) ? t(key) : <code>{by.replace(/^prop:/, '')}</code>
}
/** Colours of the chart's values, the last for "other". */
const COLOURS = ['#2a5bd7', '#e07b39', '#2f9e6e', '#a34fc9', '#c9a227', '#d64a6b', '#3aa6c4', '#7a5c3e']
const OTHER = '#b8bfcc'

interface Ask {
  event: string
  by: string
  prop: string
  top: string
}

type Value = Answer['values'][number]

/** The form's fields of a question asked (`prop:plan` is "A prop…" and plan). */
const formOf = (a: BreakdownAsk): Ask => ({
  event: a.event,
  by: a.by.startsWith('prop:') ? 'prop' : a.by,
  prop: a.by.startsWith('prop:') ? a.by.slice(5) : '',
  top: String(a.top),
})

/** pageview and the period's other event types; custom events are offered by name (track:NAME). */
export const eventTypes = (types: string[]) => [...new Set(['pageview', ...types.filter((t) => t !== 'track')])]

/** Whether the event is among the options (eventTypes and the track names). */
export const offered = (event: string, types: string[], names: string[]) =>
  eventTypes(types).includes(event) || names.some((n) => `track:${n}` === event)

/**
 * Stacked bars, a bar per bucket, a band per value; its axes: the tallest bar's count and 0 beside
 * it, the first and last bucket below (left to right in every language, as the bars run); each
 * band's day and count in its tooltip.
 */
function Bars({ r }: { r: Answer }) {
  const values: Value[] = [...r.values, ...(r.other ? [r.other] : [])]
  const W = 1000
  const H = 180
  const n = r.buckets
  const sums = Array.from({ length: n }, (_, i) => values.reduce((s, v) => s + (v.series.events[i] ?? 0), 0))
  const max = Math.max(1, ...sums)
  const bw = W / n
  const label = t('bdBars', { event: r.event, by: r.by, unit: t(`unit:${r.unit}`) })
  return (
    <figure class="bars" dir="ltr">
      <div class="y" aria-hidden="true">
        <span>{num(max)}</span>
        <span>{num(0)}</span>
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="none">
        {Array.from({ length: n }, (_, i) => {
          let y = H
          return (
            <g key={i}>
              {values.map((v, j) => {
                const e = v.series.events[i] ?? 0
                if (!e) return null
                const h = (e / max) * (H - 4)
                y -= h
                const colour = r.other && j === values.length - 1 ? OTHER : COLOURS[j % COLOURS.length]
                return (
                  <rect key={j} x={i * bw + bw * 0.1} y={y} width={bw * 0.8} height={h} fill={colour}>
                    {/* A date in the reader's language, then the site's own value: nothing to translate
                      (as a string: Preact writes an SVG attribute as given, and drops a false one). */}
                    <title
                      {...({ translate: 'no' } as object)}
                    >{`${bucketName(r.start + i * r.size, r.unit)} · ${v.value}: ${e}`}</title>
                  </rect>
                )
              })}
            </g>
          )
        })}
      </svg>
      <div class="x" aria-hidden="true">
        <span>{bucketName(r.start, r.unit)}</span>
        <span>{bucketName(r.start + (n - 1) * r.size, r.unit)}</span>
      </div>
    </figure>
  )
}

export function Breakdown({
  site,
  days,
  segment,
  types,
  names,
  props,
  ask,
  onAsk,
  onDrill,
}: {
  site: string
  days: number
  segment: Segment
  /** Event types the period has (the overview's), offered beside pageview. */
  types: string[]
  /** Custom event names of the period (offered as track:NAME). */
  names: string[]
  /** Prop keys seen on custom events (offered for "a prop"). */
  props: string[]
  /** The question shown (the URL's). */
  ask: BreakdownAsk
  /** Asks another. */
  onAsk: (ask: BreakdownAsk) => void
  /** Opens the visitors behind a number (`who`: its drill-down, behind.tsx). */
  onDrill?(who: string): void
}) {
  const [draft, setDraft] = useState<Ask>(() => formOf(ask))
  // Back, forward or a saved view asked another question: the form shows it.
  useEffect(() => setDraft(formOf(ask)), [ask.event, ask.by, ask.top])
  const r = useInsight('breakdown', insightQuery(site, days, segment, { ...ask, top: String(ask.top) }))
  const data = r.data
  const edit = (k: keyof Ask) => (e: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [k]: e.currentTarget.value })
  /** A count of visitors as a button opening them (`who`: beside the breakdown's event and dimension). */
  const drill = (n: number, label: string, who: Record<string, string>) =>
    onDrill ? <DrillButton n={n} text={num(n)} label={label} onDrill={() => onDrill(whoOf(who))} /> : num(n)
  const rows: (Value & { other?: number })[] = data
    ? [...data.values, ...(data.other ? [{ ...data.other, other: data.other.values }] : [])]
    : []
  return (
    <section aria-labelledby="breakdown">
      <h2 id="breakdown">{t('breakdown')}</h2>
      <form
        class="controls"
        onSubmit={(e) => {
          e.preventDefault()
          onAsk({
            event: draft.event,
            by: draft.by === 'prop' ? `prop:${draft.prop}` : draft.by,
            top: Number(draft.top),
          })
        }}
      >
        <label>
          {t('colEvent')}{' '}
          <select value={draft.event} onChange={edit('event')}>
            {eventTypes(types).map((t) => (
              <option value={t} key={t} translate={false}>
                {t}
              </option>
            ))}
            {names.map((n) => (
              <option translate={false} value={`track:${n}`} key={`track:${n}`}>
                {`track: ${n}`}
              </option>
            ))}
            {/* Asked by a link or a saved view, and not (or no longer) in this period's events. */}
            {!offered(ask.event, types, names) && (
              <option value={ask.event} translate={false}>
                {ask.event.replace(/^track:/, 'track: ')}
              </option>
            )}
          </select>
        </label>
        <label>
          {t('bdBy')}{' '}
          <select value={draft.by} onChange={edit('by')}>
            {DIMENSIONS.map((v) => (
              <option value={v} key={v}>
                {t(`by:${v}`)}
              </option>
            ))}
          </select>
        </label>
        {draft.by === 'prop' && (
          <label>
            {t('bdProp')} <input value={draft.prop} onInput={edit('prop')} list="breakdown-props" required size={12} />
            <datalist id="breakdown-props">
              {props.map((p) => (
                <option value={p} key={p} />
              ))}
            </datalist>
          </label>
        )}
        <label>
          {t('bdTop')}{' '}
          <input type="number" min={1} max={50} value={draft.top} onInput={edit('top')} required size={3} />
        </label>
        <button type="submit">{t('bdShow')}</button>
      </form>
      {r.error && (
        <p role="alert" class="error">
          {r.error}
        </p>
      )}
      {data && data.total.events === 0 && <p class="note">{t('noEventOf', { event: data.event })}</p>}
      {data && data.total.events > 0 && (
        <>
          <p class="note">
            {tx(
              'bdTotal',
              {
                event: <code>{data.event}</code>,
                visitors: drill(data.total.visitors, t('drShowEvent', { n: data.total.visitors, event: data.event }), {
                  event: data.event,
                }),
              },
              { events: num(data.total.events) },
            )}
            {data.by === 'segment' ? ` ${t('bdOverlap')}.` : '.'}
          </p>
          <Bars r={data} />
          <Table
            caption={tx('bdCaption', { event: <code>{data.event}</code>, by: <code>{data.by}</code> })}
            csv="breakdown"
            rows={rows}
            rowKey={(x) => (x.other !== undefined ? '\u0000other' : x.value)}
            rowProps={(x) => ({ 'data-value': x.other !== undefined ? '' : x.value })}
            columns={[
              {
                head: dimension(data.by),
                cell: (x, i) => (
                  <>
                    <span
                      class="swatch"
                      aria-hidden="true"
                      style={{
                        background: x.other !== undefined ? OTHER : COLOURS[i % COLOURS.length],
                        display: 'inline-block',
                        width: '0.7em',
                        height: '0.7em',
                        marginInlineEnd: '0.4em',
                      }}
                    />
                    <bdi>{x.other !== undefined ? t('bdOther', { n: x.other }) : x.value}</bdi>
                  </>
                ),
              },
              { head: t('colEvents'), cell: (x) => num(x.events) },
              { head: t('colShare'), cell: (x) => pct(x.events / data.total.events) },
              {
                head: t('visitors'),
                cell: (x) =>
                  x.other !== undefined
                    ? drill(x.visitors, t('drShowOther', { n: x.visitors }), {
                        event: data.event,
                        by: data.by,
                        other: '1',
                        top: String(data.top),
                      })
                    : drill(x.visitors, t('drShowRow', { n: x.visitors, value: x.value }), {
                        event: data.event,
                        by: data.by,
                        value: x.value,
                      }),
              },
            ]}
          />
        </>
      )}
    </section>
  )
}
