/**
 * `npm run sentiment` as a team uses it on an export of past answers (issue 25): NDJSON in, one
 * scored line out per answer, in order; `-- --eval` prints the figures docs/surveys.md states,
 * beside the baselines, for the dev and held-out sets.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../..')
const run = (args: string[], input = '') =>
  spawnSync('npm', ['run', '-s', 'sentiment', '--', ...args], { cwd: root, input, encoding: 'utf8', timeout: 60_000 })

describe('npm run sentiment', () => {
  it('scores NDJSON answers from stdin, one line out per answer, in order', () => {
    const answers = [
      { text: 'It took forever to load' },
      { text: 'Za drogie dla małego zespołu' },
      { text: 'הכפתור לא עושה כלום', lang: 'he' },
      { text: 'سريع وبسيط، أحبه الفريق', lang: 'ar' },
      { text: 'ok', lang: 'en' },
    ]
    const r = run([], answers.map((a) => JSON.stringify(a)).join('\n') + '\n')
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(out.map((o) => [o.lang, o.label])).toEqual([
      ['en', 'negative'],
      ['pl', 'negative'],
      ['he', 'negative'],
      ['ar', 'positive'],
      ['en', 'neutral'],
    ])
    expect(out[0]).toEqual({ lang: 'en', label: 'negative', score: expect.any(Number), topics: ['speed'] })
    expect(out[1].topics).toEqual(['price', 'team'])
  })

  it('answers a line that is not an answer with an error in its place and exits 1', () => {
    const r = run([], '{"text":"Love it"}\nnot json\n{"lang":"en"}\n{"text":"Hate it"}\n')
    expect(r.status).toBe(1)
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(out.map((o) => o.label ?? 'error' in o)).toEqual(['positive', true, true, 'negative'])
  })

  it('--eval prints accuracy, macro-F1 and negative recall per language on dev and held-out, with baselines', () => {
    const r = run(['--eval'])
    expect(r.status).toBe(0)
    const rows = r.stdout
      .split('\n')
      .filter((l) => /^\| (dev|held-out) \|/.test(l))
      .map((l) => l.split('|').map((c) => c.trim()))
    const row = (set: string, scorer: RegExp, lang: string) =>
      rows.find((c) => c[1] === set && scorer.test(c[2]!) && c[3] === lang)!
    for (const lang of ['en', 'pl', 'he', 'ar']) {
      const [, , , , n, , f1, negRecall] = row('held-out', /^ciel-offline/, lang)
      expect(Number(n)).toBeGreaterThan(80)
      expect(Number(f1), lang).toBeGreaterThanOrEqual(0.85)
      expect(Number(negRecall), lang).toBeGreaterThanOrEqual(0.85)
      expect(row('dev', /^ciel-offline/, lang)).toBeDefined()
      expect(Number(row('held-out', /^majority class/, lang)[6])).toBeLessThan(0.3)
      expect(Number(row('held-out', /^old lexicon/, lang)[6])).toBeLessThan(0.6)
    }
  })
})
