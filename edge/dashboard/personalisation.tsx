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
import { dayName, decimal, period, share } from './format'
import { Table } from './table'
import { useWidth } from './width'
import { formatLocale, t } from './i18n'
import { listOf, tx } from './i18n/nodes'

type Experiment = Personalisation['experiments'][number]
type Arm = Experiment['arms'][number]
type Facts = Experiment['verdictFacts']

/** A rate with one decimal, in the reader's language: "33.3%", "33,3%". */
const pct1 = (x: number) => share(x, { digits: 1 })
/** An arm as the dashboard shows it: the default content by its name in the language shown. */
const name = (v: string) => (v === '' ? t('armDefault') : v)
const signed = (x: number) => share(x, { signed: true, digits: 1 })
type Lift = NonNullable<Arm['vsControl']>
const lift = (l: Lift | null) =>
  l
    ? t('liftRange', {
        lift: l.lift === null ? '—' : signed(l.lift),
        from: signed(l.interval[0]),
        to: l.interval[1] === null ? t('unbounded') : signed(l.interval[1]),
      })
    : '—'
/** Expected loss in percentage points: "0.12 pt", "0,12 pp". */
const loss = (x: number) => t('lossPoints', { n: decimal(x * 100, 2) })

/** A lift as the verdict cites it: whole percents from 10% on ("+38% (+12% to +70%)"). */
const cited = (l: Pick<Lift, 'lift' | 'interval'>) =>
  t('liftRange', {
    lift: l.lift === null ? t('noEstimate') : share(l.lift, { signed: true }),
    from: share(l.interval[0], { signed: true }),
    to: l.interval[1] === null ? t('unbounded') : share(l.interval[1], { signed: true }),
  })
const armNode = (v: string) => <bdi>{name(v)}</bdi>
/** Two significant digits: "about 1,900 more visitors". */
const about = (n: number) => {
  const d = Math.pow(10, Math.max(0, Math.floor(Math.log10(Math.max(n, 1))) - 1))
  return Math.round(n / d) * d
}
/** The p-value of the sample-ratio test, as the verdict writes it. */
const pValue = (p: number) =>
  p < 1e-4
    ? new Intl.NumberFormat(formatLocale(), { notation: 'scientific', maximumFractionDigits: 1 }).format(p)
    : decimal(p, 4)

/**
 * The verdict, said from its facts (edge/domain/verdict.ts) in the language shown, its numbers
 * written as the reader writes them; arm and event names are the site's own.
 */
function Verdict({ f, control: controlVariant }: { f: Facts; control: string }) {
  const control = armNode(controlVariant)
  const arms = (list: { arm: string; lift: number | null; interval: Lift['interval'] }[]) => (
    <>{listOf(list.map((a) => <>{tx('vdArmLift', { arm: armNode(a.arm), lift: cited(a) })}</>))}</>
  )
  switch (f.kind) {
    case 'sampleRatioMismatch':
      return <>{t('vdMismatch', { p: pValue(f.p) })}</>
    case 'noExposure':
      return <>{t('vdNoExposure')}</>
    case 'winner':
      return (
        <>
          {tx('vdWinner', { arm: armNode(f.arm), control, lift: cited(f), loss: loss(f.expectedLoss) })}{' '}
          {f.guardrail
            ? tx('vdGuardrail', { event: <bdi>{f.guardrail.event}</bdi>, lift: cited(f.guardrail) })
            : f.rivals.length
              ? tx('vdRivals', { rivals: <>{listOf(f.rivals.map(armNode))}</> })
              : t('vdStop')}
        </>
      )
    case 'controlWins':
      return <>{tx('vdControlWins', { control, arms: arms(f.arms) })}</>
    case 'noDifference':
      return <>{tx('vdNoDifference', { arms: arms(f.arms) }, { lift: share(f.minimumLift) })}</>
    case 'noConversions':
      return <>{t('vdNoConversions')}</>
    case 'keepRunning': {
      const needed = { n: about(f.visitorsNeeded), lift: share(f.minimumLift) }
      return (
        <>
          {f.visitorsNeeded <= 0
            ? t('vdCame', { lift: share(f.minimumLift) })
            : f.baseRate === null
              ? t('vdNeeded', needed)
              : tx('vdNeededAt', { control }, { ...needed, rate: share(f.baseRate) })}
          {f.lead && <> {tx('vdSoFar', { arm: armNode(f.lead.arm), lift: cited(f.lead) })}</>}
        </>
      )
    }
  }
}
const HOLDOUT = '#111827'
const COLORS = ['#6b7280', '#2a5bd7', '#d97706', '#059669', '#db2777', '#7c3aed']

/** Room for the rate's axis labels ("100.0%") on the left, and the days' below. */
const LEFT = 46
const BOTTOM = 22

function Chart({ x }: { x: Experiment }) {
  if (x.cumulative.length < 2) return <p class="note">{t('chartLater')}</p>
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
        aria-label={t('chartLabel', { from: dayName(days[0]!.day), to: dayName(days.at(-1)!.day) })}
      >
        <line x1={LEFT} y1={H - BOTTOM} x2={W - 8} y2={H - BOTTOM} stroke="#c9ced9" />
        <text class="axis" x={LEFT - 6} y={py(top) + 4} text-anchor="end">
          {pct1(top)}
        </text>
        <text class="axis" x={LEFT - 6} y={H - BOTTOM + 4} text-anchor="end">
          0%
        </text>
        <text class="axis" x={LEFT} y={H - 6}>
          {dayName(days[0]!.day)}
        </text>
        <text class="axis" x={W - 8} y={H - 6} text-anchor="end">
          {dayName(days.at(-1)!.day)}
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
            {t('armHoldout')}
          </span>
        )}
      </figcaption>
    </figure>
  )
}

/** `onDrill`: opens the visitors behind an arm's numbers (`who`: its drill-down, behind.tsx). */
function ExperimentReport({ x, days, onDrill }: { x: Experiment; days: number; onDrill(who: string): void }) {
  const control = name(x.control)
  // `arm`: as the visitors list names it, `default` for the default content, or `holdout`.
  const drill = (n: number, arm: string, converted: boolean) => {
    const shown = arm === 'default' ? t('armDefault') : arm === 'holdout' ? t('armHoldout') : arm
    return (
      <DrillButton
        n={n}
        label={t(converted ? 'whoConvertedAfter' : 'whoSaw', { n, arm: shown, experiment: x.experiment })}
        onDrill={() => onDrill(whoOf({ experiment: x.experiment, arm, ...(converted && { converted: '1' }) }))}
      />
    )
  }
  const arm = (a: Arm) => (a.variant === '' ? 'default' : a.variant)
  const guard = x.guardrail && [x.guardrail.type, x.guardrail.name, x.guardrail.step].filter(Boolean).join(' ')
  const columns: { head: ComponentChildren; cell: (a: Arm) => ComponentChildren }[] = [
    { head: t('colVariant'), cell: (a) => name(a.variant) },
    { head: t('colExposed'), cell: (a) => drill(a.exposed, arm(a), false) },
    { head: t('colConversions'), cell: (a) => drill(a.conversions, arm(a), true) },
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
    {
      head: tx('liftVs', { control: <bdi>{control}</bdi> }),
      cell: (a) => (a.vsControl ? lift(a.vsControl) : t('armControl')),
    },
    { head: t('colExpectedLoss'), cell: (a) => loss(a.expectedLoss) },
  ]
  if (x.arms.some((a) => a.vsHoldout)) columns.push({ head: t('colLift'), cell: (a) => lift(a.vsHoldout) })
  if (guard)
    columns.push({
      head: tx('guardrailHead', { guard: <code>{guard}</code> }),
      cell: (a) =>
        a.guardrail
          ? `${pct1(a.guardrail.rate)}${a.guardrail.vsControl ? ` ${lift(a.guardrail.vsControl)}` : ''}`
          : '—',
    })
  return (
    <article aria-labelledby={`exp-${x.slot}`}>
      <h3 id={`exp-${x.slot}`}>
        {tx('slotExperiment', { slot: <bdi>{x.slot}</bdi>, experiment: <bdi>{x.experiment}</bdi> })}{' '}
        <small>{t(x.on ? 'expIsOn' : 'expIsOff')}</small>
      </h3>
      {x.srm.flagged && (
        <p role="alert" class="error">
          {t('srmAlert', { p: x.srm.p === null ? '—' : pValue(x.srm.p) })}
        </p>
      )}
      <p class="verdict">
        <strong>
          <Verdict f={x.verdictFacts} control={x.control} />
        </strong>
      </p>
      <p class="note">
        {tx(
          'expGoal',
          {
            goal: (
              <code>
                {x.goal.type}
                {x.goal.name ? ` ${x.goal.name}` : ''}
                {x.goal.step ? ` → ${x.goal.step}` : ''}
              </code>
            ),
          },
          { days: t('days', { n: x.windowDays }) },
        )}
        {guard && <> · {tx('expGuardNote', { guard: <code>{guard}</code> })}</>} ·{' '}
        {x.allocation === 'thompson' ? t('expThompson') : t('expSplit')}
        {x.holdoutShare > 0 && ` · ${t('expHeldOut', { share: pct1(x.holdoutShare) })}`}
      </p>
      <Table<Arm>
        scroll
        caption={t('armsCaption', { period: period(days).toLowerCase() })}
        csv={`experiment-${x.slot}-${x.experiment}`}
        rows={x.arms}
        rowKey={(a) => a.variant}
        columns={columns}
        after={
          x.holdout && (
            <tr>
              <th scope="row">{t('armHoldout')}</th>
              <td>{drill(x.holdout.exposed, 'holdout', false)}</td>
              <td>{drill(x.holdout.conversions, 'holdout', true)}</td>
              <td>
                {pct1(x.holdout.rate)}{' '}
                <span class="nowrap">
                  ({pct1(x.holdout.interval[0])}–{pct1(x.holdout.interval[1])})
                </span>
              </td>
              {columns.slice(4).map((_, i) => (
                <td key={i}>—</td>
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
          caption={t(p.capped ? 'segmentsCapped' : 'segmentsCaption', {
            n: p.visitors,
            period: period(p.days).toLowerCase(),
            counted: p.visitorsCounted,
          })}
          csv="segments"
          rows={p.segments}
          rowKey={(s) => s.id}
          columns={[
            {
              head: t('segment'),
              cell: (s) => (
                <>
                  <bdi>{s.id}</bdi>
                  {s.description && (
                    <small>
                      {' '}
                      <bdi>{s.description}</bdi>
                    </small>
                  )}
                </>
              ),
            },
            {
              head: t('visitors'),
              cell: (s) =>
                onDrill ? (
                  <DrillButton
                    n={s.visitors}
                    label={t('whoInSegment', { n: s.visitors, segment: s.id })}
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
