/**
 * @module dashboard/journeys: the paths sessions take, page → page, as a flow chart (SVG: boxes
 * per step, bands as wide as the sessions that went that way) and as a table of the most
 * frequent paths. Every label is an SVG text node: page paths are visitors' data, never markup.
 */
import { useEffect, useState } from 'preact/hooks'
import { loadJourneys, type Journeys as Report, type Segment } from './api'
import { DownloadCsv } from './csv'

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
  token,
  site,
  days,
  segment,
  entries,
  goals,
}: {
  token: string
  site: string
  days: number
  segment: Segment
  entries: string[]
  goals: string[]
}) {
  const [from, setFrom] = useState('')
  const [goal, setGoal] = useState('')
  const [r, setR] = useState<Report | null>(null)
  const [error, setError] = useState('')
  useEffect(() => {
    let current = true
    setError('')
    loadJourneys(token, site, days, segment, { from, goal }).then(
      (x) => current && setR(x),
      (e) => current && (setR(null), setError(String(e.message ?? e))),
    )
    return () => {
      current = false
    }
  }, [token, site, days, segment, from, goal])
  return (
    <section aria-labelledby="journeys">
      <h2 id="journeys">Journeys</h2>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <label>
          Starting at{' '}
          <select value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
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
          <select value={goal} onChange={(e) => setGoal(e.currentTarget.value)}>
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
          <table>
            <caption>
              Most frequent paths <DownloadCsv name="journeys-paths" />
            </caption>
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Sessions</th>
                {r.goal && <th scope="col">Reached {r.goal}</th>}
              </tr>
            </thead>
            <tbody>
              {r.paths.map((p) => (
                <tr key={p.pages.join('\n')}>
                  <th scope="row">{p.pages.join(' → ')}</th>
                  <td>{p.sessions}</td>
                  {r.goal && <td>{p.converted}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>
              Drop-off at each step <DownloadCsv name="journeys-drop-off" />
            </caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Sessions</th>
                <th scope="col">Left there</th>
              </tr>
            </thead>
            <tbody>
              {r.steps.map((s) => (
                <tr key={s.step}>
                  <th scope="row">{s.step + 1}</th>
                  <td>{s.sessions}</td>
                  <td>{s.dropOff}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
