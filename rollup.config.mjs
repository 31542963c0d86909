/**
 * Builds the browser code into dist/public, which the worker serves as static assets:
 *   s.js             the loader (classic script, short cache)
 *   c/*-[hash].js    core and its lazy chunks (ES modules, cached forever)
 *   dashboard/       the product team's dashboard (Preact), at /dashboard/
 * and copies demo-site/ beside them. dist/manifest.json maps chunk names to files for
 * `npm run size` and the tests.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { transform } from 'esbuild'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'

const OUT = 'dist/public'
const manifest = {}

/** TypeScript/TSX → JS with esbuild (types are checked by `tsc` in `npm run check`). */
const ts = () => ({
  name: 'ts',
  async transform(code, id) {
    if (!/\.tsx?$/.test(id)) return null
    const r = await transform(code, {
      loader: id.endsWith('x') ? 'tsx' : 'ts',
      target: 'es2020',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      sourcefile: id,
      sourcemap: true,
    })
    return { code: r.code, map: r.map }
  },
})

const min = (module) =>
  terser({ ecma: 2020, module, compress: { passes: 3, unsafe_arrows: true }, format: { comments: false } })

/** Starts from an empty output folder (first build only). */
const clean = () => ({
  name: 'clean',
  buildStart() {
    rmSync(OUT, { recursive: true, force: true })
  },
})

/** Records the hashed file of each chunk. */
const record = (prefix) => ({
  name: 'record',
  generateBundle(_, bundle) {
    for (const f of Object.values(bundle)) {
      if (f.type !== 'chunk') continue
      manifest[f.name] = {
        file: prefix + f.fileName,
        imports: f.imports.map((i) => prefix + i),
        dynamicImports: f.dynamicImports.map((i) => prefix + i),
      }
    }
  },
})

/** The loader learns the core's hashed file name at build time. */
const defineCore = () => ({
  name: 'define-core',
  transform(code) {
    return code.includes('__CORE__') ? code.replaceAll('__CORE__', JSON.stringify('./' + manifest.core.file)) : null
  },
})

/** Demo site, cache headers, and the manifest. */
const finish = () => ({
  name: 'finish',
  writeBundle() {
    cpSync('demo-site', OUT, { recursive: true, filter: (f) => !f.endsWith('sites.json') })
    writeFileSync(
      `${OUT}/_headers`,
      [
        '/s.js',
        '  Access-Control-Allow-Origin: *',
        '  Cache-Control: public, max-age=300, stale-while-revalidate=86400',
        '/c/*',
        '  Access-Control-Allow-Origin: *',
        '  Cache-Control: public, max-age=31536000, immutable',
        '/dashboard/app-*',
        '  Cache-Control: public, max-age=31536000, immutable',
        '',
      ].join('\n'),
    )
    manifest.loader = { file: 's.js', imports: [], dynamicImports: [manifest.core.file] }
    writeFileSync('dist/manifest.json', JSON.stringify(manifest, null, 2))
  },
})

/** The dashboard's page, pointing at its hashed script. */
const dashboardPage = () => ({
  name: 'dashboard-page',
  writeBundle(_, bundle) {
    const app = Object.values(bundle).find((f) => f.type === 'chunk' && f.isEntry)
    const html = readFileSync('edge/dashboard/index.html', 'utf8').replace('APP_JS', app.fileName)
    writeFileSync(`${OUT}/dashboard/index.html`, html)
    cpSync('edge/dashboard/dashboard.css', `${OUT}/dashboard/dashboard.css`)
  },
})

const warn = (w, next) => (w.code === 'THIS_IS_UNDEFINED' ? undefined : next(w))

export default [
  {
    input: { core: 'snippet/core/index.ts' },
    preserveEntrySignatures: 'allow-extension',
    plugins: [clean(), ts(), nodeResolve({ extensions: ['.ts', '.tsx', '.js', '.mjs'] }), record('c/'), min(true)],
    output: { dir: `${OUT}/c`, format: 'es', entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js' },
    onwarn: warn,
  },
  {
    input: 'snippet/loader.ts',
    plugins: [ts(), defineCore(), min(false)],
    output: { file: `${OUT}/s.js`, format: 'iife', strict: false },
    onwarn: warn,
  },
  {
    input: { app: 'edge/dashboard/app.tsx' },
    plugins: [
      ts(),
      nodeResolve({ extensions: ['.ts', '.tsx', '.js', '.mjs'] }),
      record('dashboard/'),
      min(true),
      dashboardPage(),
      finish(),
    ],
    output: {
      dir: `${OUT}/dashboard`,
      format: 'es',
      entryFileNames: '[name]-[hash].js',
      chunkFileNames: '[name]-[hash].js',
    },
    onwarn: warn,
  },
]
