/**
 * @module dashboard/chart: a time series and the period before it, drawn by uPlot (a lazy
 * chunk, loaded when the first chart shows). The canvas is decoration for sighted readers: the
 * same numbers are a table (see trends.tsx), and the chart carries a text summary as its label.
 */
import { useEffect, useRef } from 'preact/hooks'
import type uPlot from 'uplot'

export interface Series {
  label: string
  /** Bucket start times (ms). */
  at: number[]
  current: (number | null)[]
  previous: (number | null)[]
  unit: 'day' | 'hour'
}

let lib: Promise<typeof uPlot> | null = null
const load = () => (lib ??= import('uplot').then((m) => m.default))

export function TrendChart({ s, summary }: { s: Series; summary: string }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    let plot: uPlot | null = null
    let gone = false
    const el = box.current!
    const observer = new ResizeObserver(() => plot?.setSize({ width: el.clientWidth, height: 160 }))
    load().then((UPlot) => {
      if (gone) return
      plot = new UPlot(
        {
          width: el.clientWidth || 300,
          height: 160,
          legend: { show: false },
          // Buckets are UTC days and hours: so are the ticks.
          tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] } },
          axes: [
            {
              stroke: '#5b6378',
              grid: { stroke: '#eef0f5' },
              ticks: { show: false },
              size: 24,
              // One short line per tick: "Nov 3" by day, "14:00" by hour (UTC, as the API buckets).
              values: (_u, ticks) =>
                ticks.map((t) =>
                  s.unit === 'day'
                    ? new Date(t * 1000).toLocaleDateString(undefined, {
                        month: 'short',
                        day: 'numeric',
                        timeZone: 'UTC',
                      })
                    : `${String(new Date(t * 1000).getUTCHours()).padStart(2, '0')}:00`,
                ),
            },
            { stroke: '#5b6378', grid: { stroke: '#eef0f5' }, ticks: { show: false }, size: 40 },
          ],
          series: [
            { label: 'time' },
            { label: 'this period', stroke: '#2a5bd7', width: 2, fill: 'rgba(42,91,215,0.08)', spanGaps: false },
            { label: 'the period before', stroke: '#9aa3b8', width: 1.5, dash: [4, 4], spanGaps: false },
          ],
        },
        [s.at.map((t) => t / 1000), s.current, s.previous] as uPlot.AlignedData,
        el,
      )
      observer.observe(el)
    })
    return () => {
      gone = true
      observer.disconnect()
      plot?.destroy()
    }
  }, [s])
  return <div class="chart" ref={box} role="img" aria-label={summary} />
}
