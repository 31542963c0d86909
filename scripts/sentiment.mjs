/**
 * `npm run sentiment`: the offline scorer (edge/domain/text/analyse.ts) from the command line.
 *
 *   npm run -s sentiment < answers.ndjson     one `{"text", "lang"?}` per line in, one
 *                                             `{"lang", "label", "score", "topics"}` per line out, in order
 *   npm run sentiment -- --eval               accuracy, macro-F1 and negative recall per language on the
 *                                             dev and held-out sets (test/edge/sentiment/) and the older
 *                                             set of issue 10 (labelled.json), beside two baselines: the
 *                                             majority class of dev, and the old lexicon
 *   npm run sentiment -- --eval --dev         the dev set only (what tuning may look at)
 *   npm run sentiment -- --eval --errors      also list the answers each set gets wrong
 */
import { build } from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const out = join(tmpdir(), `ciel-sentiment-${process.pid}.mjs`)
await build({
  stdin: {
    contents: `export { analyse, detectLang, SCORER } from './edge/domain/text/analyse'
      export { polarity } from './edge/domain/sentiment'`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: out,
  logLevel: 'silent',
})
const { analyse, polarity, SCORER } = await import(out)
rmSync(out)

const args = process.argv.slice(2)
if (args.includes('--eval')) evaluate()
else await score()

/** NDJSON in, NDJSON out; a line that is not `{"text": string}` gets `{"error"}` in its place (and the exit code 1). */
async function score() {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (!line.trim()) continue
    let a
    try {
      a = JSON.parse(line)
    } catch {
      a = null
    }
    if (!a || typeof a.text !== 'string') {
      console.log(JSON.stringify({ error: 'each line must be a JSON object with a "text" string' }))
      process.exitCode = 1
      continue
    }
    const r = analyse(a.text, typeof a.lang === 'string' ? a.lang : undefined)
    console.log(JSON.stringify({ lang: r.lang, label: r.label, score: r.score, topics: r.topics }))
  }
}

function evaluate() {
  const LANGS = ['en', 'pl', 'he', 'ar']
  const LABELS = ['positive', 'neutral', 'negative']
  const load = (name) => JSON.parse(readFileSync(`test/edge/sentiment/${name}.json`, 'utf8')).answers
  const dev = load('dev')
  const sets = args.includes('--dev')
    ? [['dev', dev]]
    : [
        ['dev', dev],
        ['held-out', load('heldout')],
        // Written for issue 10 by another session: the old lexicon's own test set, never tuned to here.
        ['issue-10', load('labelled')],
      ]
  /** The sceptic's first baseline: always the most frequent label of dev. */
  const majority = LABELS.map((l) => [l, dev.filter((a) => a.label === l).length]).sort((a, b) => b[1] - a[1])[0][0]
  const scorers = [
    [`${SCORER.name} v${SCORER.version}`, (a) => analyse(a.text, a.lang).label],
    [`majority class (${majority})`, () => majority],
    ['old lexicon polarity()', (a) => polarity(a.text, a.lang)],
  ]
  const metrics = (rows, guess) => {
    const got = rows.map(guess)
    const f1 = LABELS.map((l) => {
      const tp = rows.filter((a, i) => a.label === l && got[i] === l).length
      const p = tp / (got.filter((g) => g === l).length || 1)
      const r = tp / (rows.filter((a) => a.label === l).length || 1)
      return p + r ? (2 * p * r) / (p + r) : 0
    })
    const neg = rows.filter((a) => a.label === 'negative')
    return {
      n: rows.length,
      acc: rows.filter((a, i) => a.label === got[i]).length / rows.length,
      f1: f1.reduce((s, x) => s + x, 0) / LABELS.length,
      negRecall: rows.filter((a, i) => a.label === 'negative' && got[i] === 'negative').length / (neg.length || 1),
      wrong: rows.map((a, i) => ({ ...a, got: got[i] })).filter((a) => a.got !== a.label),
    }
  }
  const pct = (x) => x.toFixed(2)
  console.log('| set | scorer | lang | n | accuracy | macro-F1 | negative recall |')
  console.log('|---|---|---|---|---|---|---|')
  for (const [set, rows] of sets)
    for (const [name, guess] of scorers)
      for (const lang of [...LANGS, 'all']) {
        const m = metrics(
          rows.filter((a) => lang === 'all' || a.lang === lang),
          guess,
        )
        console.log(`| ${set} | ${name} | ${lang} | ${m.n} | ${pct(m.acc)} | ${pct(m.f1)} | ${pct(m.negRecall)} |`)
      }
  if (args.includes('--errors'))
    for (const [set, rows] of sets) {
      console.log(`\n${set}: wrong`)
      for (const a of metrics(rows, scorers[0][1]).wrong)
        console.log(`  ${a.lang} ${a.label} -> ${a.got}${a.case ? ` [${a.case}]` : ''}: ${a.text}`)
    }
}
