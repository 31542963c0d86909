/**
 * @module dashboard/journeys: the paths sessions take, page → page, as a flow chart (SVG: boxes
 * per step, bands as wide as the sessions that went that way) and as a table of the most
 * frequent paths. Every label is an SVG text node: page paths are visitors' data, never markup.
 */
import { insightQuery, type Journeys as Report, type Segment } from './api'
import { useInsight } from './load'
import { Table } from './table'

type Path = Report['paths'][number]

const W = 1000
const NODE_W = 14
const GAP = 10

function Flow({ r }: { r: Report }) {
  const steps = r.steps
  const total = Math.max(1, ...steps.map((s) => s.sessions))
  const rows = Math.max(...steps.map((s) => s.nodes.length))
  const H = Math.max(220, rows * 46)
  const scale = (H - GAP * (rows - 1)) / total
  const colX = (i: number) => (steps.length === 1 ? 0 : (i * (W - 190)) / (steps.length - 1))
  const place = new Map<string, { x: number; y: number; h: number; out: number; in: number }>()
  steps.forEach((s, i) => {
    let y = 0
    for (const n of s.nodes) {
      const h = Math.max(3, n.sessions * scale)
      place.set(`${s.step}\n${n.page}`, { x: colX(i), y, h, out: 0, in: 0 })
      y += h + GAP
    }
  })
  return (
    <svg class="flow" viewBox={`-4 -4 ${W + 8} ${H + 8}`} role="img" aria-labelledby="flow-title flow-desc">
      <title id="flow-title">Journeys, page by page</title>
      <desc id="flow-desc">
        {`${r.journeys} sessions, ${steps.length} steps; the table below lists the same paths.`}
      </desc>
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
            <title>{`${l.from} → ${l.to}: ${l.sessions} sessions`}</title>
          </path>
        )
      })}
      {steps.map((s) =>
        s.nodes.map((n) => {
          const p = place.get(`${s.step}\n${n.page}`)!
          return (
            <g key={`${s.step}\n${n.page}`}>
              <rect class={n.converted ? 'node converted' : 'node'} x={p.x} y={p.y} width={NODE_W} height={p.h} />
              <text x={p.x + NODE_W + 4} y={p.y + Math.min(p.h / 2, 14) + 4}>
                {n.page}
              </text>
              <text class="sub" x={p.x + NODE_W + 4} y={p.y + Math.min(p.h / 2, 14) + 20}>
                {`${n.sessions}${n.dropOff ? ` · ${n.dropOff} left` : ''}${r.goal ? ` · ${n.converted} ✓` : ''}`}
              </text>
            </g>
          )
        }),
      )}
    </svg>
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
      <h2 id="journeys">Journeys</h2>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <label>
          Starting at{' '}
          <select value={from} onChange={(e) => onChange({ from: e.currentTarget.value })}>
            <option value="">any entry page</option>
            {entries.map((p) => (
              <option value={p} key={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Towards{' '}
          <select value={goal} onChange={(e) => onChange({ goal: e.currentTarget.value })}>
            <option value="">no goal</option>
            {goals.map((g) => (
              <option value={g} key={g}>
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
        <p class="note">
          {r.from ? `No session went through ${r.from} in this period.` : 'No pageview in this period yet.'}
        </p>
      )}
      {r && r.journeys > 0 && (
        <>
          <p class="note">
            {r.journeys.toLocaleString()} {r.journeys === 1 ? 'session' : 'sessions'}
            {r.goal ? `, ${r.converted.toLocaleString()} reached ${r.goal}` : ''}
            {r.sessions >= r.bound ? ` (the newest ${r.bound.toLocaleString()} of the period)` : ''}.
          </p>
          <div class="flow-box">
            <Flow r={r} />
          </div>
          <Table
            caption="Most frequent paths"
            csv="journeys-paths"
            rows={r.paths}
            rowKey={(p) => p.pages.join('\n')}
            columns={[
              { head: 'Path', cell: (p) => p.pages.join(' → ') },
              { head: 'Sessions', cell: (p) => p.sessions },
              ...(r.goal ? [{ head: `Reached ${r.goal}`, cell: (p: Path) => p.converted }] : []),
            ]}
          />
          <Table
            caption="Drop-off at each step"
            csv="journeys-drop-off"
            rows={r.steps}
            rowKey={(s) => s.step}
            columns={[
              { head: 'Step', cell: (s) => s.step + 1 },
              { head: 'Sessions', cell: (s) => s.sessions },
              { head: 'Left there', cell: (s) => s.dropOff },
            ]}
          />
        </>
      )}
    </section>
  )
}
