/**
 * `npm run bench`: speed, as ratios to a baseline measured in the same run (these machines are
 * noisy: absolute numbers are printed for context only). Loads go to 127.0.0.1 only, bounded
 * in time.
 *   1. ingest: POST /v1/events on ciel (wrangler dev: workerd, Durable Objects, Queue, local D1)
 *      against a no-op Hono worker that parses the same body and answers the same shape,
 *      alternating rounds, 10 connections, 20-event batches with unique ids, 1,000 visitors.
 *      Then: every acknowledged event is in D1 exactly once, and how long D1 lagged behind; and
 *      the CPU time each worker's processes used per batch (scripts/bench/cpu.mjs): where the
 *      time goes when the rates are disturbed by other work on the machine.
 *   2. retries: the same batches again (all duplicates) against their first delivery
 *   3. surveys: batches whose stall triggers a survey against plain ones
 *   4. one site at 10x the old main's rate (1,400 batches/s asked), for 10 s: what holds
 *   5. outbox: cost of recording an event (push) against JSON.stringify of the same event
 *   6. personalisation: ingest on a site with 20 segments and 10 slots against one with none,
 *      and the time of one decision in workerd (scripts/bench/personalisation.mjs)
 *   7. main thread: the snippet in headless Chromium against a blank page, Plausible's tracker and
 *      posthog-js, and the bytes of each (scripts/bench-page.mjs)
 *   8. experiments: A/A tests read every 100 visitors (false winners), power at the visitors
 *      needed, the bandit's share over 200 seeds with and without delay, equal arms'
 *      concentration (scripts/bench-experiments.mjs: seeded simulations, no worker)
 *   9. first page: how long a first visit's slot waits for its decision, and how often it is
 *      decided in time, without and with 100 ms of emulated latency (scripts/bench/firstpage.mjs)
 * BENCH_CONNECTIONS, BENCH_ROUNDS, BENCH_ROUND_MS change the load (defaults 10, 5, 4000);
 * BENCH_DISK=1 keeps the local state on disk instead of tmpfs; BENCH_ONLY=ingest runs 1-6 only,
 * BENCH_ONLY=page 7 only (BENCH_PAGE_RUNS: its runs, default 7), BENCH_ONLY=experiments 8 only
 * (BENCH_SEEDS: its seeds, default 200), BENCH_ONLY=firstpage 9 only (BENCH_FIRSTPAGE_VISITS:
 * visits per condition, default 20).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import http from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { root, serve, stopGroup } from './serve.mjs'
import { benchPersonalisation } from './bench/personalisation.mjs'
import { benchPage } from './bench-page.mjs'
import { benchExperiments } from './bench-experiments.mjs'
import { benchFirstPage } from './bench/firstpage.mjs'
import { cpuSeconds } from './bench/cpu.mjs'

const ONLY = process.env.BENCH_ONLY
if (ONLY === 'page') {
  await benchPage()
  process.exit(0)
}
if (ONLY === 'experiments') {
  await benchExperiments()
  process.exit(0)
}
if (ONLY === 'firstpage') {
  await benchFirstPage()
  process.exit(0)
}

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const PER_BATCH = 20
const VISITORS = 1000
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 4000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
/** POSTs a body; resolves with the status and the answer's text. */
function post(url, body, headers = {}) {
  // Each visitor from its own address, as on the web (the rate limit counts per site and address).
  const v = /"visitor":"bench-v(\d+)"/.exec(body)?.[1]
  if (v) headers = { ...headers, 'cf-connecting-ip': `10.0.${v >> 8}.${v & 255}` }
  return new Promise((resolve, reject) => {
    const u = new URL(url)
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        agent,
        headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (text += d))
        res.on('end', () => resolve({ status: res.statusCode, text }))
      },
    )
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')))
    req.on('error', reject)
    req.end(body)
  })
}

let seq = 0
/** A 20-event batch of a visitor of the pool, with ids no one sent before. */
function makeBatch(tag, { stall = false } = {}) {
  const n = seq++
  const v = n % VISITORS
  const now = Date.now()
  return JSON.stringify({
    site: 'demo',
    visitor: `bench-v${v}`,
    session: `bench-s${v}`,
    sentAt: now,
    events: Array.from({ length: PER_BATCH }, (_, i) =>
      stall && i === 0
        ? {
            id: `${tag}-${n}-${i}`,
            type: 'stall',
            name: 'onboarding',
            ts: now,
            url: 'https://shop.example/onboarding',
            props: { step: 'workspace', seconds: 90 },
          }
        : {
            id: `${tag}-${n}-${i}`,
            type: i % 5 ? 'click' : 'pageview',
            ts: now,
            url: 'https://shop.example/pricing',
            props: { tag: 'button', text: 'Choose Team', path: 'main>div.plans>div.card>button', topics: ['pricing'] },
          },
    ),
  })
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN

/** Closed loop: `connections` senders for `ms`; each sends the next body when its answer is in. */
async function load(url, ms, next, { connections = CONNECTIONS, headers = {}, onAnswer } = {}) {
  const end = Date.now() + ms
  const lat = []
  let errors = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const body = next()
        const t = performance.now()
        try {
          const r = await post(url, body, headers)
          if (r.status !== 200) {
            if (!errors++) console.log(`   (first error: ${r.status} ${r.text.slice(0, 200)})`)
          } else onAnswer?.(body, r.text)
        } catch (e) {
          if (!errors++) console.log(`   (first error: ${e})`)
        }
        lat.push(performance.now() - t)
      }
    }),
  )
  const secs = (performance.now() - start) / 1000
  lat.sort((a, b) => a - b)
  return { rps: lat.length / secs, p50: pct(lat, 0.5), p99: pct(lat, 0.99), requests: lat.length, errors }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function startNoop() {
  const port = await freePort()
  const child = spawn(
    `${root}node_modules/.bin/wrangler`,
    [
      'dev',
      '-c',
      'scripts/bench/wrangler.noop.toml',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'warn',
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: root,
      env: { CLOUDFLARE_CF_FETCH_ENABLED: 'false', ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
      stdio: 'ignore',
      detached: true,
    },
  )
  const url = `http://127.0.0.1:${port}/v1/events`
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      if ((await post(url, makeBatch('warm'))).status === 200) break
    } catch {}
    if (Date.now() > deadline) throw new Error('the no-op worker did not start')
    await new Promise((r) => setTimeout(r, 250))
  }
  const stop = () => stopGroup(child)
  return { url, stop, pid: child.pid }
}

/** Bytes of the local D1 database files (SQLite, with its write-ahead log). */
function d1Bytes(dir) {
  let total = 0
  const walk = (d) => {
    let entries = []
    try {
      entries = readdirSync(d, { withFileTypes: true })
    } catch {}
    for (const f of entries) {
      const p = join(d, f.name)
      if (f.isDirectory()) walk(p)
      else if (/\.sqlite(-wal)?$/.test(f.name))
        try {
          total += statSync(p).size
        } catch {} // a WAL file can go away while we look
    }
  }
  walk(join(dir, 'v3', 'd1'))
  return total
}

/** Sends each body once, `connections` at a time; answers time per batch and the parsed answers. */
async function sendAll(url, bodies, headers, connections = CONNECTIONS) {
  let next = 0
  const answers = []
  const start = performance.now()
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < bodies.length) {
        const r = await post(url, bodies[next++], headers)
        if (r.status !== 200) throw new Error(`ingest answered ${r.status}: ${r.text}`)
        answers.push(JSON.parse(r.text))
      }
    }),
  )
  return { msPerBatch: (performance.now() - start) / bodies.length, answers }
}

/** Open loop: asks for `rate` batches a second for `ms`, whatever the answers (at most `cap` in flight). */
async function openLoop(url, rate, ms, headers, cap = 400) {
  const lat = []
  let errors = 0
  let refused = 0
  let skipped = 0
  let inflight = 0
  let accepted = 0
  const pending = []
  const start = performance.now()
  for (let k = 0; ; k++) {
    const due = start + (k * 1000) / rate
    if (due - start >= ms) break
    const wait = due - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, wait))
    if (inflight >= cap) {
      skipped++
      continue
    }
    inflight++
    const t = performance.now()
    pending.push(
      post(url, makeBatch('burst'), headers).then(
        (r) => {
          inflight--
          lat.push(performance.now() - t)
          if (r.status === 200) accepted += JSON.parse(r.text).accepted
          else if (r.status === 429) refused++
          else errors++
        },
        () => (inflight--, errors++),
      ),
    )
  }
  await Promise.all(pending)
  const secs = (performance.now() - start) / 1000
  lat.sort((a, b) => a - b)
  return {
    asked: rate,
    rps: lat.length / secs,
    p50: pct(lat, 0.5),
    p99: pct(lat, 0.99),
    errors,
    refused,
    skipped,
    accepted,
  }
}

// Local state on tmpfs where there is one: this VM's disk flushes (tens of ms) stand in for
// Cloudflare's replicated storage badly, and every answer waits for one. BENCH_DISK=1 keeps it on disk.
const stateRoot = !process.env.BENCH_DISK && existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
const dir = mkdtempSync(join(stateRoot, 'ciel-bench-'))
const ciel = await serve({ port: await freePort(), persistTo: dir, quiet: true })
const noop = await startNoop()
const admin = { authorization: `Bearer ${ciel.token}` }
const headers = { origin: ciel.origin }
const url = `${ciel.origin}/v1/events`
const storedCount = async () => {
  const r = await fetch(`${ciel.origin}/v1/admin/sites/demo/events?limit=1`, { headers: admin })
  return (await r.json()).total
}
/** Waits (at most 2 min) until D1 holds `n` events; answers how long that took. */
async function caughtUp(n, since) {
  const deadline = Date.now() + 120_000
  let have = await storedCount()
  while (have < n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100))
    have = await storedCount()
  }
  return { have, secs: (Date.now() - since) / 1000 }
}
const fmt = (r) =>
  `${String(Math.round(r.rps)).padStart(5)} batches/s ${String(Math.round(r.rps * PER_BATCH)).padStart(7)} events/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms${r.errors ? `   ${r.errors} errors` : ''}`

let ackedTotal = 0
const count = (_, text) => (ackedTotal += JSON.parse(text).accepted)
try {
  // Warm both up (isolates, the first Durable Objects).
  await load(noop.url, 2000, () => makeBatch('warm'))
  await load(url, 2000, () => makeBatch('warm'), { headers, onAnswer: count })
  await caughtUp(ackedTotal, Date.now())

  // 1. Ingest against the no-op worker, alternating rounds.
  const sent = []
  const base = []
  const mine = []
  // CPU seconds each worker's process tree used, and the batches it answered in that time.
  const cpu = { noop: 0, ciel: 0, noopBatches: 0, cielBatches: 0 }
  let caught
  for (let r = 0; r < ROUNDS; r++) {
    let c0 = cpuSeconds(noop.pid)
    base.push(await load(noop.url, ROUND_MS, () => makeBatch('noop')))
    cpu.noop += cpuSeconds(noop.pid) - c0
    cpu.noopBatches += base.at(-1).requests
    c0 = cpuSeconds(ciel.pid)
    mine.push(
      await load(url, ROUND_MS, () => makeBatch('bench'), { headers, onAnswer: (b, t) => (sent.push(b), count(b, t)) }),
    )
    // Its batches are written to D1 after the answers: that work is counted until D1 caught up
    // (and kept out of the next no-op round, which it would slow down).
    caught = await caughtUp(ackedTotal, Date.now())
    cpu.ciel += cpuSeconds(ciel.pid) - c0
    cpu.cielBatches += mine.at(-1).requests
  }
  const b = base.find((x) => x.rps === median(base.map((y) => y.rps)))
  const m = mine.find((x) => x.rps === median(mine.map((y) => y.rps)))
  console.log(`local state in ${stateRoot === '/dev/shm' ? 'tmpfs (/dev/shm)' : 'a folder on disk'}`)
  console.log(
    `1. ingest: ${CONNECTIONS} connections, ${PER_BATCH}-event batches, ${VISITORS} visitors; median of ${ROUNDS} alternating ${ROUND_MS / 1000} s rounds`,
  )
  console.log(`   no-op Hono worker (parse, answer)  ${fmt(b)}`)
  console.log(`   ciel POST /v1/events               ${fmt(m)}`)
  console.log(
    `   ciel / no-op: ${((100 * m.rps) / b.rps).toFixed(0)}% of the event rate (rounds: ${mine.map((x, i) => `${((100 * x.rps) / base[i].rps).toFixed(0)}%`).join(', ')})`,
  )
  const noopMs = (1000 * cpu.noop) / cpu.noopBatches
  const cielMs = (1000 * cpu.ciel) / cpu.cielBatches
  console.log(
    `   CPU per batch (each wrangler dev's processes, user + system, from /proc): no-op ${noopMs.toFixed(2)} ms, ciel ${cielMs.toFixed(2)} ms with its D1 writes: the no-op's is ${((100 * noopMs) / cielMs).toFixed(0)}% of ciel's`,
  )
  const first = caught
  console.log(
    `   ${ackedTotal} events acknowledged, ${first.have} in D1 (${first.have === ackedTotal ? 'each once' : 'MISMATCH'}); D1 caught up ${first.secs.toFixed(1)} s after the last answer of the last round`,
  )

  // 2. Retries: 300 acknowledged batches sent again are all duplicates, and cost less.
  const some = sent.slice(0, 300)
  const fresh = Array.from({ length: 300 }, () => makeBatch('fresh'))
  const firstTime = await sendAll(url, fresh, headers)
  const retried = await sendAll(url, some, headers)
  ackedTotal += firstTime.answers.reduce((n, a) => n + a.accepted, 0)
  const dups = retried.answers.reduce((n, a) => n + a.duplicates, 0)
  const afterRetries = await caughtUp(ackedTotal, Date.now())
  console.log(
    `2. retries: ${retried.msPerBatch.toFixed(2)} ms/batch against ${firstTime.msPerBatch.toFixed(2)} for new ones (${(retried.msPerBatch / firstTime.msPerBatch).toFixed(2)}x); ${dups} of ${some.length * PER_BATCH} counted as duplicates; D1 still holds each once: ${afterRetries.have === ackedTotal}`,
  )

  // 3. A batch whose stall offers a survey, against plain ones.
  const stalls = Array.from({ length: 300 }, () => makeBatch('stall', { stall: true }))
  const plain = Array.from({ length: 300 }, () => makeBatch('plain'))
  const p = await sendAll(url, plain, headers)
  const s = await sendAll(url, stalls, headers)
  const offered = s.answers.reduce((n, a) => n + a.surveys.length, 0)
  console.log(
    `3. surveys: a batch with a stall ${s.msPerBatch.toFixed(2)} ms against ${p.msPerBatch.toFixed(2)} (${(s.msPerBatch / p.msPerBatch).toFixed(2)}x); ${offered} surveys offered to ${new Set(stalls.map((x) => JSON.parse(x).visitor)).size} visitors`,
  )
  ackedTotal += [...p.answers, ...s.answers].reduce((n, a) => n + a.accepted, 0)

  // 4. One site at 10x the old main's ingest rate (~140 batches/s), asked for 10 s.
  const before = await caughtUp(ackedTotal, Date.now())
  const bytesBefore = d1Bytes(dir)
  const burst = await openLoop(url, 1400, 10_000, headers)
  const burstEnd = Date.now()
  ackedTotal += burst.accepted
  const after = await caughtUp(ackedTotal, burstEnd)
  const bytesPerEvent = (d1Bytes(dir) - bytesBefore) / Math.max(1, after.have - before.have)
  console.log(
    `4. one site asking 1,400 batches/s (28,000 events/s) for 10 s: served ${Math.round(burst.rps)} batches/s (${Math.round(burst.rps * PER_BATCH)} events/s), p50 ${burst.p50.toFixed(0)} ms, p99 ${burst.p99.toFixed(0)} ms; ${burst.refused} refused (429), ${burst.errors} errors, ${burst.skipped} not sent (400 already in flight)`,
  )
  console.log(
    `   D1 caught up ${after.secs.toFixed(1)} s after the last answer (${after.have === ackedTotal ? 'every acknowledged event, once' : `MISMATCH: ${after.have} of ${ackedTotal}`}); ~${Math.round(bytesPerEvent)} bytes of D1 per event (rows and indexes)`,
  )

  // 6. Personalisation.
  await benchPersonalisation({
    ciel,
    noopBase: new URL(noop.url).origin,
    load,
    post,
    rounds: Math.min(ROUNDS, 3),
    roundMs: ROUND_MS,
    perBatch: PER_BATCH,
  })
} finally {
  await noop.stop()
  await ciel.stop()
  rmSync(dir, { recursive: true, force: true })
}

// 5. The outbox in isolation: memory only, a worker that acknowledges at once.
const out = join(tmpdir(), `ciel-bench-outbox-${process.pid}.mjs`)
await build({ entryPoints: ['snippet/core/outbox.ts'], bundle: true, format: 'esm', outfile: out, logLevel: 'silent' })
const { createOutbox } = await import(out)
rmSync(out)
const N = 20_000
const make = (i) => ({
  id: `id-${i}`,
  type: 'click',
  ts: 1,
  url: 'https://shop.example/',
  props: { tag: 'a', text: 'Pricing' },
})
let sink = 0
const t0 = performance.now()
for (let i = 0; i < N; i++) sink += JSON.stringify(make(i)).length
const baseline = performance.now() - t0
const box = createOutbox({ site: 's', store: null, send: async () => ({ status: 200 }), timer: () => {}, maxEvents: N })
const t1 = performance.now()
for (let i = 0; i < N; i++) box.push(make(i), 'v', 's')
const push = performance.now() - t1
console.log(
  `5. outbox: push ${((push / N) * 1000).toFixed(2)} µs/event against JSON.stringify ${((baseline / N) * 1000).toFixed(2)} µs (${(push / baseline).toFixed(2)}x)`,
)
if (!sink) console.log('')
if (ONLY !== 'ingest') {
  await benchPage()
  await benchFirstPage()
}
if (!ONLY) await benchExperiments()
process.exit(0)
