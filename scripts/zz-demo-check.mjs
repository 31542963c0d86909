// Throwaway: the demo (npm run simulate) with and without intent, trained looking 7 days ahead.
import { serve } from './serve.mjs'
import { simulate } from './simulate.mjs'
import { rmSync } from 'node:fs'
const port = 8890 + (process.argv[2] === 'no' ? 1 : 0)
const dir = `/tmp/ciel-demo-predict-${process.argv[2]}`
rmSync(dir, { recursive: true, force: true })
const server = await serve({ port, persistTo: dir })
try {
  const o = { visitors: 600, origin: server.origin, site: 'demo', days: 28, concurrency: 6, maxSeconds: 900, seed: 1, intent: process.argv[2] !== 'no' }
  const s = await simulate(o)
  console.log('sent', s.events, 'events', s.visitors, 'visitors')
  await new Promise((ok) => setTimeout(ok, 5000))
  const h = { authorization: `Bearer ${server.token}` }
  const t = await fetch(`${server.origin}/v1/insights/propensity/train?site=demo&horizon=7`, { method: 'POST', headers: h })
  console.log('train', t.status)
  const g = await (await fetch(`${server.origin}/v1/insights/propensity?site=demo`, { headers: h })).json()
  for (const f of g.funnels) console.log(f.funnel, f.ready, f.message, 'auc', f.auc, f.baselines, 'holdout', f.holdout, f.holdoutConverters, 'n', f.n, f.converters, 'warning', f.warning, 'brier', f.calibration?.brier, f.calibration?.brierBaseRate, JSON.stringify(f.drivers))
  const c = g.churn
  console.log('churn', c.ready, c.message, 'auc', c.auc, c.baselines, c.holdout, c.holdoutChurned, c.warning)
} finally {
  await server.stop()
}
