/**
 * One `npm test`, three environments (vitest projects):
 *   snippet: happy-dom (+ fake-indexeddb), the browser code alone
 *   edge:    inside workerd with a local D1 (@cloudflare/vitest-pool-workers)
 *   e2e:     node driving Debian's Chromium against `wrangler dev` and the built snippet
 */
import { defineConfig } from 'vitest/config'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'

export default defineConfig(async () => {
  const migrations = await readD1Migrations('edge/store/migrations')
  return {
    test: {
      reporters: ['default', './test/summary-reporter.ts'],
      projects: [
        {
          test: {
            name: 'snippet',
            include: ['test/snippet/**/*.test.ts'],
            environment: 'happy-dom',
            // Scripts added by the page are not fetched: the snippet's own tests never need them.
            environmentOptions: {
              happyDOM: {
                url: 'https://shop.example/',
                settings: { disableJavaScriptFileLoading: true, handleDisabledFileLoadingAsSuccess: true },
              },
            },
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: { bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: 'test-admin-token' } },
            }),
          ],
          test: {
            name: 'edge',
            include: ['test/edge/**/*.test.ts'],
            setupFiles: ['test/edge/apply-migrations.ts'],
          },
        },
        {
          test: {
            name: 'e2e',
            include: ['test/e2e/**/*.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 120_000,
            // One wrangler dev and one Chromium at a time on a 2-core machine.
            fileParallelism: false,
          },
        },
      ],
    },
  }
})
