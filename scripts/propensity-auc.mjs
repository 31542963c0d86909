/**
 * `npm run propensity`: how well the prediction models look forward, on a simulated demo site
 * (scripts/propensity-sim.ts; seeded, so every run prints the same). The events go through the
 * worker's own code: profiles rebuilt at each cutoff (domain/profile.ts), trained at four cutoffs
 * and measured at a later one (domain/forward.ts). For conversion (reaching onboarding's goal
 * within the horizon) and churn (a returning visitor not coming back within it), it prints the
 * AUC at the holdout cutoff, the two baselines on the same visitors, the margin over the first,
 * calibration (Brier score, reliability in 10 bins) and what weighs most; for both modes of the
 * simulation: with intent, and without (`--no-intent` alone: only that one), where no model can
 * know anything and the AUC must stay near 0.5.
 *
 *   npm run propensity -- [--visitors 10000] [--days 120] [--horizon 14] [--seed 42] [--no-intent | --intent]
 */
import { build } from 'esbuild'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    visitors: { type: 'string', default: '10000' },
    days: { type: 'string', default: '120' },
    horizon: { type: 'string', default: '14' },
    seed: { type: 'string', default: '42' },
    intent: { type: 'boolean' },
    'no-intent': { type: 'boolean' },
  },
})
const int = (name, min, max) => {
  const n = Number(values[name])
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`propensity: --${name} must be a whole number from ${min} to ${max}`)
    process.exit(2)
  }
  return n
}
const o = {
  visitors: int('visitors', 100, 50_000),
  days: int('days', 30, 365),
  horizon: int('horizon', 1, 60),
  seed: int('seed', 0, 2 ** 31),
}
const modes = values['no-intent'] ? [false] : values.intent ? [true] : [true, false]

const out = join(tmpdir(), `ciel-propensity-${process.pid}.mjs`)
await build({
  stdin: {
    contents: `export { planFor, timelineOf, trainGoal, trainChurn } from './edge/domain/forward'
      export { drivers } from './edge/domain/propensity'
      export { simulateSite, SIM_END, SIM_FUNNEL } from './scripts/propensity-sim'`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: out,
  logLevel: 'silent',
})
const { planFor, timelineOf, trainGoal, trainChurn, drivers, simulateSite, SIM_END, SIM_FUNNEL } = await import(out)
rmSync(out)

const plan = planFor(SIM_END, o.horizon)
const day = (t) => new Date(t).toISOString().slice(0, 10)
const f3 = (x) => (x === null ? '—' : x.toFixed(3))
const signed = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`

console.log(
  `${o.visitors.toLocaleString('en')} simulated visitors over ${o.days} days (seed ${o.seed}); horizon ${o.horizon} days; ` +
    `trained at ${plan.train.length} cutoffs (${plan.train.map(day).join(', ')}), measured at ${day(plan.cutoff)}.`,
)

/** One model's lines. */
function report(title, t, first, second) {
  console.log(`  ${title}`)
  if (!t.model) return console.log(`    no model: ${t.reason}`)
  const [a, b] = [t.baselines[first[0]], t.baselines[second[0]]]
  console.log(
    `    AUC ${f3(t.auc)} on ${t.holdout.toLocaleString('en')} visitors at the holdout cutoff (${t.holdoutPositives} positive); ` +
      `${first[1]} alone ${f3(a)}, ${second[1]} alone ${f3(b)}; margin over ${first[1]} ${a === null ? '—' : signed(t.auc - a)}`,
  )
  const c = t.calibration
  console.log(
    `    calibration: Brier ${c.brier.toFixed(4)} (saying the base rate ${c.baseRate.toFixed(3)} to everyone: ${c.brierBaseRate.toFixed(4)}); ` +
      `reliability, predicted → observed (n): ` +
      c.bins
        .filter((x) => x.n)
        .map((x) => `${x.predicted.toFixed(2)} → ${x.observed.toFixed(2)} (${x.n})`)
        .join(', '),
  )
  console.log(
    `    weighs most: ${drivers(t.model, 6)
      .map((d) => `${d.feature} ${d.weight > 0 ? '+' : ''}${d.weight.toFixed(2)}`)
      .join(', ')}`,
  )
  if (t.warning) console.log(`    WARNING: ${t.warning}`)
  console.log(
    `    learnt from ${t.n.toLocaleString('en')} rows (a visitor at each training cutoff; ${t.positives} positive)`,
  )
}

for (const intent of modes) {
  const site = simulateSite({ visitors: o.visitors, seed: o.seed, intent, days: o.days })
  const timelines = site.map((v) => timelineOf(v.id, v.events, plan, [SIM_FUNNEL]))
  const events = site.reduce((s, v) => s + v.events.length, 0)
  console.log(
    `\n${intent ? 'With intent' : 'Without intent (--no-intent: steps and the goal are coin tosses)'}: ${events.toLocaleString('en')} events`,
  )
  report(
    `conversion: reaches '${SIM_FUNNEL.steps.at(-1)}' within ${o.horizon} days`,
    trainGoal(timelines, plan, SIM_FUNNEL, [SIM_FUNNEL]),
    ['step', 'current step'],
    ['visits', 'visits'],
  )
  report(
    `churn: a returning visitor does not come back within ${o.horizon} days`,
    trainChurn(timelines, plan, [SIM_FUNNEL]),
    ['recency', 'recency'],
    ['visits', 'visits'],
  )
}
