/**
 * CPU time of a `wrangler dev` process tree (wrangler's node, its esbuild watcher, the dev proxy's
 * workerd and the worker's workerd), read from /proc: what the batches cost the machine. Under
 * `wrangler dev` the worker, its Durable Objects, the queue and D1 all run on one workerd
 * thread (measured: one thread per process takes all the time), so that thread is the limit.
 */
import { readFileSync, readdirSync } from 'node:fs'

const TICK = 100 // USER_HZ on Linux

/** Process ids of `root` and all its descendants. */
function tree(root) {
  const kids = new Map()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (!kids.has(ppid)) kids.set(ppid, [])
      kids.get(ppid).push(Number(d))
    } catch {}
  }
  const all = []
  const walk = (p) => {
    all.push(p)
    for (const k of kids.get(p) ?? []) walk(k)
  }
  walk(root)
  return all
}

/** CPU seconds (user + system) used so far by `root`'s process tree. */
export function cpuSeconds(root) {
  let ticks = 0
  for (const p of tree(root)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8')
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(f[11]) + Number(f[12]) // utime, stime
    } catch {}
  }
  return ticks / TICK
}
