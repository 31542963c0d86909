type CielEnv = import('../../edge/env').Env

declare namespace Cloudflare {
  interface Env extends CielEnv {
    ADMIN_TOKEN: string
    TEST_MIGRATIONS: import('@cloudflare/vitest-pool-workers').D1Migration[]
  }
}
