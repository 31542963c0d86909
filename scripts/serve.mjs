/**
 * Runs the product locally: applies the D1 migrations, starts `wrangler dev` on 127.0.0.1,
 * waits until it answers, then loads the sites of demo-site/sites.json through the admin API.
 * Used by `npm start` and by the e2e tests (each test run with its own database folder).
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

/** Applies edge/store/migrations to the local D1 database (idempotent). */
export function migrate(persistTo) {
  const args = ['d1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])]
  const r = spawnSync(wrangler, args, { cwd: root, env, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`)
}

export async function loadSites(origin, token, file = `${root}demo-site/sites.json`) {
  const sites = JSON.parse(readFileSync(file, 'utf8'))
  for (const { key, ...site } of sites) {
    // The demo pages are served by this same worker, whatever port it runs on.
    if (site.origins?.length && !site.origins.includes(origin)) site.origins = [...site.origins, origin]
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
 * Starts the worker. Resolves once /v1/health answers and the demo sites are loaded.
 * `scheduled`: also answer GET /__scheduled (runs the Cron Trigger).
 * `migrated`: the database was migrated by an earlier start (a restart: saves seconds).
 * @returns {{origin: string, token: string, stop: () => Promise<void>, output: () => string}}
 */
export async function serve({
  port = 8787,
  persistTo,
  quiet = false,
  timeoutMs = 60_000,
  scheduled = false,
  inspectorPort,
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
  // GET /__scheduled runs the Cron Trigger now (the insights bench rolls up its data set so).
  if (scheduled) args.push('--test-scheduled')
  const child = spawn(wrangler, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let out = ''
  const keep = (d) => {
    out += d
    if (!quiet) process.stdout.write(d)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const origin = `http://127.0.0.1:${port}`
  const stop = () => stopGroup(child)
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
  return { origin, token, stop, output: () => out, pid: child.pid }
}
