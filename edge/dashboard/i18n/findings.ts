/**
 * @module dashboard/i18n/findings: what the worker finds and sends as data, said here in
 * English (Polish, Hebrew and Arabic: i18n/pl|he|ar/findings.ts): an experiment's verdict (`verdictFacts`), why an answer alerted
 * (`reasonFacts`), why a model is missing (`messageFacts`) and its leakage warning, what a
 * hotspot's clicks did (`did`) and the segment a view is narrowed to. The API's English
 * sentences stay for its other readers. Numbers come in already written in the reader's locale;
 * arm, event, goal and segment names are `<bdi>` elements (`tx`).
 */
import type { Message } from '../i18n'

export const findingsText = {
  // personalisation.tsx: the verdict (edge/domain/verdict.ts)
  vdMismatch:
    'Sample ratio mismatch (p = {p}): the arms did not get the visitors the split sends them, so something other than chance decides who is counted where (a redirect, bots, a page reporting the wrong arm). Find the cause before acting on these results.',
  vdNoExposure: 'No visitors exposed yet.',
  vdWinner: '{arm} beats {control}: {lift}; expected loss if you ship it {loss}.',
  vdStop: 'You can stop.',
  vdRivals: 'Keep running to tell it from {rivals}.',
  vdGuardrail: 'But {event} rose: {lift}; check that before you ship it.',
  vdControlWins: '{control} beats {arms}: keep {control}. You can stop.',
  vdNoDifference: 'No variant changes the rate by {lift} or more: {arms}. You can stop.',
  vdNoConversions: 'Keep running: no conversions yet.',
  vdNeeded: {
    one: 'Keep running: about {n} more visitor per arm to detect a {lift} lift.',
    other: 'Keep running: about {n} more visitors per arm to detect a {lift} lift.',
  },
  vdNeededAt: {
    one: 'Keep running: about {n} more visitor per arm to detect a {lift} lift (at {rate} for {control}).',
    other: 'Keep running: about {n} more visitors per arm to detect a {lift} lift (at {rate} for {control}).',
  },
  vdCame: 'Keep running: the visitors a {lift} lift needs have come, so any difference is likely smaller.',
  vdSoFar: 'So far {arm} {lift}.',
  vdArmLift: '{arm} {lift}',
  noEstimate: 'no estimate',
  // surveys.tsx: why an answer alerted (edge/domain/alerts.ts)
  'why:nps': 'NPS {score} (a detractor: 0–6)',
  'why:csat': 'CSAT {score} of 5',
  'why:emoji': 'face {score} of 5',
  'why:rule': 'the survey’s rule on {q}',
  // propensity.tsx: why a model is missing (edge/domain/forward.ts)
  'model:untrained': 'Not trained yet: models are retrained every hour from the events in D1.',
  'model:untested': 'Trained before models were tested forward; the next hourly run retrains it.',
  'model:goalChanged':
    "The funnel's goal changed to '{goal}' since the last training; the next hourly run retrains it.",
  'model:tooFewSteps': 'This funnel needs at least two steps.',
  // The API's own English sentences (domain/forward.ts), word for word.
  trainTooLittle:
    'Too little data: at the training cutoffs ({from} to {to}) {counts}; a model needs at least {min} of each.',
  measureTooLittle:
    'Too little data to measure: at the holdout cutoff ({cutoff}) {counts}; measuring needs at least {min} of each.',
  countsFunnel: "{positives} visitors reached '{goal}' within {days} and {negatives} did not",
  countsChurn: '{positives} returning visitors did not come back within {days} and {negatives} did',
  leakWarning:
    'AUC {auc} at the holdout cutoff is at least {threshold}: check for leakage (a feature that is only known once the outcome has happened).',
  // friction.tsx: what a hotspot's clicks did (edge/domain/hotspots.ts)
  didOneClick: '1 click',
  didClicks: '{n} clicks in {time}',
  didUnanswered: '{clicks}, none of them answered',
  didQuiet: '{clicks}, nothing changed on the page for {time}',
  didMoved: '{clicks}, nothing answered for {time} (only what changes by itself changed on the page)',
  // The segment a view is narrowed to (overview, funnels, the visitors behind a number).
  segNamed: 'segment {segment}',
  segFrom: 'from {referrer}',
  segDirect: 'direct',
  segEveryone: 'everyone',
  segNew: 'new visitors',
  segReturning: 'returning visitors',
  // propensity.tsx: a model's feature that is a value of the visitor's first page
  'feature:entry.source': 'came from {value}',
  'feature:entry.medium': 'medium {value}',
} satisfies Record<string, Message>
