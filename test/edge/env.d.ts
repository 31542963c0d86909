// The worker's bindings come from edge/worker-configuration.d.ts (`wrangler types`); the tests add theirs.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('@cloudflare/vitest-pool-workers').D1Migration[]
  }
}
