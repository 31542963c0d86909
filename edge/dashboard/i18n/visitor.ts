/**
 * @module dashboard/i18n/visitor: the words of one visitor's timeline (visitor.tsx) in
 * English (Polish, Hebrew and Arabic: i18n/pl|he|ar/visitor.ts); the visitor's own data (ids, pages, traits, answers) stays as it is.
 */
import type { Message } from '../i18n'

export const visitorText = {
  openVisitor: 'Open visitor {id}',
  visitorTitle: 'Visitor {id}',
  vNotIdentified: 'not identified',
  vTraits: 'Traits',
  vSeen: 'Seen',
  vSeenRange: '{from} – {to}, {sessions}',
  vSegments: 'Segments',
  vFrom: 'from {source}',
  vUnknown: 'unknown',
  vBot: 'bot (left out of insights)',
  vChance: 'Chance to convert',
  vChanceTo: '{pct} to reach {goal} ({funnel})',
  vLanded: 'Landed on',
  vNoInterest: 'No interest scored yet (pages carry topics: see the {readme}).',
  vAnswers: 'Survey answers',
  vNoAnswer: 'No answer.',
  vFriction: 'Friction seen',
  vNone: 'None.',
  'friction:u_turn': 'U-turns',
  'friction:stall': 'Stalled steps',
  vTimeline: 'Timeline',
  vNewest: 'The newest {shown} of {n} events.',
  vEvents: { one: '{n} event.', other: '{n} events.' },
  vSession: 'Session from {start}',
  vSessionEvents: { one: '({n} event)', other: '({n} events)' },
  vErase: 'Erase this visitor',
} satisfies Record<string, Message>
