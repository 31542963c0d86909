/**
 * @module dashboard/i18n/drill: what the visitors behind a trend's point, a breakdown's row, a
 * retention cell, an entry page or a custom event are called (the buttons that open them, the
 * dialog's title, and what they did when the number counts sessions, pageviews or events), in
 * English (Polish, Hebrew and Arabic: i18n/pl|he|ar/drill.ts). Buttons name the count in
 * brackets in Polish, Hebrew and Arabic, which keeps the noun in one form whatever the number.
 */
import type { Message } from '../i18n'

export const drillText = {
  // behind.tsx: the dialog's title
  drSessionsOf: 'Visitors behind the sessions of {bucket}',
  drPageviewsOf: 'Visitors behind the pageviews of {bucket}',
  drFrictionOf: 'Visitors behind the friction signals of {bucket}',
  drCompletedOf: 'Visitors who completed “{funnel}”, {bucket}',
  drAnsweredOf: 'Visitors who answered NPS, {bucket}',
  drEventOf: 'Visitors behind {event}',
  drRowOf: 'Visitors behind {event} where {by} is {value}',
  drOtherOf: 'Visitors behind {event} with another {by} than the top {top}',
  drCohort: 'Visitors first seen the week of {week}',
  drCohortWeek: 'Visitors first seen the week of {week}, active in week {n}',
  drEntry: 'Visitors whose session began on {page}',
  drAnsweredDay: 'Visitors who answered “{survey}” on {day}',
  // behind.tsx: what the listed visitors did, where the number counts that
  drBehind: '{visitors} behind {what}',
  drSessions: { one: '{n} session', other: '{n} sessions' },
  drPageviews: { one: '{n} pageview', other: '{n} pageviews' },
  drSignals: { one: '{n} friction signal', other: '{n} friction signals' },
  drAnswers: { one: '{n} answer', other: '{n} answers' },
  drEvents: { one: '{n} event', other: '{n} events' },
  // trends.tsx, breakdown.tsx, retention.tsx, traffic.tsx: the buttons
  drShowSessions: {
    one: 'Show the visitor behind the session of {bucket}',
    other: 'Show the visitors behind the {n} sessions of {bucket}',
  },
  drShowPageviews: {
    one: 'Show the visitor behind the pageview of {bucket}',
    other: 'Show the visitors behind the {n} pageviews of {bucket}',
  },
  drShowFriction: {
    one: 'Show the visitor behind the friction signal of {bucket}',
    other: 'Show the visitors behind the {n} friction signals of {bucket}',
  },
  drShowCompleted: {
    one: 'Show the visitor who completed {funnel}, {bucket}',
    other: 'Show the {n} visitors who completed {funnel}, {bucket}',
  },
  drShowAnswered: 'Show who answered NPS, {bucket} (NPS {score})',
  drShowRow: { one: 'Show the visitor behind {value}', other: 'Show the {n} visitors behind {value}' },
  drShowOther: {
    one: 'Show the visitor behind the other values',
    other: 'Show the {n} visitors behind the other values',
  },
  drShowEvent: { one: 'Show the visitor behind {event}', other: 'Show the {n} visitors behind {event}' },
  drShowCohort: {
    one: 'Show the visitor first seen the week of {week}',
    other: 'Show the {n} visitors first seen the week of {week}',
  },
  drShowCohortWeek: {
    one: 'Show the visitor of the week of {week} active in week {k}',
    other: 'Show the {n} visitors of the week of {week} active in week {k}',
  },
  drShowEntry: {
    one: 'Show the visitor whose session began on {page}',
    other: 'Show the {n} visitors whose session began on {page}',
  },
  // score-trend.tsx: a survey's score by day, its answers opening who gave them
  drColAnswers: 'Answers',
  drShowAnsweredDay: { one: 'Show who gave the answer of {day}', other: 'Show who gave the {n} answers of {day}' },
} satisfies Record<string, Message>
