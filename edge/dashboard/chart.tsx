/**
 * @module dashboard/chart: a time series and the period before it, drawn by uPlot (a lazy
 * chunk, loaded when the first chart shows). The canvas is decoration for sighted readers: the
 * same numbers are a table (see trends.tsx), and the chart carries a text summary as its label.
 * Under the cursor, the bucket's values are written out. A bucket still under way (today) is
 * drawn dotted and named "(so far)": its count is not a drop.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import type uPlot from 'uplot'
import { bucketName, num, partial } from './format'
import { formatLocale, t } from './i18n'

export interface Series {
  label: string
  /** Bucket start times (ms). */
  at: number[]
  current: (number | null)[]
  previous: (number | null)[]
  unit: 'day' | 'hour'
}

/** The steps between a count axis' ticks: whole numbers (uPlot's own include 0.5 and 2.5). */
const WHOLE = [1, 2, 5]
  .flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8].map((p) => m * p))
  .sort((a, b) => a - b)

let lib: Promise<typeof uPlot> | null = null
const load = () => (lib ??= import('uplot').then((m) => m.default))

/**
 * `pick`: a click on the chart picks the bucket under the cursor (its visitors open: behind.tsx),
 * if `pick.opens` says it has any (an NPS of 0 has its answers; a count of 0, none).
 */
export function TrendChart({
  s,
  summary,
  pick,
}: {
  s: Series
  summary: string
  pick?: { opens(i: number): boolean; open(i: number): void }
}) {
  const box = useRef<HTMLDivElement>(null)
  /** The bucket under the cursor. */
  const [at, setAt] = useState<number | null>(null)
  useEffect(() => {
    let plot: uPlot | null = null
    let gone = false
    const el = box.current!
    const observer = new ResizeObserver(() => plot?.setSize({ width: el.clientWidth, height: 160 }))
    // The last bucket, if still under way, is its own dotted line from the one before it.
    const last = s.at.length - 1
    const open = last >= 0 && partial(s.at[last]!, s.unit)
    const done = open ? s.current.map((v, i) => (i === last ? null : v)) : s.current
    const underWay = s.current.map((v, i) => (open && i >= last - 1 ? v : null))
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
          hooks: { setCursor: [(u) => setAt(u.cursor.idx ?? null)] },
          scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] } },
          axes: [
            {
              stroke: '#5b6378',
              grid: { stroke: '#eef0f5' },
              ticks: { show: false },
              size: 24,
              // One short line per tick: "Nov 3" by day, "14:00" by hour (UTC, as the API buckets).
              values: (_u, ticks) =>
                ticks.map((tick) =>
                  s.unit === 'day'
                    ? new Date(tick * 1000).toLocaleDateString(formatLocale(), {
                        month: 'short',
                        day: 'numeric',
                        timeZone: 'UTC',
                      })
                    : `${String(new Date(tick * 1000).getUTCHours()).padStart(2, '0')}:00`,
                ),
            },
            // Counts (and NPS points): whole numbers only, written as the reader writes them.
            {
              stroke: '#5b6378',
              grid: { stroke: '#eef0f5' },
              ticks: { show: false },
              size: 40,
              incrs: WHOLE,
              values: (_u, ticks) => ticks.map((tick) => num(tick)),
            },
          ],
          series: [
            { label: 'time' },
            { label: t('seriesThis'), stroke: '#2a5bd7', width: 2, fill: 'rgba(42,91,215,0.08)', spanGaps: false },
            { label: t('seriesBefore'), stroke: '#9aa3b8', width: 1.5, dash: [4, 4], spanGaps: false },
            { label: t('seriesSoFar'), stroke: '#2a5bd7', width: 2, dash: [2, 3], spanGaps: false },
          ],
        },
        [s.at.map((at) => at / 1000), done, s.previous, underWay] as uPlot.AlignedData,
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
  return (
    <>
      <div
        class={pick ? 'chart pick' : 'chart'}
        ref={box}
        role="img"
        aria-label={summary}
        // The same visitors are buttons in the table below, for the keyboard.
        onClick={() => at !== null && pick?.opens(at) && pick.open(at)}
      />
      {/* Said by the table for screen readers; here for the eye, under the cursor. */}
      <p class="chart-value" aria-hidden="true">
        {at !== null && s.at[at] !== undefined
          ? ((value) => (pick?.opens(at) ? t('clickToList', { value }) : value))(
              t('chartValue', {
                bucket: bucketName(s.at[at]!, s.unit),
                current: num(s.current[at] ?? null),
                previous: num(s.previous[at] ?? null),
              }),
            )
          : ' '}
      </p>
    </>
  )
}
