/**
 * @module profile: one visitor's profile, kept up to date from the events stored for the first
 * time (never from a replay). Pure: the visitor's Durable Object (state/visitor.ts) stores it,
 * the ingest route reads it to decide, and a snapshot of it goes to D1 for the team's lists.
 *
 * Bounded in size: at most 50 interests, 50 surveys; the traits are the identify event's
 * props, which the batch schema already bounds (32 KB).
 */
import type { Json } from '../../snippet/core/wire'
import { score, topicsOf, type InterestState } from './interests'
import { FLAG } from './flags'

/** What the profile needs of an event (not its props: they can be large and stay in D1). */
export interface ProfileEvent {
  id: string
  type: string
  name?: string
  /** Corrected event time. */
  ts: number
  topics: string[]
  /** identify: the traits. */
  traits?: { [key: string]: Json } | null
  flags: number
}

export interface Profile {
  firstSeen: number
  lastSeen: number
  /** Sessions seen (a new session id counts one). */
  sessions: number
  lastSession: string
  /** Events stored for this visitor. */
  events: number
  /** The user the visitor was last identified as (verified, where the site asks for it). */
  user: { id: string; traits: { [key: string]: Json } | null; at: number } | null
  interests: InterestState
  /** Survey id → when it was last shown. */
  surveys: { [id: string]: number }
}

const MAX_SURVEYS = 50

/** Brings the profile up to date with newly stored events of one batch. */
export function applyEvents(prev: Profile | null, events: ProfileEvent[], session: string, now: number): Profile {
  const p: Profile = prev
    ? { ...prev, user: prev.user, surveys: { ...prev.surveys } }
    : {
        firstSeen: now,
        lastSeen: now,
        sessions: 0,
        lastSession: '',
        events: 0,
        user: null,
        interests: { at: now, scores: {} },
        surveys: {},
      }
  if (!events.length) return p
  p.lastSeen = Math.max(p.lastSeen, now)
  p.events += events.length
  if (session !== p.lastSession) ((p.sessions += 1), (p.lastSession = session))
  for (const e of events) {
    if (e.type === 'identify' && e.name && !(e.flags & FLAG.unverified) && (!p.user || e.ts >= p.user.at))
      p.user = { id: e.name, traits: e.traits ?? null, at: e.ts }
    if (e.type === 'survey_shown' && e.name) p.surveys[e.name] = Math.max(p.surveys[e.name] ?? 0, e.ts)
  }
  const ids = Object.keys(p.surveys)
  if (ids.length > MAX_SURVEYS)
    for (const id of ids.sort((a, b) => p.surveys[a]! - p.surveys[b]!).slice(0, ids.length - MAX_SURVEYS))
      delete p.surveys[id]
  p.interests = score(
    p.interests,
    events.map((e) => ({ type: e.type, props: { topics: e.topics } })),
    now,
  )
  return p
}

/** The part of an event the profile reads. */
export function profileEvent(e: {
  id: string
  type: string
  name?: string
  ts: number
  props?: { [key: string]: Json }
  flags: number
}): ProfileEvent {
  const out: ProfileEvent = { id: e.id, type: e.type, ts: e.ts, topics: topicsOf(e), flags: e.flags }
  if (e.name !== undefined) out.name = e.name
  if (e.type === 'identify') out.traits = e.props ?? null
  return out
}
