/** Synthetic visitors' profiles for the propensity tests: seeded, so the same on every run. */
import { emptyProfile, type Profile } from '../../edge/domain/profile'
import { random } from './helpers'

export const T = 1_800_000_000_000
export const DAY = 86_400_000
export const ONBOARDING = { id: 'onboarding', steps: ['account', 'profile', 'invite', 'done'] }
export const FUNNELS = [ONBOARDING]

export interface Shape {
  pageviews: number
  sessions: number
  rage: number
  device?: string
  /** The furthest onboarding step reached before the goal (index). */
  step?: number
}

/**
 * A visitor's profile: `before` is what a converter was just before the goal, `now` what the
 * profile says now. Everyone's latest activity (the goal, for converters) is `at`.
 */
export function profile(now: Shape, converts: boolean, before: Shape = now, at = T): Profile {
  const p = emptyProfile(at - 10 * DAY)
  const shape = (s: Shape) => ({
    sessions: s.sessions,
    pageviews: s.pageviews,
    events: s.pageviews * 3,
    friction: s.rage ? { rage: { n: s.rage, last: at - DAY } } : {},
  })
  Object.assign(p, shape(now), { lastSeen: at, device: now.device ?? 'desktop' })
  const step = before.step ?? 1
  if (converts) {
    p.funnels = { onboarding: { i: 3, step: 'done', at } }
    p.before = {
      onboarding: { ...shape(before), at, interests: { at, scores: {} }, funnels: { onboarding: step } },
    }
  } else p.funnels = { onboarding: { i: step, step: ONBOARDING.steps[step]!, at: at - DAY } }
  return p
}

/** Converters browse a lot and rarely rage-click; the others the reverse: separable. */
export function separable(n: number, seed = 1, at = T) {
  const r = random(seed)
  return Array.from({ length: n }, (_, i) => {
    const y = r() < 0.4
    const s: Shape = y
      ? { pageviews: 12 + Math.floor(r() * 10), sessions: 2 + Math.floor(r() * 3), rage: Math.floor(r() * 2) }
      : { pageviews: 1 + Math.floor(r() * 8), sessions: 1, rage: 1 + Math.floor(r() * 4) }
    return { id: `v${i}`, profile: profile(s, y, s, at) }
  })
}

/** Features drawn the same way for everyone, labels by coin toss: nothing to learn. */
export function noise(n: number, seed = 2) {
  const r = random(seed)
  return Array.from({ length: n }, (_, i) => {
    const s: Shape = {
      pageviews: 1 + Math.floor(r() * 20),
      sessions: 1 + Math.floor(r() * 4),
      rage: Math.floor(r() * 3),
      device: r() < 0.3 ? 'mobile' : 'desktop',
      step: Math.floor(r() * 3),
    }
    return { id: `v${i}`, profile: profile(s, r() < 0.5) }
  })
}
