/**
 * Part 6 of `npm run bench`: what personalisation costs. Ingest on a site with 20 segments and
 * 10 slots (rules, split and Thompson-sampled experiments; profiles growing to 50 topics)
 * against the same ingest on a site with none, alternating rounds; and the time of one
 * decision in workerd (the no-op worker runs `decide` on 50-topic profiles).
 */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]

export async function benchPersonalisation({ ciel, noopBase, load, rounds, roundMs, perBatch }) {
  const rich = await (await fetch(`${noopBase}/bench/rich-config`)).json()
  const admin = { authorization: `Bearer ${ciel.token}`, 'content-type': 'application/json' }
  for (const [key, config] of [
    ['bench-plain', {}],
    ['bench-rich', rich],
  ]) {
    const r = await fetch(`${ciel.origin}/v1/admin/sites/${key}`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ origins: [ciel.origin], config }),
    })
    if (!r.ok) throw new Error(`bench site ${key}: ${r.status} ${await r.text()}`)
  }
  let seq = 0
  const batch = (site) => {
    const n = seq++
    const v = n % 1000
    const now = Date.now()
    return JSON.stringify({
      site,
      visitor: `bench-v${v}`,
      session: `bench-s${v}-${Math.floor(n / 5000)}`,
      sentAt: now,
      events: Array.from({ length: perBatch }, (_, i) => ({
        id: `${site}-${n}-${i}`,
        type: i % 5 ? 'click' : 'pageview',
        ts: now,
        url: 'https://shop.example/',
        props: { topics: [`topic-${(n + i) % 60}`, `topic-${(n * 7 + i) % 60}`] },
      })),
    })
  }
  const headers = { origin: ciel.origin }
  const url = `${ciel.origin}/v1/events`
  let decided = 0
  const plain = []
  const withRules = []
  await load(url, 2000, () => batch('bench-rich'), { headers })
  for (let r = 0; r < rounds; r++) {
    plain.push(await load(url, roundMs, () => batch('bench-plain'), { headers }))
    withRules.push(
      await load(url, roundMs, () => batch('bench-rich'), {
        headers,
        onAnswer: (_, t) => (decided += Object.keys(JSON.parse(t).decisions).length),
      }),
    )
  }
  const p = plain.find((x) => x.rps === median(plain.map((y) => y.rps)))
  const w = withRules.find((x) => x.rps === median(withRules.map((y) => y.rps)))
  const answers = withRules.reduce((n, x) => n + x.requests, 0)
  console.log(
    `6. personalisation: ingest on a site with 20 segments and 10 slots ${w.rps.toFixed(0)} batches/s (p50 ${w.p50.toFixed(0)} ms, p99 ${w.p99.toFixed(0)} ms) against ${p.rps.toFixed(0)} on a site with none: ${((100 * w.rps) / p.rps).toFixed(0)}% (rounds: ${withRules.map((x, i) => `${((100 * x.rps) / plain[i].rps).toFixed(0)}%`).join(', ')}); ${(decided / Math.max(1, answers)).toFixed(1)} slots decided per answer`,
  )
  // Decision time: 300 requests of 100 decisions each, every one for another 50-topic profile.
  const times = []
  for (let i = 0; i < 300; i++) times.push((await (await fetch(`${noopBase}/bench/decide?n=100`)).json()).ms)
  console.log(
    `   one decision (20 segments, 10 slots, 50-topic profile) in workerd: p50 ${(1000 * median(times)).toFixed(0)} µs, p99 ${(1000 * pct(times, 0.99)).toFixed(0)} µs (mean of 100 per request, 300 requests)`,
  )
}
