/**
 * The npm package of snippet/ (the ES module for bundler users), as a site owner gets it: packed
 * with `npm pack`, installed from the tarball into a throw-away project (offline: it has no
 * dependencies), type-checked and bundled there with esbuild, and the bundle run in Chromium
 * against the real worker.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { build } from 'esbuild'
import { eventually, storedEvents, useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()
const root = join(import.meta.dirname, '../..')
const project = mkdtempSync(join(tmpdir(), 'ciel-package-'))
afterAll(() => rmSync(project, { recursive: true, force: true }))

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  })

describe('the npm package', () => {
  it('packs, installs, type-checks and bundles in a new project, and the bundle sends events', async () => {
    // Packed from the built folder (npm test builds first), into the throw-away project.
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', project], join(root, 'snippet')))
    expect(packed.files.map((f: { path: string }) => f.path).sort()).toEqual([
      'dist/index.d.ts',
      'dist/index.js',
      'dist/preact.d.ts',
      'dist/preact.js',
      'dist/react.d.ts',
      'dist/react.js',
      'dist/svelte.d.ts',
      'dist/svelte.js',
      'dist/vue.d.ts',
      'dist/vue.js',
      'package.json',
    ])
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }))
    npm(['install', join(project, packed.filename)], project)

    writeFileSync(
      join(project, 'main.ts'),
      [
        "import { load, track, identify } from 'ciel'",
        'declare const EDGE: string',
        `load({ site: '${env.site}', host: EDGE })`,
        "track('bundled', { plan: 'pro' })",
        "identify('u-7')",
        '// @ts-expect-error the types are real: a name is a string',
        'track(42)',
      ].join('\n'),
    )
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'ESNext',
          moduleResolution: 'Bundler',
          target: 'ES2020',
          lib: ['ES2020', 'DOM'],
          types: [],
        },
        files: ['main.ts'],
      }),
    )
    // Types resolve through the package's `exports` (a wrong type would fail here).
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' })

    const out = join(project, 'bundle.js')
    await build({
      entryPoints: [join(project, 'main.ts')],
      absWorkingDir: project,
      bundle: true,
      format: 'iife',
      outfile: out,
      define: { EDGE: JSON.stringify(env.edge.origin) },
      logLevel: 'silent',
    })
    const bundle = readFileSync(out, 'utf8')
    expect(bundle.length).toBeLessThan(2000) // the calls only: the snippet itself comes from the edge

    const page = await env.browser.newPage()
    await page.route(`${env.edge.origin}/shop`, (r) =>
      r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Shop</title><p>Shop</p>' }),
    )
    await page.goto(`${env.edge.origin}/shop`)
    await page.addScriptTag({ content: bundle })
    await eventually(async () => {
      const stored = await storedEvents(env.edge, env.site, '&type=track')
      expect(stored.events.some((e) => e.name === 'bundled' && e.props?.plan === 'pro')).toBe(true)
    }, 20_000)
    expect(await page.evaluate(() => document.querySelectorAll('script[src$="/s.js"]').length)).toBe(1)
    await page.close()
  })
})
