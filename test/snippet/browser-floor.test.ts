/**
 * The snippet runs in Chrome/Edge 80, Firefox 74 and Safari 13.1 and later (README, "Privacy
 * and consent"). A built-in those browsers lack makes every call that reaches it throw, and the
 * guard then drops the call: `ciel('consent', 'denied')` included. This scan fails when snippet
 * code names one (`tsc -p snippet` also checks against the ES2020 library; this covers the DOM
 * and what the library types do not tell). test/e2e/old-browsers.test.ts runs the built
 * snippet without them.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newerBuiltIns } from './floor'

const ROOT = join(import.meta.dirname, '../../snippet')

function sources(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
  )
}

describe('browser floor', () => {
  it('snippet code uses no built-in newer than Chrome 80, Firefox 74 and Safari 13.1', () => {
    const files = sources().map((f) => ({ name: f.slice(ROOT.length + 1), text: readFileSync(f, 'utf8') }))
    expect(files.length).toBeGreaterThan(20)
    expect(newerBuiltIns(files)).toEqual([])
  })

  it('the scan finds what it looks for, and not in comments', () => {
    const found = newerBuiltIns([
      {
        name: 'x.ts',
        text: [
          '// Object.hasOwn is too new',
          'if (Object.hasOwn(a, k)) list.at(-1)',
          "const s = 'x.replaceAll(y)'",
          'const c = structuredClone(v)',
        ].join('\n'),
      },
    ])
    expect(found).toEqual([
      'x.ts:2  Object.hasOwn (Chrome 93, Firefox 92, Safari 15.4)',
      'x.ts:2  Array/String.prototype.at (Chrome 92, Firefox 90, Safari 15.4)',
      'x.ts:4  structuredClone (Chrome 98, Firefox 94, Safari 15.4)',
    ])
  })
})
