/**
 * One `npm test`, three environments (vitest projects):
 *   snippet: happy-dom (+ fake-indexeddb), the browser code alone
 *   edge:    inside workerd with a local D1, Durable Objects, Queues, R2 (@cloudflare/vitest-pool-workers)
 *   e2e:     node driving Debian's Chromium against `wrangler dev` and the built snippet
 *   engines: the core journeys in Debian's Chromium, Firefox ESR and WebKitGTK (test/e2e/engines.ts)
 */
import { configDefaults, defineConfig } from 'vitest/config'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'

export default defineConfig(async () => {
  const migrations = await readD1Migrations('edge/store/migrations')
  return {
    test: {
      reporters: ['default', './test/summary-reporter.ts'],
      // Two files at once even on 2 cores (vitest's default there is one): most of an e2e or
      // engines file is waiting on the product's own timers, so the suite takes 6 minutes, not 8.
      maxWorkers: 2,
      projects: [
        {
          test: {
            name: 'snippet',
            include: ['test/snippet/**/*.test.ts'],
            environment: 'happy-dom',
            setupFiles: ['test/snippet/setup.ts'],
            // Some tests run the outbox on real timers (seconds): room for a machine loaded by
            // the edge and browser tests running beside them; a passing wait ends at once.
            testTimeout: 20_000,
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
              miniflare: {
                // Sites are read from D1 on every request (tests change them directly), and the
                // queues deliver at once instead of gathering a batch for a second.
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: 'test-admin-token',
                  SITE_CACHE_MS: '0',
                  // Failed survey alerts are retried at once (the schedule has a test of its own).
                  ALERT_RETRY_BASE_S: '0',
                  // As deployed: webhooks reach public https hosts only, whatever a local .dev.vars allows.
                  ALERTS_ALLOW_HOSTS: '',
                },
                queueConsumers: { 'ciel-ingest': { maxBatchTimeout: 0 }, 'ciel-jobs': { maxBatchTimeout: 0 } },
              },
            }),
          ],
          test: {
            name: 'edge',
            include: ['test/edge/**/*.test.ts'],
            // Some tests wait for the ingest queue to deliver thousands of batches.
            testTimeout: 30_000,
            setupFiles: ['test/edge/apply-migrations.ts'],
          },
        },
        {
          test: {
            name: 'e2e',
            include: ['test/e2e/**/*.test.ts'],
            exclude: [...configDefaults.exclude, 'test/e2e/engines.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 120_000,
            // One wrangler dev for the project (files that restart a worker start their own); each
            // file makes its own sites on it (test/e2e/harness.ts).
            globalSetup: ['test/e2e/global-setup.ts'],
            // One Chromium at a time on a 2-core machine.
            fileParallelism: false,
          },
        },
        {
          test: {
            // The core journeys in Chromium, Firefox ESR and WebKitGTK (CIEL_ENGINES picks some):
            // one file, one worker, so it may run beside the other projects where there are cores.
            name: 'engines',
            include: ['test/e2e/engines.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  }
})
