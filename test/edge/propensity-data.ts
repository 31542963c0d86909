/** Visitors' event histories for the prediction tests: seeded, so the same on every run. */
import type { HistoryEvent } from '../../edge/domain/forward'
import { applyEvents, profileEvent, type Profile } from '../../edge/domain/profile'
import { random } from '../random'

export const DAY = 86_400_000
export const ONBOARDING = { id: 'onboarding', steps: ['account', 'workspace', 'invite', 'done'] }

export interface History {
  id: string
  events: HistoryEvent[]
}

/** One visitor's events: `session(at)` opens a session, `add` puts an event in it a little later. */
function recorder(id: string) {
  const events: HistoryEvent[] = []
  let at = 0
  let session = ''
  let sessions = 0
  return {
    events,
    session(t: number) {
      at = t
      session = `${id}-s${sessions++}`
    },
    add(type: string, props: HistoryEvent['props'] = {}, o: { name?: string; url?: string; flags?: number } = {}) {
      at += 30_000
      events.push({
        id: `${id}-${events.length + 1}`,
        session,
        type,
        ts: Math.round(at),
        url: o.url ?? 'https://shop.example/',
        props,
        flags: o.flags ?? 0,
        name: o.name ?? null,
      })
    },
  }
}

const step = (s: string) => ['step', { step: s }, { name: 'onboarding' }] as const

/**
 * Visitors who finish onboarding right after inviting their team, in one session. Sessions come at
 * one steady rate for everyone; in a session a visitor may pass 'account' or 'workspace' (coin
 * tosses), and 1 in 20 sessions invites and finishes. Seen just before their goal, every converter
 * is at 'invite' and nobody else ever is: the snapshot the old model learnt from gives them away.
 * Looking forward from a cutoff, nothing a visitor did tells whether they finish next.
 */
export function inviteThenDone(n: number, seed: number, end: number, days = 120): History[] {
  const r = random(seed)
  return Array.from({ length: n }, (_, v) => {
    const id = `v${v}`
    const rec = recorder(id)
    let done = false
    for (let at = end - r() * days * DAY; at < end - 3_600_000; at += (-Math.log(1 - r()) / 0.1) * DAY) {
      rec.session(at)
      for (let i = 0, k = 1 + Math.floor(r() * 3); i < k; i++) rec.add('pageview', { topics: ['docs'] })
      if (r() < 0.3) rec.add(...step(r() < 0.5 ? 'account' : 'workspace'))
      if (!done && r() < 0.05) {
        rec.add(...step('invite'))
        rec.add(...step('done'))
        done = true
      }
    }
    return { id, events: rec.events }
  })
}

/**
 * Visitors who came from a partner's link all finish at their next visit, within 12 days; nobody else
 * ever does. Who converts next is known before any cutoff, perfectly: what a leak looks like.
 */
export function partnerAlwaysConverts(n: number, seed: number, end: number, days = 120): History[] {
  const r = random(seed)
  return Array.from({ length: n }, (_, v) => {
    const id = `p${v}`
    const rec = recorder(id)
    const partner = r() < 0.3
    const first = end - r() * days * DAY
    for (let at = first, s = 0; at < end - 3_600_000; at += (1 + r() * 11) * DAY, s++) {
      rec.session(at)
      rec.add('pageview', {}, { url: `https://shop.example/${s === 0 && partner ? '?utm_source=partner' : ''}` })
      if (partner && s === 1) {
        rec.add(...step('account'))
        rec.add(...step('done'))
      }
      if (!partner && r() < 0.3) rec.add(...step('account'))
    }
    return { id, events: rec.events }
  })
}

/**
 * The visitor's profile as their shard keeps it: each run of events of one session in time order
 * is one batch.
 */
export function shardProfile(h: History, funnels = [ONBOARDING]): Profile | null {
  const sorted = [...h.events].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1))
  let p: Profile | null = null
  for (let i = 0; i < sorted.length;) {
    let j = i
    while (j < sorted.length && sorted[j]!.session === sorted[i]!.session) j++
    const run = sorted
      .slice(i, j)
      .map((e) =>
        profileEvent({ ...e, name: e.name ?? undefined, url: e.url ?? undefined, props: e.props ?? undefined }),
      )
    p = applyEvents(p, run, sorted[i]!.session, run[0]!.ts, { funnels }, { device: 'desktop' }, h.id)
    i = j
  }
  return p
}

/** The chance that a positive scores above a negative (ties count half). */
function rankAuc(scores: number[], labels: number[]): number {
  let wins = 0
  let pairs = 0
  for (let i = 0; i < scores.length; i++)
    if (labels[i])
      for (let j = 0; j < scores.length; j++)
        if (!labels[j]) ((pairs += 1), (wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0))
  return wins / pairs
}

/**
 * What the old model measured: converters read just before their goal, everyone else as they are
 * now; the AUC of the funnel's current step alone on that snapshot.
 */
export function snapshotStepAuc(histories: History[]): number {
  const scores: number[] = []
  const labels: number[] = []
  for (const h of histories) {
    const p = shardProfile(h)
    if (!p) continue
    const before = p.before?.onboarding
    scores.push(before ? (before.funnels.onboarding ?? -1) : (p.funnels.onboarding?.i ?? -1))
    labels.push(before ? 1 : 0)
  }
  return rankAuc(scores, labels)
}
