/**
 * `npm run bench:experiments` (or `BENCH_ONLY=experiments npm run bench`): the experiments'
 * statistics over many seeded simulated experiments, through the worker's own code
 * (edge/domain/lift.ts, bandit.ts, sample-size.ts). Seeded: every run prints the same.
 *   1. peeking: A/A tests (arms that convert alike, 5%) read after every 100 visitors up to
 *      10,000: how many ever declare a winner. ciel's verdict (the always-valid interval) against
 *      the old reading (a delta-method 95% interval of the lift, "chance to be best" ≥ 95%):
 *      a fixed 50/50 split; conversions up to 600 visitors late; three arms; and the bandit's
 *      shifting split while the base rate drifts from 3% to 9%.
 *   2. power: A/B tests with the lift the visitors needed were planned for: the share that the
 *      verdict finds within them (planned: 80%).
 *   3. the bandit: over 2,000 visitors, the share of exposures the arm converting twice as well
 *      gets (5% against 10%), without delay and with conversions up to 600 visitors late; and
 *      how often equal arms put more than 80% of visitors on one arm. Against the old Thompson
 *      sampling (a Beta draw per visitor from all exposures, a young one counted as a failure).
 * The simulated site: visitors arrive one at a time; a "day" is 100 visitors (the periods the
 * lift and the bandit compare within); the bandit's shares are re-read every 50 visitors (the
 * worker's 30 s cache). BENCH_SEEDS changes the number of seeds (default 200).
 */
import { build } from 'esbuild'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const out = join(tmpdir(), `ciel-bench-experiments-${process.pid}.mjs`)
await build({
  stdin: {
    contents: `export { alwaysValidP, TAUS } from './edge/domain/lift'
      export { banditShares } from './edge/domain/bandit'
      export { visitorsPerArm } from './edge/domain/sample-size'
      export { rng, beta, posteriorOf } from './edge/domain/experiments'`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: out,
  logLevel: 'silent',
})
const { alwaysValidP, TAUS, banditShares, visitorsPerArm, rng, beta, posteriorOf } = await import(out)
rmSync(out)

const SEEDS = Number(process.env.BENCH_SEEDS ?? 200)
const DAY = 100
const pct = (x) => `${(x * 100).toFixed(1)}%`
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]

/** The old reading's interval: delta method on the log ratio of pooled rates, 95%. */
function oldLift(a, b) {
  if (!a.exposed || !b.exposed || !b.conversions || !a.conversions) return null
  const pa = a.conversions / a.exposed
  const pb = b.conversions / b.exposed
  const se = Math.sqrt((1 - pa) / a.conversions + (1 - pb) / b.conversions)
  const r = pa / pb
  return [r * Math.exp(-1.959964 * se) - 1, r * Math.exp(1.959964 * se) - 1]
}

/**
 * One simulated experiment: `rate(arm, t)` the true rate, `share(t, days)` the arms' shares for
 * visitor t, conversions arriving up to `delay` visitors late, `look(t, days)` after each
 * 100th visitor. days[d][arm] = {exposed, conversions} as known at the time.
 */
function simulate({ seed, arms, visitors, rate, share, delay = 0, look, every = DAY, day = DAY }) {
  const r = rng(seed)
  const days = []
  const pending = []
  const shown = new Array(arms).fill(0)
  // What the last 200 visitors saw: where the allocation has got to by the end.
  const last = new Array(arms).fill(0)
  for (let t = 0; t < visitors; t++) {
    while (pending.length && pending[0][0] <= t) {
      const [, d, a] = pending.shift()
      days[d][a].conversions++
    }
    const d = Math.floor(t / day)
    days[d] ??= Array.from({ length: arms }, () => ({ exposed: 0, conversions: 0 }))
    const s = share(t, days)
    let u = r()
    let a = 0
    while (a < arms - 1 && (u -= s[a]) >= 0) a++
    shown[a]++
    if (t >= visitors - 200) last[a]++
    days[d][a].exposed++
    if (r() < rate(a, t)) {
      const late = delay ? Math.floor(r() * (delay + 1)) : 0
      if (!late) days[d][a].conversions++
      else {
        // Kept in order of arrival.
        let i = pending.length
        while (i > 0 && pending[i - 1][0] > t + late) i--
        pending.splice(i, 0, [t + late, d, a])
      }
    }
    if (look && (t + 1) % every === 0 && look(t, days) === false) break
  }
  return Object.assign(shown, { last })
}

const pooled = (days, a) =>
  days.reduce((s, d) => ({ exposed: s.exposed + d[a].exposed, conversions: s.conversions + d[a].conversions }), {
    exposed: 0,
    conversions: 0,
  })
const periods = (days, a, c = 0) => days.map((d) => ({ control: d[c], arm: d[a] }))

/** The bandit's shares for visitor t: re-read every 50 visitors from the days so far. */
function banditShare(arms, t0 = 0) {
  let shares = new Array(arms).fill(1 / arms)
  return (t, days) => {
    if (t % 50 === 0 && t > t0)
      shares = banditShares(
        days.map((d, i) => ({ age: (t - (i + 0.5) * DAY) / DAY, arms: d })),
        arms,
      )
    return shares
  }
}

/** The old Thompson sampling: per visitor, one Beta draw per arm from pooled counts read every 50 visitors. */
function oldThompson(arms, seed) {
  const r = rng(seed ^ 0x5bd1e995)
  let counts = new Array(arms).fill({ exposed: 0, conversions: 0 })
  return (t, days) => {
    if (t % 50 === 0) counts = Array.from({ length: arms }, (_, a) => pooled(days, a))
    let best = 0
    let top = -1
    counts.forEach((c, a) => {
      const x = beta(1 + c.conversions, 1 + c.exposed - c.conversions, r)
      if (x > top) ((top = x), (best = a))
    })
    return counts.map((_, a) => (a === best ? 1 : 0))
  }
}

/** Prints sections 1-3. */
export async function benchExperiments() {
  console.log(`8. experiments: ${SEEDS} seeded runs per line (scripts/bench-experiments.mjs)`)

  // 1. Peeking.
  function peeking(label, { arms = 2, rate = () => 0.05, delay = 0, bandit = false }) {
    let ciel = 0
    let oldInterval = 0
    let oldBest = 0
    const started = Date.now()
    for (let seed = 0; seed < SEEDS; seed++) {
      const seen = { ciel: false, interval: false, best: false }
      const alpha = 0.05 / (arms - 1)
      simulate({
        seed: 1000 + seed,
        arms,
        visitors: 10_000,
        rate: (a, t) => rate(t),
        delay,
        share: bandit ? banditShare(arms) : () => new Array(arms).fill(1 / arms),
        look: (t, days) => {
          for (let a = 1; a < arms; a++) {
            if (!seen.ciel && alwaysValidP(periods(days, a)) < alpha) seen.ciel = true
            const l = oldLift(pooled(days, a), pooled(days, 0))
            if (l && (l[0] > 0 || l[1] < 0)) seen.interval = true
          }
          if (!seen.best) {
            const { probabilityBest } = posteriorOf(
              Array.from({ length: arms }, (_, a) => pooled(days, a)),
              500,
              t,
            )
            if (Math.max(...probabilityBest) >= 0.95) seen.best = true
          }
        },
      })
      ciel += seen.ciel
      oldInterval += seen.interval
      oldBest += seen.best
    }
    console.log(
      `  ${label}: ciel's verdict ${pct(ciel / SEEDS)} | old: interval excludes 0 ${pct(oldInterval / SEEDS)}, ` +
        `chance to be best ≥ 95% ${pct(oldBest / SEEDS)}  (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    )
  }
  console.log('8.1 A/A tests read every 100 visitors up to 10,000: runs that ever declare a winner (target ≤ 5%)')
  peeking('fixed 50/50 split, 5%', {})
  peeking('conversions up to 600 visitors late', { delay: 600 })
  peeking('three arms (default and two variants)', { arms: 3 })
  peeking('the bandit, base rate 3% then 9% from visitor 5,000', {
    bandit: true,
    rate: (t) => (t < 5000 ? 0.03 : 0.09),
  })

  // 2. Power at the visitors needed.
  console.log('8.2 A/B tests at the visitors needed for their lift: share found (planned 80%)')
  for (const [base, lift, every] of [
    [0.05, 0.5, DAY],
    [0.05, 0.1, 10 * DAY],
  ]) {
    const perArm = visitorsPerArm(base, base * (1 + lift), { taus: TAUS })
    const fixed = visitorsPerArm(base, base * (1 + lift))
    let found = 0
    const when = []
    for (let seed = 0; seed < SEEDS; seed++) {
      let at = null
      simulate({
        seed: 5000 + seed,
        arms: 2,
        visitors: 2 * perArm,
        rate: (a) => (a ? base * (1 + lift) : base),
        share: () => [0.5, 0.5],
        every,
        day: every,
        look: (t, days) => {
          const l = periods(days, 1)
          if (alwaysValidP(l) < 0.05) {
            at = t + 1
            return false
          }
        },
      })
      if (at !== null) ((found += 1), when.push(at))
    }
    console.log(
      `  +${lift * 100}% at ${base * 100}%: ${perArm.toLocaleString('en')} per arm (a fixed-horizon test: ` +
        `${fixed.toLocaleString('en')}); found in ${pct(found / SEEDS)}, median after ` +
        `${when.length ? quantile(when, 0.5).toLocaleString('en') : '-'} visitors in all (read every ${every})`,
    )
  }

  // 3. The bandit.
  console.log('8.3 The bandit over 2,000 visitors (5% against 10%; equal arms at 5%)')
  for (const delay of [0, 600]) {
    const rows = []
    for (const [name, policy] of [
      ['ciel', () => banditShare(2)],
      ['old Thompson', (seed) => oldThompson(2, seed)],
    ]) {
      const better = []
      const reached = []
      let concentrated = 0
      for (let seed = 0; seed < SEEDS; seed++) {
        const shown = simulate({
          seed: 9000 + seed,
          arms: 2,
          visitors: 2000,
          rate: (a) => (a ? 0.1 : 0.05),
          share: policy(seed),
          delay,
        })
        better.push(shown[1] / 2000)
        reached.push(shown.last[1] / 200)
        const equal = simulate({
          seed: 19000 + seed,
          arms: 2,
          visitors: 2000,
          rate: () => 0.05,
          share: policy(seed + 7),
          delay,
        })
        if (Math.max(...equal) / 2000 > 0.8) concentrated++
      }
      rows.push(
        `  ${name}, ${delay ? `conversions up to ${delay} visitors late` : 'no delay'}: the 2× arm gets ≥ 80% in ` +
          `${pct(better.filter((x) => x >= 0.8).length / SEEDS)} of seeds (target ≥ 95%; median ${pct(quantile(better, 0.5))}, ` +
          `5th percentile ${pct(quantile(better, 0.05))}); ≥ 80% of visitors 1,801-2,000 in ` +
          `${pct(reached.filter((x) => x >= 0.8).length / SEEDS)} of seeds; equal arms > 80% on one arm in ${pct(concentrated / SEEDS)} (target ≤ 10%)`,
      )
    }
    for (const row of rows) console.log(row)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchExperiments()
