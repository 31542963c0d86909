/**
 * `npm run propensity`: how well a propensity model predicts a funnel's goal on a simulated
 * demo site (seeded, so every run prints the same). 5,000 visitors of the demo SaaS, each with a
 * hidden intent, browse 1–8 sessions; intent makes them browse more, rage-click less, come from
 * the newsletter more often, and go further through onboarding (account → workspace → invite →
 * done), each step a coin toss. Their events go through the worker's own profile code
 * (domain/profile.ts, which keeps the profile as it was before the goal) and model
 * (domain/propensity.ts). Prints the held-out AUC and what weighs most.
 */
import { build } from 'esbuild'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const out = join(tmpdir(), `ciel-propensity-${process.pid}.mjs`)
await build({
  stdin: {
    contents: `export { train, drivers } from './edge/domain/propensity'
      export { applyEvents, profileEvent } from './edge/domain/profile'`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: out,
  logLevel: 'silent',
})
const { train, drivers, applyEvents, profileEvent } = await import(out)
rmSync(out)

const VISITORS = Number(process.argv[2] ?? 5000)
const STEPS = ['account', 'workspace', 'invite', 'done']
const funnel = { id: 'onboarding', steps: STEPS }
const spec = { funnels: [funnel] }
const DAY = 86_400_000
const T0 = Date.UTC(2026, 9, 1)

let seed = 42
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())
const poisson = (l) => {
  let k = 0
  for (let p = rnd(), e = Math.exp(-l); p > e; p *= rnd()) k++
  return k
}
const sigmoid = (z) => 1 / (1 + Math.exp(-z))

let ids = 0
const rows = []
for (let v = 0; v < VISITORS; v++) {
  const intent = normal()
  const source = rnd() < sigmoid(intent - 1.5) ? 'newsletter' : rnd() < 0.3 ? 'ads' : ''
  const device = rnd() < 0.35 ? 'mobile' : 'desktop'
  const sessions = 1 + Math.min(7, poisson(Math.exp(0.4 * intent)))
  let at = T0 + rnd() * 40 * DAY
  let reached = -1
  let p = null
  for (let s = 0; s < sessions; s++) {
    const events = []
    const ev = (type, props = {}, name) => {
      at += 20_000 + rnd() * 60_000
      events.push(
        profileEvent({
          id: `e${++ids}`,
          type,
          ts: at,
          url: `https://demo.example/${s === 0 && !events.length && source ? `?utm_source=${source}` : ''}`,
          props,
          flags: 0,
          ...(name && { name }),
        }),
      )
    }
    const views = 1 + poisson(Math.max(0.5, 3 + intent))
    for (let i = 0; i < views; i++) {
      ev('pageview', { topics: rnd() < 0.3 ? ['pricing'] : ['docs'] })
      if (rnd() < sigmoid(-2.5 - intent + (device === 'mobile' ? 0.8 : 0))) ev('rage_click', { text: 'Save' })
    }
    // Each session may take the visitor one step further (harder on a phone).
    while (reached < STEPS.length - 1 && rnd() < sigmoid(0.9 * intent - 0.2 - (device === 'mobile' ? 0.5 : 0))) {
      reached++
      ev('step', { step: STEPS[reached] }, 'onboarding')
      if (rnd() < 0.5) break
    }
    if (rnd() < 0.05) ev('survey_answer', { kind: 'nps', score: Math.max(0, Math.min(10, Math.round(7 + 2 * intent))) })
    p = applyEvents(p, events, `s${v}-${s}`, at, spec, { device }, `v${v}`)
    at += (0.5 + rnd() * 5) * DAY
  }
  rows.push({ id: `v${v}`, profile: p })
}

const t = train(rows, funnel, [funnel])
console.log(`visitors ${t.n}: ${t.converters} reached 'done', ${t.others} did not; held out ${t.holdout}`)
console.log(t.model ? `AUC on the held-out visitors: ${t.auc.toFixed(3)}` : t.reason)
if (t.model)
  console.log(
    `weighs most: ${drivers(t.model, 6)
      .map((d) => `${d.feature} ${d.weight > 0 ? '+' : ''}${d.weight.toFixed(2)}`)
      .join(', ')}`,
  )
