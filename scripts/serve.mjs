/**
 * Runs the product locally: applies the D1 migrations, starts `wrangler dev` on 127.0.0.1,
 * waits until it answers, then loads the sites of demo-site/sites.json through the admin API.
 * Used by `npm start` and by the e2e tests (each test run with its own database folder).
 *
 * The Cron Trigger: `wrangler dev` never fires it by itself, and its `/cdn-cgi/handler/scheduled`
 * reaches the static-assets router in front of the worker (the `[assets]` of wrangler.toml),
 * which has no scheduled handler: it answers "exception" and the worker's never runs
 * (cloudflare/workers-sdk#9882; still so in the wrangler here). `--test-scheduled` adds
 * `GET /__scheduled` inside the worker, which runs its own handler; `npm start` calls it on the
 * schedule wrangler.toml gives (hourly at minute 7), as Cloudflare would.
 */
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))
const wrangler = `${root}node_modules/.bin/wrangler`

/** The local admin token: .dev.vars, created from .dev.vars.example on first use. */
export function adminToken() {
  const file = `${root}.dev.vars`
  if (!existsSync(file)) copyFileSync(`${root}.dev.vars.example`, file)
  const m = readFileSync(file, 'utf8').match(/^ADMIN_TOKEN=(.+)$/m)
  if (!m) throw new Error('.dev.vars has no ADMIN_TOKEN= line')
  return m[1].trim()
}

/**
 * No call to Cloudflare's hosts from a local run: no metrics, and no fetch of the `request.cf`
 * sample (offline it failed twice, loudly, at every start); miniflare's placeholder is used.
 */
const env = {
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CI: 'true',
  NO_COLOR: '1',
}

/** The Cron Trigger's schedule in wrangler.toml (one, of the form `M * * * *`: hourly at minute M). */
export function cronSchedule(toml = readFileSync(`${root}wrangler.toml`, 'utf8')) {
  const cron = /^crons\s*=\s*\[\s*"([^"]+)"\s*\]/m.exec(toml)?.[1]
  if (!cron || !/^\d{1,2} \* \* \* \*$/.test(cron) || Number(cron.split(' ')[0]) > 59)
    throw new Error(`wrangler.toml: expected one hourly cron like "7 * * * *", found ${cron ?? 'none'}`)
  return cron
}

/** Milliseconds from `now` to the next run of an hourly `M * * * *` schedule (never 0). */
export function untilNextRun(cron, now) {
  const hour = 3_600_000
  const at = Number(cron.split(' ')[0]) * 60_000
  return ((at - (now % hour) + hour - 1) % hour) + 1
}

/** Runs the worker's Cron Trigger now, as Cloudflare does on the schedule (GET /__scheduled). */
export async function runCron(origin, cron = cronSchedule()) {
  const r = await fetch(`${origin}/__scheduled?cron=${encodeURIComponent(cron)}`)
  const text = await r.text()
  if (!r.ok) throw new Error(`the Cron Trigger failed: ${r.status} ${text}`)
  return text
}

/** Applies edge/store/migrations to the local D1 database (idempotent). */
export function migrate(persistTo) {
  const args = ['d1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])]
  const r = spawnSync(wrangler, args, { cwd: root, env, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`)
}

/** `http://127.0.0.1:8787` and `http://localhost:8787`: the names a browser may use for this machine. */
const localNames = (origin) => {
  const u = new URL(origin)
  if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') return [origin]
  return ['127.0.0.1', 'localhost'].map((host) => `${u.protocol}//${host}:${u.port}`)
}

export async function loadSites(origin, token, file = `${root}demo-site/sites.json`) {
  const sites = JSON.parse(readFileSync(file, 'utf8'))
  for (const { key, ...site } of sites) {
    // The demo pages are served by this same worker, whatever port it runs on, and whichever
    // name of this machine the browser was given (127.0.0.1 or localhost). Only here, in
    // development: a deployed site's origins are exactly those its owner lists.
    if (site.origins?.length) site.origins = [...new Set([...site.origins, ...localNames(origin)])]
    const r = await fetch(`${origin}/v1/admin/sites/${encodeURIComponent(key)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(site),
    })
    if (!r.ok) throw new Error(`loading site '${key}' from ${file} failed: ${r.status} ${await r.text()}`)
  }
  return sites.map((s) => s.key)
}

/** Stops a process started with `detached: true` and everything it started (wrangler starts workerd). */
export function stopGroup(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      resolve()
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {}
      resolve()
    }, 5000).unref()
  })
}

/**
 * Starts the worker. Resolves once /v1/health answers and the demo sites are loaded. It answers
 * GET /__scheduled (runs the Cron Trigger now); `cron`: also runs it on wrangler.toml's schedule.
 * `vars`: variables for the worker besides .dev.vars (`wrangler dev --var`).
 * `migrated`: the database was migrated by an earlier start (a restart: saves seconds).
 * @returns {{origin: string, token: string, stop: () => Promise<void>, output: () => string}}
 */
export async function serve({
  port = 8787,
  persistTo,
  quiet = false,
  timeoutMs = 60_000,
  cron = false,
  inspectorPort,
  vars = {},
  migrated = false,
} = {}) {
  const token = adminToken()
  if (!migrated) migrate(persistTo)
  const args = [
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--show-interactive-dev-session=false',
    '--log-level',
    quiet ? 'warn' : 'info',
  ]
  if (persistTo) args.push('--persist-to', persistTo)
  if (inspectorPort) args.push('--inspector-port', String(inspectorPort))
  // GET /__scheduled runs the Cron Trigger now (npm start on its schedule, tests and the bench at will).
  args.push('--test-scheduled')
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`)
  const child = spawn(wrangler, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let out = ''
  const keep = (d) => {
    out += d
    if (!quiet) process.stdout.write(d)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const origin = `http://127.0.0.1:${port}`
  let timer
  const stop = () => (clearTimeout(timer), stopGroup(child))
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${out}`)
    try {
      const r = await fetch(`${origin}/v1/health`)
      if (r.ok) break
    } catch {}
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`wrangler dev did not answer on ${origin} within ${timeoutMs} ms:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  try {
    await loadSites(origin, token)
  } catch (e) {
    await stop()
    throw e
  }
  if (cron) {
    const schedule = cronSchedule()
    const next = () => {
      timer = setTimeout(
        () => {
          runCron(origin, schedule).then(
            () => console.log(`ciel: ran the hourly job (${schedule})`),
            (e) => console.error(`ciel: ${e.message}`),
          )
          next()
        },
        untilNextRun(schedule, Date.now()),
      )
      timer.unref()
    }
    next()
  }
  return { origin, token, stop, output: () => out, pid: child.pid }
}
