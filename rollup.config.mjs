/**
 * Builds the browser code into dist/public, which the worker serves as static assets:
 *   s.js             the loader (classic script, short cache)
 *   c/*-[hash].js    core and its lazy chunks (ES modules, cached forever)
 *   planner.js       the demo site's Preact page (demo-site/planner.tsx), with Preact and ciel/preact bundled
 *   dashboard/       the product team's dashboard (Preact), at /dashboard/, and its charts (uPlot, a lazy chunk);
 *                    preview.html, the survey editor's preview, showing a survey with the survey chunk itself
 * and copies demo-site/ beside them. dist/manifest.json maps chunk names to files for
 * `npm run size` and the tests. Also the npm package of snippet/ (its ES module for bundler
 * users, snippet/index.ts): snippet/dist/index.js and its types, index.d.ts.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { transform } from 'esbuild'
import ts from 'typescript'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'

const OUT = 'dist/public'
const manifest = {}

/**
 * The oldest browsers the snippet runs in (README, "Privacy and consent"): what it needed
 * already, ES modules with dynamic import() for its chunks and optional chaining. Chrome 80-90
 * mishandle one optional-chaining form, a call with a spread that is not the last argument
 * (https://crbug.com/42201552): the snippet never writes it, so `?.` is kept rather than
 * lowered everywhere (esbuild would, at a cost in bytes).
 */
const FLOOR = {
  target: ['chrome80', 'edge80', 'firefox74', 'safari13.1', 'ios13.4'],
  supported: { 'optional-chain': true },
}

/**
 * TypeScript/TSX → JS with esbuild (types are checked by `tsc` in `npm run check`). With
 * `deps`, the packages bundled into the snippet (preact, idb-keyval, web-vitals) are lowered
 * to the floor too: web-vitals 6 ships class fields (Safari 14) and calls `.at(-1)`
 * (Chrome 92, Safari 15.4), which becomes `.slice(-1)[0]`, the same for arrays and strings.
 */
const tsx = (floor = null) => ({
  name: 'ts',
  async transform(code, id) {
    const dep = floor && /node_modules.*\.m?js$/.test(id)
    if (!/\.tsx?$/.test(id) && !dep) return null
    if (dep) code = code.replaceAll('.at(-1)', '.slice(-1)[0]')
    const r = await transform(code, {
      loader: dep ? 'js' : id.endsWith('x') ? 'tsx' : 'ts',
      ...(floor ?? { target: 'es2020' }),
      jsx: 'automatic',
      jsxImportSource: 'preact',
      sourcefile: id,
      sourcemap: true,
    })
    return { code: r.code, map: r.map }
  },
})

/** ecma 2020: terser may rewrite into syntax up to ES2020 (the floor's), never newer (`??=`). */
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

/** The loader learns the hashed file names of the core and of the outbox's chunk (fetched beside it) at build time. */
const defineCore = () => ({
  name: 'define-core',
  transform(code) {
    return code.includes('__CORE__') ? code.replaceAll('__CORE__', JSON.stringify('./' + manifest.core.file)) : null
  },
})

/** The survey preview learns the survey chunk's hashed file name at build time. */
const defineSurvey = () => ({
  name: 'define-survey',
  transform(code) {
    return code.includes('__SURVEY__') ? code.replaceAll('__SURVEY__', JSON.stringify(manifest.survey.file)) : null
  },
})

/** Demo site, cache headers, and the manifest. */
const finish = () => ({
  name: 'finish',
  writeBundle() {
    cpSync('demo-site', OUT, {
      recursive: true,
      // Not the demo's data nor its Preact page's source (bundled into planner.js below).
      filter: (f) => !/(sites|answers|tsconfig)\.json$|\.tsx$/.test(f),
    })
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
        // A language's words (hashed too), which the first render waits for: not asked again on each visit.
        ...['pl', 'he', 'ar'].flatMap((l) => [
          `/dashboard/${l}-*`,
          '  Cache-Control: public, max-age=31536000, immutable',
        ]),
        // The dashboard is never framed (clickjacking); its survey preview only by the dashboard itself.
        '/dashboard',
        "  Content-Security-Policy: frame-ancestors 'none'",
        '  X-Frame-Options: DENY',
        '/dashboard/*',
        "  Content-Security-Policy: frame-ancestors 'none'",
        '  X-Frame-Options: DENY',
        '/dashboard/preview',
        '  ! Content-Security-Policy',
        '  ! X-Frame-Options',
        "  Content-Security-Policy: frame-ancestors 'self'",
        '  X-Frame-Options: SAMEORIGIN',
        '',
      ].join('\n'),
    )
    manifest.loader = { file: 's.js', imports: [], dynamicImports: [manifest.core.file] }
    writeFileSync('dist/manifest.json', JSON.stringify(manifest, null, 2))
  },
})

/** The dashboard's page and the survey editor's preview page, pointing at their hashed scripts. */
const dashboardPage = () => ({
  name: 'dashboard-page',
  writeBundle(_, bundle) {
    const entry = (name) => Object.values(bundle).find((f) => f.type === 'chunk' && f.isEntry && f.name === name)
    const html = readFileSync('edge/dashboard/index.html', 'utf8').replace('APP_JS', entry('app').fileName)
    writeFileSync(`${OUT}/dashboard/index.html`, html)
    const preview = readFileSync('edge/dashboard/preview.html', 'utf8').replace('PREVIEW_JS', entry('preview').fileName)
    writeFileSync(`${OUT}/dashboard/preview.html`, preview)
    cpSync('edge/dashboard/preview.css', `${OUT}/dashboard/preview.css`)
    // uPlot's few rules first (the charts' tooltips and axes), then ours: one stylesheet, 'self' under the CSP.
    writeFileSync(
      `${OUT}/dashboard/dashboard.css`,
      readFileSync('node_modules/uplot/dist/uPlot.min.css', 'utf8') +
        '\n' +
        readFileSync('edge/dashboard/dashboard.css', 'utf8'),
    )
  },
})

/**
 * The package's types, NAME.d.ts for each entry, from its source (every export has its type
 * written out, as isolated declarations need). The adapters sit beside index.js in the package.
 */
const declarations = (files) => ({
  name: 'declarations',
  generateBundle() {
    for (const [name, file] of Object.entries(files)) {
      const r = ts.transpileDeclaration(readFileSync(file, 'utf8'), {
        fileName: file,
        compilerOptions: { lib: ['lib.es2020.d.ts', 'lib.dom.d.ts'], strict: true },
        reportDiagnostics: true,
      })
      if (r.diagnostics?.length) this.error(ts.flattenDiagnosticMessageText(r.diagnostics[0].messageText, '\n'))
      this.emitFile({
        type: 'asset',
        fileName: `${name}.d.ts`,
        source: r.outputText.replaceAll("'../index'", "'./index.js'"),
      })
    }
  },
})

/**
 * The package: the ES module, and one adapter per framework as its own entry point (ciel/react,
 * ciel/vue, ciel/svelte, ciel/preact), each importing the module's index.js and its framework
 * (a peer: never bundled).
 */
const PACKAGE = {
  index: 'snippet/index.ts',
  react: 'snippet/adapters/react.ts',
  vue: 'snippet/adapters/vue.ts',
  svelte: 'snippet/adapters/svelte.ts',
  preact: 'snippet/adapters/preact.ts',
}

const warn = (w, next) => (w.code === 'THIS_IS_UNDEFINED' ? undefined : next(w))

export default [
  {
    input: { core: 'snippet/core/index.ts' },
    preserveEntrySignatures: 'allow-extension',
    plugins: [
      clean(),
      tsx(FLOOR),
      nodeResolve({ extensions: ['.ts', '.tsx', '.js', '.mjs'] }),
      record('c/'),
      min(true),
    ],
    output: { dir: `${OUT}/c`, format: 'es', entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js' },
    onwarn: warn,
  },
  {
    input: 'snippet/loader.ts',
    plugins: [tsx(FLOOR), defineCore(), min(false)],
    output: { file: `${OUT}/s.js`, format: 'iife', strict: false },
    onwarn: warn,
  },
  {
    input: PACKAGE,
    external: ['react', 'vue', 'svelte', 'svelte/store', 'preact/hooks'],
    plugins: [tsx(FLOOR), nodeResolve({ extensions: ['.ts'] }), declarations(PACKAGE)],
    output: { dir: 'snippet/dist', format: 'es', entryFileNames: '[name].js' },
    onwarn: warn,
  },
  {
    // As a site's own build bundles its app: Preact and the adapter in one file, nothing from a CDN.
    input: 'demo-site/planner.tsx',
    plugins: [tsx(), nodeResolve({ extensions: ['.ts', '.tsx', '.js', '.mjs'] }), min(false)],
    output: { file: `${OUT}/planner.js`, format: 'iife' },
    onwarn: warn,
  },
  {
    input: { app: 'edge/dashboard/app.tsx', preview: 'edge/dashboard/preview.ts' },
    plugins: [
      tsx(),
      defineSurvey(),
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
