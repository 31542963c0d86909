/**
 * `npm run size`: the snippet's bytes, gzip and brotli, against the budgets. Exits 1 above a
 * budget. Reads dist/manifest.json written by the build.
 *   loader         s.js                                     ≤ 1,024 B gzip
 *   loader + core  s.js + core chunk + its static imports   ≤ 6,144 B gzip
 *   outbox         the outbox with its storage, network     ≤ 3,072 B gzip
 *                  and lock (deliver.ts; lazy since issue 29:
 *                  fetched once consent allows sending)
 *   vitals         the web-vitals chunk                     ≤ 4,096 B gzip
 *   survey         the survey UI chunk (Preact, lazy)       ≤ 10,240 B gzip
 *   capture        clicks, rage and dead clicks, errors,    ≤ 3,584 B gzip
 *                  forms, stalls (lazy; one chunk since
 *                  issue 12: the budgets of the capture
 *                  chunk and of the friction chunk, added)
 *   adapters       ciel/react, ciel/vue, ciel/svelte,        ≤ 512 B gzip each
 *                  ciel/preact (the npm package's entries)
 * and the worker as `wrangler deploy --dry-run` bundles it, against Cloudflare's limit for a
 * Worker (3 MB gzip on the free plan, 10 MB on paid ones). Also the lazy parts without a budget:
 * the lock lease, the dashboard, its charts, its Polish, Hebrew and Arabic words (a chunk per
 * language, fetched only by its readers), its survey editor and the survey preview page.
 * `--markdown` prints the same rows as the table in docs/benchmarks.md; `--readme` writes them there
 * (test/e2e/size-table.test.ts checks that the docs say what this prints).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { gzipSync, brotliCompressSync, constants } from 'node:zlib'

const dir = 'dist/public/'
const manifest = JSON.parse(readFileSync('dist/manifest.json', 'utf8'))
const files = (name) => {
  const seen = new Set()
  const walk = (file) => {
    if (seen.has(file)) return
    seen.add(file)
    const entry = Object.values(manifest).find((m) => m.file === file)
    for (const i of entry?.imports ?? []) walk(i)
  }
  if (manifest[name]) walk(manifest[name].file)
  return [...seen]
}
const measure = (list, from = dir) => {
  let raw = 0,
    gz = 0,
    br = 0
  for (const f of list) {
    const buf = readFileSync(from + f)
    raw += buf.length
    gz += gzipSync(buf, { level: 9 }).length
    br += brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
  }
  return { raw, gz, br }
}

const rows = [
  { what: 'loader (s.js)', list: files('loader').slice(0, 1), budget: 1024 },
  { what: 'loader + core', list: ['s.js', ...files('core')], budget: 6144 },
  { what: 'outbox chunk (lazy)', list: files('deliver').filter((f) => f.includes('/deliver-')), budget: 3072 },
  { what: 'vitals chunk', list: files('vitals'), budget: 4096 },
  { what: 'capture chunk (lazy)', list: files('later').filter((f) => f.includes('/later-')), budget: 2048 + 1536 },
  // The friction judge (snippet/capture/verdict.ts), fetched at a page's first click.
  { what: 'friction judge (lazy)', list: files('verdict').filter((f) => f.includes('/verdict-')), budget: 2048 },
  { what: 'survey chunk (lazy)', list: files('survey').filter((f) => f.includes('/survey-')), budget: 10240 },
  // The ES module's adapters (snippet/dist, in the app's own bundle, where it minifies them): each
  // imports the module and its framework, neither counted here.
  ...['react', 'vue', 'svelte', 'preact'].map((a) => ({
    what: `adapter ciel/${a}`,
    list: [`${a}.js`],
    from: 'snippet/dist/',
    budget: 512,
  })),
  { what: 'lock lease (lazy)', list: files('lease').filter((f) => f.includes('/lease-')), budget: null },
  { what: 'dashboard', list: files('app'), budget: null },
  { what: 'dashboard charts (lazy)', list: files('uPlot.esm'), budget: null },
  // The dashboard's words in each language but English (in the dashboard itself): one is fetched, the reader's.
  ...['pl', 'he', 'ar'].map((l) => ({ what: `dashboard ${l} (lazy)`, list: files(l), budget: null })),
  { what: 'survey editor (lazy)', list: files('survey-editor').slice(0, 1), budget: null },
  { what: 'survey preview page', list: files('preview'), budget: null },
]

let over = false
/** Every row as printed: what, raw, gzip, brotli, budget (gzip), status. */
const table = []
for (const r of rows) {
  // A row whose chunk the build no longer makes is a row to remove, not one to print.
  if (!r.list.length) {
    console.error(`size: '${r.what}' is not in dist/manifest.json: was it renamed or folded into another chunk?`)
    process.exit(1)
  }
  const m = measure(r.list, r.from)
  const ok = r.budget === null || m.gz <= r.budget
  over ||= !ok
  const status = r.budget === null ? '' : ok ? `ok (${Math.round((100 * m.gz) / r.budget)}%)` : 'OVER BUDGET'
  table.push([r.what, m.raw, m.gz, m.br, r.budget ?? '-', status])
}
// The worker, bundled exactly as a deploy would (no network: --dry-run).
const WORKER_LIMIT = 3 * 1024 * 1024
const dry = spawnSync('node_modules/.bin/wrangler', ['deploy', '--dry-run', '--outdir', 'dist/worker'], {
  encoding: 'utf8',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
})
if (dry.status !== 0) {
  console.error(`\nsize: wrangler deploy --dry-run failed:\n${dry.stdout}\n${dry.stderr}`)
  process.exit(1)
}
const worker = readFileSync('dist/worker/index.js')
const wgz = gzipSync(worker, { level: 9 }).length
const wok = wgz <= WORKER_LIMIT
over ||= !wok
table.push([
  'worker (deploy bundle)',
  worker.length,
  wgz,
  '-',
  WORKER_LIMIT,
  wok ? `ok (${((100 * wgz) / WORKER_LIMIT).toFixed(1)}% of the free plan's limit)` : 'OVER THE WORKERS LIMIT',
])

const pad = (s, n) => String(s).padStart(n)
const line = ([what, raw, gz, br, budget, status]) =>
  `${what.padEnd(22)}${pad(raw, 8)}${pad(gz, 8)}${pad(br, 8)}${pad(budget, 9)}  ${status}`.trimEnd()
/** The same rows as a Markdown table: the one between the size markers of docs/benchmarks.md. */
const markdown = [
  '| what | raw | gzip | brotli | budget (gzip) | status |',
  '|---|--:|--:|--:|--:|---|',
  ...table.map((r) => `| ${r.join(' | ')} |`.replace(/ \|$/, ' |').replace('|  |', '| |')),
].join('\n')

if (process.argv.includes('--markdown')) console.log(markdown)
else console.log([line(['what', 'raw', 'gzip', 'brotli', 'budget', 'status']), ...table.map(line)].join('\n'))
// `--readme`: writes the table into docs/benchmarks.md (its "Bytes" section), so it says what this prints.
if (process.argv.includes('--readme')) {
  const doc = 'docs/benchmarks.md'
  const readme = readFileSync(doc, 'utf8')
  const block = /(<!-- size: npm run size -->\n)[\s\S]*?(\n<!-- \/size -->)/
  if (!block.test(readme)) {
    console.error(`size: ${doc} has no <!-- size: npm run size --> … <!-- /size --> block`)
    process.exit(1)
  }
  writeFileSync(
    doc,
    readme.replace(block, (_, a, b) => a + markdown + b),
  )
}
if (over) {
  console.error('\nsize: a budget is exceeded (gzip bytes). Make it smaller, or raise the budget in an issue first.')
  process.exit(1)
}
