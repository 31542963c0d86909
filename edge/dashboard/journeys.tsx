/**
 * @module dashboard/journeys: the paths sessions take, page → page, as a flow chart (SVG: boxes
 * per step, bands as wide as the sessions that went that way) and as a table of the most
 * frequent paths. Every label is an SVG text node: page paths are visitors' data, never markup.
 */
import { insightQuery, type Journeys as Report, type Segment } from './api'
import { useInsight } from './load'
import { Table } from './table'
import { useWidth } from './width'
import { t } from './i18n'
import { tx } from './i18n/nodes'
import { num } from './format'

type Path = Report['paths'][number]
type Node = Report['steps'][number]['nodes'][number]

const NODE_W = 14
const GAP = 8
/** A node's slot is at least two lines of label tall: labels of one column never overprint. */
const LABEL_H = 40
/** The narrowest a column may be (a label needs room before the next column's nodes). */
const COLUMN = 170
/** Pixels per character at the label's 15 px, generously: a label is cut short, never run into the next column. */
const CHAR = 9
const SUB_CHAR = 7.5
/** The height the busiest step's sessions are drawn over. */
const BARS = 260

/** `text` cut to `room` pixels at `char` pixels a character. */
const fit = (text: string, room: number, char: number) => {
  const most = Math.max(2, Math.floor(room / char))
  return text.length > most ? `${text.slice(0, most - 1)}…` : text
}

/** What a node's numbers are, in words (its tooltip; the note under the chart says the same). */
const said = (n: Node, goal: string | null) =>
  ((line) => (goal ? t('nodeReached', { said: line, converted: n.converted, goal }) : line))(
    t('nodeSaid', { page: n.page, n: n.sessions, left: n.dropOff }),
  )

function Flow({ r, width }: { r: Report; width: number }) {
  const steps = r.steps
  // At the box's width, a unit a pixel; wider when the steps need it (the box scrolls sideways).
  const W = Math.max(width, steps.length * COLUMN)
  const total = Math.max(1, ...steps.map((s) => s.sessions))
  const scale = BARS / total
  // The last column's labels have the rest of the chart, as much as a column has, up to 300 px.
  const last = Math.max(COLUMN, Math.min(300, W / steps.length))
  const colX = (i: number) => (steps.length === 1 ? 0 : (i * (W - last)) / (steps.length - 1))
  // Room for a label: up to the next column, or to the chart's end.
  const room = steps.length === 1 ? W : Math.min(W - colX(steps.length - 1), colX(1)) - NODE_W - 10
  const place = new Map<string, { x: number; y: number; h: number; out: number; in: number }>()
  let H = 0
  steps.forEach((s, i) => {
    let y = 0
    for (const n of s.nodes) {
      const h = Math.max(3, n.sessions * scale)
      place.set(`${s.step}\n${n.page}`, { x: colX(i), y, h, out: 0, in: 0 })
      y += Math.max(h, LABEL_H) + GAP
    }
    H = Math.max(H, y - GAP)
  })
  return (
    <svg class="flow" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="flow-title flow-desc">
      <title id="flow-title">{t('flowTitle')}</title>
      <desc id="flow-desc">{t('flowDesc', { n: r.journeys, steps: steps.length })}</desc>
      {r.links.map((l) => {
        const a = place.get(`${l.step}\n${l.from}`)
        const b = place.get(`${l.step + 1}\n${l.to}`)
        if (!a || !b) return null
        const w = Math.max(1, l.sessions * scale)
        const y0 = a.y + a.out + w / 2
        const y1 = b.y + b.in + w / 2
        a.out += w
        b.in += w
        const x0 = a.x + NODE_W
        const x1 = b.x
        const mx = (x0 + x1) / 2
        return (
          <path
            key={`${l.step}\n${l.from}\n${l.to}`}
            class="band"
            d={`M${x0},${y0} C${mx},${y0} ${mx},${y1} ${x1},${y1}`}
            stroke-width={w}
          >
            <title>{t('bandTitle', { from: l.from, to: l.to, n: l.sessions })}</title>
          </path>
        )
      })}
      {steps.map((s) =>
        s.nodes.map((n) => {
          const p = place.get(`${s.step}\n${n.page}`)!
          return (
            <g key={`${s.step}\n${n.page}`}>
              <title>{said(n, r.goal)}</title>
              <rect class={n.converted ? 'node converted' : 'node'} x={p.x} y={p.y} width={NODE_W} height={p.h} />
              <text x={p.x + NODE_W + 4} y={p.y + 15}>
                {fit(n.page, room, CHAR)}
              </text>
              <text class="sub" x={p.x + NODE_W + 4} y={p.y + 32}>
                {fit(
                  `${num(n.sessions)}${n.dropOff ? ` · ${t('nLeft', { n: n.dropOff })}` : ''}${r.goal ? ` · ${num(n.converted)} ✓` : ''}`,
                  room,
                  SUB_CHAR,
                )}
              </text>
            </g>
          )
        }),
      )}
    </svg>
  )
}

function FlowBox({ r }: { r: Report }) {
  const [box, width] = useWidth<HTMLDivElement>(1000)
  return (
    <figure class="flow-box">
      <div class="scroll" ref={box}>
        <Flow r={r} width={width} />
      </div>
      <figcaption class="note">
        {r.goal ? tx('flowCaptionGoal', { goal: <bdi>{r.goal}</bdi> }) : t('flowCaption')}
      </figcaption>
    </figure>
  )
}

export function Journeys({
  site,
  days,
  segment,
  from,
  goal,
  entries,
  goals,
  onChange,
}: {
  site: string
  days: number
  segment: Segment
  /** Journeys from this entry page ('': every one), towards this event ('': none). */
  from: string
  goal: string
  entries: string[]
  goals: string[]
  onChange(c: { from?: string; goal?: string }): void
}) {
  const journeys = useInsight(
    'journeys',
    insightQuery(site, days, segment, { ...(from && { from }), ...(goal && { goal }) }),
  )
  const r = journeys.data
  const error = journeys.error
  return (
    <section aria-labelledby="journeys">
      <h2 id="journeys">{t('journeys')}</h2>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('startingAt')}{' '}
          <select value={from} onChange={(e) => onChange({ from: e.currentTarget.value })}>
            <option value="">{t('anyEntryPage')}</option>
            {entries.map((p) => (
              <option value={p} key={p} translate={false}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('towards')}{' '}
          <select value={goal} onChange={(e) => onChange({ goal: e.currentTarget.value })}>
            <option value="">{t('noGoal')}</option>
            {goals.map((g) => (
              <option value={g} key={g} translate={false}>
                {g}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {r && r.journeys === 0 && (
        <p class="note">{r.from ? tx('noSessionThrough', { page: <bdi>{r.from}</bdi> }) : t('noPageviewYet')}</p>
      )}
      {r && r.journeys > 0 && (
        <>
          <p class="note">
            {tx('sentence', {
              text: ((sessions) => {
                const newest = r.sessions >= r.bound ? t('journeyNewest', { sessions, bound: r.bound }) : sessions
                return r.goal
                  ? tx('journeyReached', { goal: <bdi>{r.goal}</bdi> }, { sessions: newest, converted: r.converted })
                  : newest
              })(t('journeySessions', { n: r.journeys })),
            })}
          </p>
          <FlowBox r={r} />
          <Table
            caption={t('capPaths')}
            csv="journeys-paths"
            rows={r.paths}
            rowKey={(p) => p.pages.join('\n')}
            columns={[
              { head: t('colPath'), cell: (p) => p.pages.join(' → ') },
              { head: t('sessions'), cell: (p) => p.sessions },
              ...(r.goal
                ? [{ head: tx('colReachedGoal', { goal: <bdi>{r.goal}</bdi> }), cell: (p: Path) => p.converted }]
                : []),
            ]}
          />
          <Table
            caption={t('capDropOff')}
            csv="journeys-drop-off"
            rows={r.steps}
            rowKey={(s) => s.step}
            columns={[
              { head: t('colStep'), cell: (s) => s.step + 1 },
              { head: t('sessions'), cell: (s) => s.sessions },
              { head: t('colLeft'), cell: (s) => s.dropOff },
            ]}
          />
        </>
      )}
    </section>
  )
}
