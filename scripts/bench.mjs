/**
 * `npm run bench`: speed, as ratios to a baseline measured in the same run (these machines are
 * noisy; absolute numbers are printed for context only). Loads go to 127.0.0.1 only and are
 * bounded in count.
 *   1. ingest: POST /v1/events (50-event batches, 4 at a time) vs GET /v1/health on the same worker
 *   2. retries: the same batches again (all duplicates) vs their first delivery
 *   2b. surveys: batches whose stall event triggers a survey (history looked up) vs plain ones
 *   3. outbox: cost of recording an event (push) vs JSON.stringify of the same event
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { build } from 'esbuild'
import { serve } from './serve.mjs'

const BATCHES = 200
const PER_BATCH = 50
const CONCURRENCY = 4

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

async function timed(n, concurrency, fn) {
  let next = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++)
    }),
  )
  return performance.now() - start
}

const dir = mkdtempSync(join(tmpdir(), 'ciel-bench-'))
const edge = await serve({ port: await freePort(), persistTo: dir, quiet: true })
try {
  const origin = 'http://127.0.0.1:8787'
  const make = (tag, stall) =>
    Array.from({ length: BATCHES }, (_, b) =>
      JSON.stringify({
        site: 'demo',
        visitor: `bench-v${b % 20}`,
        session: `bench-s${b % 20}`,
        sentAt: Date.now(),
        events: Array.from({ length: PER_BATCH }, (_, i) =>
          stall && i === 0
            ? {
                id: `${tag}-${b}-${i}`,
                type: 'stall',
                name: 'onboarding',
                ts: Date.now(),
                url: 'https://shop.example/onboarding',
                props: { step: 'workspace', seconds: 90 },
              }
            : {
                id: `${tag}-${b}-${i}`,
                type: i % 5 ? 'click' : 'pageview',
                ts: Date.now(),
                url: 'https://shop.example/pricing',
                props: {
                  tag: 'button',
                  text: 'Choose Team',
                  path: 'main>div.plans>div.card>button',
                  topics: ['pricing'],
                },
              },
        ),
      }),
    )
  const batches = make('bench', false)
  const stalls = make('stall', true)
  let offered = 0
  const poster = (list) => async (i) => {
    const r = await fetch(`${edge.origin}/v1/events`, { method: 'POST', body: list[i], headers: { origin } })
    if (!r.ok) throw new Error(`ingest answered ${r.status}: ${await r.text()}`)
    const { surveys } = await r.json() // read before adding: `offered += await …` would race
    offered += surveys.length
  }
  const post = poster(batches)
  const health = async () => (await fetch(`${edge.origin}/v1/health`)).arrayBuffer()

  await timed(50, CONCURRENCY, health) // warm up
  const base = await timed(BATCHES, CONCURRENCY, health)
  const ingest = await timed(BATCHES, CONCURRENCY, post)
  const replay = await timed(BATCHES, CONCURRENCY, post)
  offered = 0
  const triggered = await timed(BATCHES, CONCURRENCY, poster(stalls))

  const events = BATCHES * PER_BATCH
  console.log(`ingest (wrangler dev + local D1, ${BATCHES} batches × ${PER_BATCH} events, ${CONCURRENCY} at a time)`)
  console.log(`  baseline GET /v1/health     ${(base / BATCHES).toFixed(2)} ms/request`)
  console.log(
    `  POST /v1/events (new)       ${(ingest / BATCHES).toFixed(2)} ms/batch   ${Math.round(events / (ingest / 1000))} events/s   ${(ingest / base).toFixed(1)}× baseline`,
  )
  console.log(
    `  POST /v1/events (retries)   ${(replay / BATCHES).toFixed(2)} ms/batch   ${Math.round(events / (replay / 1000))} events/s   ${(replay / ingest).toFixed(2)}× first delivery`,
  )
  console.log(
    `  POST /v1/events (a stall)   ${(triggered / BATCHES).toFixed(2)} ms/batch   ${offered} surveys offered   ${(triggered / ingest).toFixed(2)}× new batches`,
  )
} finally {
  await edge.stop()
  rmSync(dir, { recursive: true, force: true })
}

// The outbox in isolation: memory only, a worker that acknowledges at once.
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
console.log(`outbox (${N} events, memory store)`)
console.log(`  baseline JSON.stringify     ${((baseline / N) * 1000).toFixed(2)} µs/event`)
console.log(
  `  push                        ${((push / N) * 1000).toFixed(2)} µs/event   ${(push / baseline).toFixed(2)}× baseline`,
)
if (!sink) console.log('')
