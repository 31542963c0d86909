/** The README's shell examples run as written against a started worker (its origin and token swapped in). */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { useEdge } from './harness'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
/** Every ```sh block that calls the API (the npm and wrangler ones are run by CI itself). */
const examples = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => b.includes('curl'))

// The examples change the demo site: here they change a copy of it, on the shared worker.
const env = useEdge()

describe("the README's examples", () => {
  it('has some', () => expect(examples.length).toBeGreaterThan(0))

  it.each(examples.map((e, i) => [i, e] as const))('example %i answers 2xx', (_, example) => {
    const script = example
      .replaceAll('http://127.0.0.1:8787', env.edge.origin)
      .replaceAll('ciel-demo-admin', env.edge.token)
      .replaceAll('site=demo', `site=${env.site}`)
      .replaceAll('/sites/demo', `/sites/${env.site}`)
    // curl fails on a 4xx/5xx, and says what the worker answered.
    const out = execFileSync('bash', ['-c', `set -e\ncurl() { command curl -sS --fail-with-body "$@"; }\n${script}`], {
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(() => JSON.parse(out)).not.toThrow()
  })
})
