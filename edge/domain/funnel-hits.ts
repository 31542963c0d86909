/**
 * @module funnel-hits: a funnel's rows as its read sends them (store/insights/ordered.ts),
 * gathered by visitor: each visitor's hits, and who is followed through the steps or counted as
 * reaching step 1 only. Pure.
 */
import { keysOf, maskOf, type FirstOnly, type Hits, type StepRule } from './funnel-steps'
import { DAY_MS } from './spans'

/**
 * Rows of a day as read: `r` is the JSON text, without its brackets, of their visitors and
 * times (`"visitor",time,time,"visitor",time,…`; a time below DAY_MS is from the day's
 * midnight), all of steps `mask`, or when it is null, each key's after the key
 * (`["key"],"visitor",time,…,["key"],…`). `src`: LISTED for stored rows of the funnel's keys,
 * BY_START for rows read by a key's start (raw events, a page pattern with too many keys), which
 * may be of no step.
 */
export interface HitRows {
  src: number
  mask: number | null
  day: number
  r: string
}

export const LISTED = 0
export const BY_START = 1

/** What a read gives: visitors to follow through the steps, and those counted apart. */
export interface Gathered {
  /**
   * Visitors with a step-1 event and a step-2 event on that day or after (at most `cap`, the
   * first by id): their hits, in the order read (orderHits puts them in time order).
   */
  visitors: { visitor: string; hits: Hits }[]
  /** Those with a step-1 event and no step-2 event then or after: they reached step 1 only. */
  firstOnly: FirstOnly
  truncated: boolean
}

/** What the rows of a key are taken as: the steps their events are, and maybe step 1 or 2. */
interface Kind {
  mask: number
  first: boolean
  second: boolean
}

/**
 * Each visitor's hits from the read's rows, and who is followed. A row is taken as step 1 and
 * as step 2 as its key is, or when read by a key's start, as step 1 when under step 1's key and
 * always as maybe step 2 (its visitors are followed, and matched exactly). `listed`: how many of
 * those who reached step 1 only are listed, the latest to start (their first step 1) first.
 */
export function gatherHits(rules: StepRule[], rows: HitRows[], listed: number, cap: number): Gathered {
  const step1 = keysOf(rules[0]!)
  const under1 = (key: string) => ('key' in step1 ? key === step1.key : key.startsWith(step1.prefix))
  const ofMask = (mask: number): Kind => ({ mask, first: mask % 2 === 1, second: Math.floor(mask / 2) % 2 === 1 })
  const kinds = [new Map<string, Kind>(), new Map<string, Kind>()]
  const kindOf = (src: number, key: string) => {
    const known = kinds[src === LISTED ? 0 : 1]!
    let k = known.get(key)
    if (!k) {
      const mask = maskOf(rules, key)
      k = src === LISTED ? ofMask(mask) : { mask, first: under1(key), second: true }
      known.set(key, k)
    }
    return k
  }
  // Per visitor (by number): id, first day taken as step 1, last taken as maybe step 2, first
  // step-1 time; per hit, its visitor, time and steps, in flat arrays (hits are many, mostly few
  // a visitor: an array pair each cost more than reading them).
  const index = new Map<string, number>()
  const ids: string[] = []
  const start: number[] = []
  const second: number[] = []
  const at: number[] = []
  let who = new Int32Array(1024)
  let ts = new Float64Array(1024)
  let mask = new Float64Array(1024)
  let n = 0
  for (const row of rows) {
    const items = JSON.parse(`[${row.r}]`) as (string[] | string | number)[]
    let kind: Kind = row.mask === null ? { mask: 0, first: false, second: false } : ofMask(row.mask)
    let v = -1
    for (let i = 0; i < items.length; i++) {
      const x = items[i]!
      if (typeof x === 'number') {
        // A time below a day's length is from the row's midnight.
        const t = x < DAY_MS ? x + row.day * DAY_MS : x
        if (kind.mask) {
          if (n === ts.length) {
            who = grown(who, new Int32Array(n * 2))
            ts = grown(ts, new Float64Array(n * 2))
            mask = grown(mask, new Float64Array(n * 2))
          }
          who[n] = v
          ts[n] = t
          mask[n++] = kind.mask
        }
        if (kind.first && t < at[v]!) at[v] = t
      } else if (typeof x === 'string') {
        v = index.get(x) ?? -1
        if (v < 0) {
          index.set(x, (v = ids.length))
          ids.push(x)
          start.push(Infinity)
          second.push(-Infinity)
          at.push(Infinity)
        }
        if (kind.first && row.day < start[v]!) start[v] = row.day
        if (kind.second && row.day > second[v]!) second[v] = row.day
      } else kind = kindOf(row.src, x[0]!)
    }
  }
  // Each visitor's hits side by side, in the order read.
  const from = new Int32Array(ids.length + 1)
  for (let i = 0; i < n; i++) from[who[i]! + 1]!++
  for (let v = 0; v < ids.length; v++) from[v + 1]! += from[v]!
  const next = from.slice(0, ids.length)
  const byTs = new Float64Array(n)
  const byMask = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const j = next[who[i]!]!++
    byTs[j] = ts[i]!
    byMask[j] = mask[i]!
  }
  const followed: number[] = []
  const latest: { visitor: string; ts: number }[] = []
  for (let v = 0; v < ids.length; v++) {
    if (start[v] === Infinity) continue
    if (second[v]! >= start[v]!) followed.push(v)
    else latest.push({ visitor: ids[v]!, ts: at[v]! })
  }
  latest.sort((a, b) => b.ts - a.ts || byId(a.visitor, b.visitor))
  // More to follow than `cap`: the first by id.
  if (followed.length > cap) followed.sort((a, b) => byId(ids[a]!, ids[b]!))
  const visitors = followed.slice(0, cap).map((v) => ({
    visitor: ids[v]!,
    hits: { ts: byTs.subarray(from[v]!, from[v + 1]!), mask: byMask.subarray(from[v]!, from[v + 1]!) },
  }))
  return {
    visitors,
    firstOnly: { visitors: latest.length, latest: latest.slice(0, listed) },
    truncated: followed.length > cap,
  }
}

/** `to` with `from`'s values at its start. */
function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from)
  return to
}

/** Visitor ids in SQLite's order (binary; ids are ASCII). */
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
