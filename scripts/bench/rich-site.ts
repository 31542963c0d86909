/**
 * The personalisation load of `npm run bench`: a site with 20 segments and 10 slots (rules over
 * segments and conditions, experiments split and Thompson-sampled), and visitor profiles with
 * 50 interest topics, funnel progress, friction and an NPS answer.
 */
import type { SiteConfig } from '../../snippet/contract/wire'
import { emptyProfile, type Profile } from '../../edge/domain/profile'

export const TOPICS = Array.from({ length: 60 }, (_, i) => `topic-${i}`)

export function richConfig(): SiteConfig {
  const segments: SiteConfig['segments'] = Array.from({ length: 20 }, (_, i) => ({
    id: `seg-${i}`,
    rule:
      i % 4 === 0
        ? { field: `interests.topic-${i}`, op: 'gte', value: 2 }
        : i % 4 === 1
          ? {
              all: [
                { field: 'sessions', op: 'gte', value: 2 },
                { field: 'friction.rage.last', op: 'within', value: 7 },
              ],
            }
          : i % 4 === 2
            ? {
                any: [
                  { field: 'nps.group', op: 'in', value: ['detractor'] },
                  { field: 'entry.source', op: 'eq', value: `src-${i}` },
                ],
              }
            : {
                all: [
                  { segment: `seg-${i - 3}` },
                  { not: { field: 'funnels.onboarding.step', op: 'eq', value: 'done' } },
                ],
              },
  }))
  const slots: SiteConfig['slots'] = Array.from({ length: 10 }, (_, i) =>
    i % 3 === 2
      ? {
          id: `slot-${i}`,
          experiment: {
            id: `exp-${i}`,
            variants: ['a', 'b'],
            goal: { type: 'track', name: 'signup' },
            holdout: 0.1,
            allocation: i % 2 ? 'thompson' : 'split',
          },
        }
      : {
          id: `slot-${i}`,
          rules: [
            { when: `seg-${(i * 2) % 20}`, variant: 'x' },
            { when: { field: `interests.topic-${i}`, op: 'gt', value: 1 }, variant: 'y' },
            { when: `seg-${(i * 2 + 1) % 20}`, variant: 'z' },
          ],
          byInterest: { [`topic-${i}`]: 'w' },
        },
  )
  return {
    capture: { topics: { '/': ['home'] } },
    funnels: [{ id: 'onboarding', steps: [{ id: 'account' }, { id: 'invite' }, { id: 'done' }] }],
    segments,
    slots,
  }
}

/** A visitor's profile with 50 topics and a bit of everything. */
export function richProfile(i: number, now: number): Profile {
  const p = emptyProfile(now - 86_400_000 * (i % 30))
  p.sessions = 1 + (i % 7)
  p.pageviews = 3 * p.sessions
  p.interests = {
    at: now,
    scores: Object.fromEntries(TOPICS.slice(i % 10, (i % 10) + 50).map((t, j) => [t, ((i * 7 + j * 13) % 50) / 10])),
  }
  p.funnels = { onboarding: { i: i % 3, step: ['account', 'invite', 'done'][i % 3]!, at: now } }
  p.friction = { rage: { n: i % 3, last: now - 86_400_000 * (i % 10) } }
  p.nps = { score: i % 11, group: i % 11 <= 6 ? 'detractor' : i % 11 <= 8 ? 'passive' : 'promoter', at: now }
  p.entry = { source: `src-${i % 20}` }
  return p
}
