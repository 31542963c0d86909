// @vitest-environment node
/**
 * The import boundaries in eslint.config.mjs bite: a module on the wrong side of one is
 * reported by `npm run lint` (run here through ESLint's Node API on a small source text, as
 * if it were the named file).
 */
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint()

async function refusals(filePath: string, code: string) {
  const [r] = await eslint.lintText(code, { filePath })
  return r!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('import boundaries', () => {
  it('refuses a domain module that reads the store or the jobs', async () => {
    expect(await refusals('edge/domain/example.ts', "import type { Site } from '../store/sites'\n")).toEqual([
      expect.stringContaining('edge/domain is pure'),
    ])
    expect(await refusals('edge/domain/example.ts', "import { run } from '../jobs/alerts'\n")).toHaveLength(1)
  })

  it('refuses the worker importing the dashboard, or the snippet beyond its contract', async () => {
    expect(await refusals('edge/routes/example.ts', "import { api } from '../dashboard/api'\n")).toHaveLength(1)
    expect(await refusals('edge/dashboard/example.ts', "import { start } from '../../snippet/core/index'\n")).toEqual([
      expect.stringContaining('snippet/contract/'),
    ])
  })

  it('refuses the snippet importing the worker', async () => {
    expect(await refusals('snippet/core/example.ts', "import type { Env } from '../../edge/env'\n")).toHaveLength(1)
  })

  it('lets the worker and the dashboard import the contract, and the store the domain', async () => {
    const wire = "import type { SiteConfig } from '../../snippet/contract/wire'\n"
    expect(await refusals('edge/domain/example.ts', wire)).toEqual([])
    expect(await refusals('edge/dashboard/example.ts', wire)).toEqual([])
    expect(await refusals('edge/store/example.ts', "import { matcher } from '../domain/segments'\n")).toEqual([])
  })
})
