/**
 * `npm run deploy`: puts ciel on your Cloudflare account, creating what is missing.
 *
 *   1. builds the snippet, dashboard and demo (npm run build)
 *   2. the D1 database `ciel` (created if missing), written into wrangler.deploy.toml
 *   3. the R2 bucket `ciel-archive` and the queues `ciel-ingest`, `ciel-ingest-dead`, `ciel-jobs`
 *   4. the D1 migrations, applied remotely
 *   5. `wrangler deploy`
 *   6. the ADMIN_TOKEN secret, generated (and printed once) if the Worker has none
 *
 * Needs `wrangler login` (or CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID). Safe to run again:
 * every step keeps what exists. `npm run deploy -- --dry-run` only bundles the Worker and
 * prints its size (no account, no network), which is what CI does.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const wrangler = `${root}node_modules/.bin/wrangler`
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }
const DEPLOY_CONFIG = 'wrangler.deploy.toml'

/** Runs a command; answers its output, or stops with what it said. */
function run(cmd, args, { input, allow } = {}) {
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', input })
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`
  if (r.status !== 0 && !(allow && allow.test(out))) {
    console.error(`\ndeploy: \`${[cmd === wrangler ? 'wrangler' : cmd, ...args].join(' ')}\` failed:\n${out}`)
    process.exit(1)
  }
  return out
}
const step = (what) => console.log(`\n• ${what}`)

step('building the snippet, the dashboard and the demo')
run('npm', ['run', 'build'])

if (process.argv.includes('--dry-run')) {
  step('bundling the Worker (dry run: nothing is sent)')
  console.log(run(wrangler, ['deploy', '--dry-run', '--outdir', 'dist/worker']).trim())
  process.exit(0)
}

step('checking the Cloudflare account')
run(wrangler, ['whoami'], {})
  .split('\n')
  .filter((l) => /logged in|account/i.test(l))
  .slice(0, 3)
  .forEach((l) => console.log(`  ${l.trim()}`))

step('D1 database "ciel"')
const list = () => JSON.parse(run(wrangler, ['d1', 'list', '--json']))
let db = list().find((d) => d.name === 'ciel')
if (!db) {
  run(wrangler, ['d1', 'create', 'ciel'])
  db = list().find((d) => d.name === 'ciel')
  console.log('  created')
} else console.log('  exists')
if (!db?.uuid) throw new Error('deploy: could not find the id of the D1 database "ciel"')
const config = readFileSync(`${root}wrangler.toml`, 'utf8').replace(
  /database_id = "[^"]*"/,
  `database_id = "${db.uuid}"`,
)
writeFileSync(
  `${root}${DEPLOY_CONFIG}`,
  `# Written by npm run deploy: wrangler.toml with this account's D1 id.\n${config}`,
)
console.log(`  id ${db.uuid} (in ${DEPLOY_CONFIG})`)

step('R2 bucket and queues')
const exists = /already exists|already taken|already in use|10004|11009/i
for (const [kind, name] of [
  ['r2 bucket', 'ciel-archive'],
  ['queues', 'ciel-ingest'],
  ['queues', 'ciel-ingest-dead'],
  ['queues', 'ciel-jobs'],
]) {
  const out = run(wrangler, [...kind.split(' '), 'create', name], { allow: exists })
  console.log(`  ${name}: ${exists.test(out) ? 'exists' : 'created'}`)
}

step('D1 migrations (remote)')
console.log(
  run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--remote', '-c', DEPLOY_CONFIG], { input: 'y\n' }).trim(),
)

step('deploying the Worker')
const deployed = run(wrangler, ['deploy', '-c', DEPLOY_CONFIG])
const url = /https:\/\/\S+\.workers\.dev/.exec(deployed)?.[0]
console.log(deployed.trim().split('\n').slice(-6).join('\n'))

step('admin token')
const secrets = JSON.parse(run(wrangler, ['secret', 'list', '--format', 'json', '-c', DEPLOY_CONFIG]) || '[]')
if (secrets.some((s) => s.name === 'ADMIN_TOKEN')) console.log('  ADMIN_TOKEN is set (kept)')
else {
  const token = randomBytes(32).toString('hex')
  run(wrangler, ['secret', 'put', 'ADMIN_TOKEN', '-c', DEPLOY_CONFIG], { input: token })
  console.log(`  ADMIN_TOKEN set. It is shown this once; keep it in your password manager:\n\n    ${token}\n`)
}

console.log(`
ciel is deployed${url ? ` at ${url}` : ''}.
  Create a site:   curl -X PUT ${url ?? 'https://YOUR_WORKER'}/v1/admin/sites/my-site \\
                     -H 'authorization: Bearer <ADMIN_TOKEN>' \\
                     -d '{"name":"My site","origins":["https://www.example.com"]}'
  Add the tag:     see README, "Add it to your site"
  Dashboard:       ${url ?? 'https://YOUR_WORKER'}/dashboard/
`)
