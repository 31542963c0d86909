/**
 * The personalisation section: each experiment as a decision: its verdict first (and a warning
 * when the split is not what was served), then its arms (exposed, conversions, rate with its
 * 95% interval, lift against the control with its always-valid interval, expected loss, lift
 * against the holdout when it has enough visitors, the guardrail) and a chart of the cumulative
 * conversion rate by day, the holdout dashed; then the size of each segment. The chart is an
 * SVG of a few lines drawn here (no chart library for this one); its numbers are in the table too.
 */
import type { ComponentChildren } from 'preact'
import type { Personalisation } from './api'
import { DrillButton, whoOf } from './behind'
import { period } from './format'
import { Table } from './table'
import { useWidth } from './width'
import { t } from './i18n'

type Experiment = Personalisation['experiments'][number]
type Arm = Experiment['arms'][number]

const pct1 = (x: number) => `${(x * 100).toFixed(1)}%`
const name = (v: string) => (v === '' ? 'default' : v)
const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x * 100).toFixed(1)}%`
type Lift = NonNullable<Arm['vsControl']>
const lift = (l: Lift | null) =>
  l
    ? `${l.lift === null ? '—' : signed(l.lift)} (${signed(l.interval[0])} to ${l.interval[1] === null ? 'unbounded' : signed(l.interval[1])})`
    : '—'
const HOLDOUT = '#111827'
const COLORS = ['#6b7280', '#2a5bd7', '#d97706', '#059669', '#db2777', '#7c3aed']

/** Room for the rate's axis labels ("100.0%") on the left, and the days' below. */
const LEFT = 46
const BOTTOM = 22

function Chart({ x }: { x: Experiment }) {
  if (x.cumulative.length < 2) return <p class="note">The chart starts after a second day of exposures.</p>
  return <Plot x={x} />
}

function Plot({ x }: { x: Experiment }) {
  // Drawn at the figure's own width, a unit a pixel: its labels keep their size on a phone.
  const [box, W] = useWidth<HTMLElement>(480)
  const H = 160
  const days = x.cumulative
  const top = Math.max(0.01, ...days.flatMap((d) => [...Object.values(d.rates), d.holdout ?? 0]))
  const held = days.some((d) => d.holdout !== null)
  const px = (i: number) => LEFT + (i * (W - LEFT - 8)) / (days.length - 1)
  const py = (r: number) => H - BOTTOM - (r / top) * (H - BOTTOM - 8)
  return (
    <figure class="experiment" ref={box}>
      <svg
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Cumulative conversion rate by variant, ${days[0]!.day} to ${days.at(-1)!.day}`}
      >
        <line x1={LEFT} y1={H - BOTTOM} x2={W - 8} y2={H - BOTTOM} stroke="#c9ced9" />
        <text class="axis" x={LEFT - 6} y={py(top) + 4} text-anchor="end">
          {pct1(top)}
        </text>
        <text class="axis" x={LEFT - 6} y={H - BOTTOM + 4} text-anchor="end">
          0%
        </text>
        <text class="axis" x={LEFT} y={H - 6}>
          {days[0]!.day}
        </text>
        <text class="axis" x={W - 8} y={H - 6} text-anchor="end">
          {days.at(-1)!.day}
        </text>
        {x.arms.map((a, i) => (
          <polyline
            key={a.variant}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            stroke-width="2"
            points={days.map((d, j) => `${px(j)},${py(d.rates[a.variant] ?? 0)}`).join(' ')}
          />
        ))}
        {held && (
          <polyline
            fill="none"
            stroke={HOLDOUT}
            stroke-width="2"
            stroke-dasharray="4 3"
            points={days.flatMap((d, j) => (d.holdout === null ? [] : [`${px(j)},${py(d.holdout)}`])).join(' ')}
          />
        )}
      </svg>
      <figcaption>
        {x.arms.map((a, i) => (
          <span key={a.variant} class="legend">
            <svg width="12" height="12" aria-hidden="true">
              <rect width="12" height="12" rx="2" fill={COLORS[i % COLORS.length]} />
            </svg>
            <bdi>{name(a.variant)}</bdi>
          </span>
        ))}
        {held && (
          <span class="legend">
            <svg width="16" height="12" aria-hidden="true">
              <line x1="0" y1="6" x2="16" y2="6" stroke={HOLDOUT} stroke-width="2" stroke-dasharray="4 3" />
            </svg>
            holdout
          </span>
        )}
      </figcaption>
    </figure>
  )
}

/** `onDrill`: opens the visitors behind an arm's numbers (`who`: its drill-down, behind.tsx). */
function ExperimentReport({ x, days, onDrill }: { x: Experiment; days: number; onDrill(who: string): void }) {
  const control = name(x.control)
  // An arm as the visitors list names it: `default` for the default content, or `holdout`.
  const drill = (n: number, arm: string, converted: boolean) => (
    <DrillButton
      n={n}
      label={`Show the ${n} visitors ${converted ? 'who converted after seeing' : 'who saw'} ${arm} (${x.experiment})`}
      onDrill={() => onDrill(whoOf({ experiment: x.experiment, arm, ...(converted && { converted: '1' }) }))}
    />
  )
  const guard = x.guardrail && [x.guardrail.type, x.guardrail.name, x.guardrail.step].filter(Boolean).join(' ')
  const columns: { head: string; cell: (a: Arm) => ComponentChildren }[] = [
    { head: t('colVariant'), cell: (a) => name(a.variant) },
    { head: t('colExposed'), cell: (a) => drill(a.exposed, name(a.variant), false) },
    { head: t('colConversions'), cell: (a) => drill(a.conversions, name(a.variant), true) },
    {
      head: t('colRate'),
      cell: (a) => (
        <>
          {pct1(a.rate)}{' '}
          <span class="nowrap">
            ({pct1(a.interval[0])}–{pct1(a.interval[1])})
          </span>
        </>
      ),
    },
    { head: `Lift vs ${control} (always valid)`, cell: (a) => (a.vsControl ? lift(a.vsControl) : 'control') },
    { head: t('colExpectedLoss'), cell: (a) => `${(a.expectedLoss * 100).toFixed(2)} pt` },
  ]
  if (x.arms.some((a) => a.vsHoldout)) columns.push({ head: t('colLift'), cell: (a) => lift(a.vsHoldout) })
  if (guard)
    columns.push({
      head: `Guardrail: ${guard}`,
      cell: (a) =>
        a.guardrail
          ? `${pct1(a.guardrail.rate)}${a.guardrail.vsControl ? ` ${lift(a.guardrail.vsControl)}` : ''}`
          : '—',
    })
  return (
    <article aria-labelledby={`exp-${x.slot}`}>
      <h3 id={`exp-${x.slot}`}>
        Slot “{x.slot}”: experiment {x.experiment} <small>{x.on ? 'running' : 'stopped'}</small>
      </h3>
      {x.srm.flagged && (
        <p role="alert" class="error">
          Sample ratio mismatch: the arms did not get the share of visitors the split sends them (p = {x.srm.p}). Find
          the cause before acting on these results.
        </p>
      )}
      <p class="verdict">
        <strong>{x.verdict}</strong>
      </p>
      <p class="note">
        Goal: {x.goal.type}
        {x.goal.name ? ` ${x.goal.name}` : ''}
        {x.goal.step ? ` → ${x.goal.step}` : ''} within {x.windowDays} days of the first exposure
        {guard && ` · guardrail: ${guard} must not rise`} ·{' '}
        {x.allocation === 'thompson' ? 'traffic follows conversions (Thompson sampling)' : 'fixed split'}
        {x.holdoutShare > 0 && ` · ${pct1(x.holdoutShare)} held out on the default`}
      </p>
      <Table<Arm>
        scroll
        caption={`Arms: visitors first exposed in the ${period(days).toLowerCase()}`}
        csv={`experiment-${x.slot}-${x.experiment}`}
        rows={x.arms}
        rowKey={(a) => a.variant}
        columns={columns}
        after={
          x.holdout && (
            <tr>
              <th scope="row">holdout</th>
              <td>{drill(x.holdout.exposed, 'holdout', false)}</td>
              <td>{drill(x.holdout.conversions, 'holdout', true)}</td>
              <td>
                {pct1(x.holdout.rate)}{' '}
                <span class="nowrap">
                  ({pct1(x.holdout.interval[0])}–{pct1(x.holdout.interval[1])})
                </span>
              </td>
              {columns.slice(4).map((c) => (
                <td key={c.head}>—</td>
              ))}
            </tr>
          )
        }
      />
      <Chart x={x} />
    </article>
  )
}

/**
 * `onDrill`: opens the visitors of a segment (none while the view is narrowed to a named segment: sizes are within it);
 * `onArm`: those of an experiment's arm.
 */
export function PersonalisationSection({
  p,
  onDrill,
  onArm,
}: {
  p: Personalisation
  onDrill?(who: string): void
  onArm(who: string): void
}) {
  return (
    <section aria-labelledby="personalisation">
      <h2 id="personalisation">{t('personalisation')}</h2>
      {p.experiments.length === 0 && <p class="note">{t('noExperiment')}</p>}
      {p.experiments.map((x) => (
        <ExperimentReport x={x} days={p.days} key={x.slot} onDrill={onArm} />
      ))}
      {p.segments.length > 0 && (
        <Table
          caption={`Segments: of the ${p.visitors} visitors of the ${period(p.days).toLowerCase()}, those in each (as of now)${p.capped ? `, judged among the ${p.visitorsCounted} most recently seen` : ''}`}
          csv="segments"
          rows={p.segments}
          rowKey={(s) => s.id}
          columns={[
            {
              head: t('segment'),
              cell: (s) => (
                <>
                  {s.id}
                  {s.description && <small> {s.description}</small>}
                </>
              ),
            },
            {
              head: t('visitors'),
              cell: (s) =>
                onDrill ? (
                  <DrillButton
                    n={s.visitors}
                    label={`Show the ${s.visitors} visitors in ${s.id}`}
                    onDrill={() => onDrill(whoOf({ segment: s.id }))}
                  />
                ) : (
                  s.visitors
                ),
            },
          ]}
        />
      )}
    </section>
  )
}
