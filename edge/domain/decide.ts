/**
 * @module decide: each slot's variant for a visitor. Pure.
 *
 * A slot's rules come first (the first whose segment or condition the profile matches), then
 * its experiment (for visitors in its audience: the variant pinned at their first exposure,
 * else the holdout or their assignment), then the legacy `byInterest` map. A slot left out
 * keeps its default content; an experiment's default arm is answered as '' (shown on purpose,
 * and counted as an exposure), with the experiment's id in `experiments`.
 */
import type { SiteConfig } from '../../snippet/contract/wire'
import type { Profile } from './profile'
import { matcher } from './segments'
import { assign } from './experiments'

export interface Decisions {
  decisions: { [slot: string]: string }
  /** Slot → experiment id, for the slots decided by an experiment. */
  experiments: { [slot: string]: string }
}

/** Per slot: a Thompson-sampled experiment's current share per arm (bandit.ts; cached by the caller). */
export type ExperimentStats = { [slot: string]: { id: string; shares: number[] } }

export function decide(
  config: SiteConfig,
  profile: Profile,
  visitor: string,
  now: number,
  stats: ExperimentStats = {},
): Decisions {
  const out: Decisions = { decisions: {}, experiments: {} }
  if (!config.slots?.length) return out
  const test = matcher(config.segments, profile, now)
  let ranked: [string, number][] | undefined
  for (const slot of config.slots) {
    const rule = slot.rules?.find((r) => test(r.when))
    if (rule) {
      out.decisions[slot.id] = rule.variant
      continue
    }
    const x = slot.experiment
    if (x && x.on !== false && (x.audience === undefined || test(x.audience))) {
      const pinned = profile.exp[slot.id]
      const s = stats[slot.id]
      out.decisions[slot.id] =
        pinned && pinned.id === x.id
          ? pinned.variant
          : assign(x, visitor, slot.id, s && s.id === x.id ? s.shares : undefined).variant
      out.experiments[slot.id] = x.id
      continue
    }
    if (slot.byInterest) {
      ranked ??= Object.entries(profile.interests.scores)
        .filter(([, s]) => s > 0)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      const rules = slot.byInterest
      const hit = ranked.find(([topic]) => Object.prototype.hasOwnProperty.call(rules, topic))
      if (hit) out.decisions[slot.id] = rules[hit[0]]!
    }
  }
  return out
}

/** What the visitors' shards need of the config to keep profiles (funnel steps, experiments). */
export function profileSpec(config: SiteConfig) {
  const experiments = (config.slots ?? []).flatMap((s) =>
    s.experiment
      ? [
          {
            slot: s.id,
            id: s.experiment.id,
            goal: s.experiment.goal,
            ...(s.experiment.guardrail ? { guardrail: s.experiment.guardrail } : {}),
            windowMs: (s.experiment.windowDays ?? 14) * 86_400_000,
            holdout: s.experiment.holdout ?? 0,
          },
        ]
      : [],
  )
  const funnels = (config.funnels ?? []).map((f) => ({ id: f.id, steps: f.steps.map((s) => s.id) }))
  return { experiments, funnels }
}
