/**
 * The size table of docs/benchmarks.md says what `npm run size` prints: the same rows, the same bytes. Runs the
 * size script on the build in dist/ (as `npm test` leaves it) and compares.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

describe("docs/benchmarks.md's size table", () => {
  it('lists exactly the rows and bytes npm run size prints (node scripts/size.mjs --readme rewrites it)', () => {
    const root = new URL('../../', import.meta.url)
    const printed = execFileSync('node', ['scripts/size.mjs', '--markdown'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    }).trim()
    const readme = readFileSync(new URL('docs/benchmarks.md', root), 'utf8')
    const table = /<!-- size: npm run size -->\n([\s\S]*?)\n<!-- \/size -->/.exec(readme)?.[1]
    expect(table, 'docs/benchmarks.md has no size block').toBeDefined()
    expect(table).toBe(printed)
    expect(printed).toMatch(/^\| loader \(s\.js\) \|/m)
  }, 180_000)
})
