/**
 * @module dashboard/behind: the visitors behind a number (a point of a trend, a funnel step (also
 * an ad hoc funnel's), its stalls, a segment's size, a breakdown's row, a retention cell, an entry
 * page…), listed by the API with the number's own query (`GET /v1/insights/visitors`): as many as
 * the number says (where it counts sessions, pageviews or events, the visitors behind them, and
 * how many of those they made), 50 at a time, each with their profile summary and opening their timeline. A
 * modal dialog; what it lists is in the URL (`who`, url.ts), so a reload or a link shows it again.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import {
  insight,
  insightQuery,
  messageOf,
  type Query,
  type Segment,
  type VisitorList,
  type VisitorSummary,
} from './api'
import { bucketName } from './format'
import { segmentName } from './segment-name'
import { useToken } from './load'
import { Table } from './table'
import { VisitorButton } from './visitor'
import { Went } from './went'
import { comma, formatLocale, isKey, t, type Key } from './i18n'
import { tx } from './i18n/nodes'

/** The parameters a drill-down may set (the rest of its query is the view's). */
const KEYS = [
  'funnel',
  // An ad hoc funnel's (adhoc-funnel.tsx), in place of `funnel`.
  'steps',
  'window',
  'step',
  'stalled',
  'dropped',
  'segment',
  'bucket',
  // A point of a trend other than Visitors (sessions, pageviews, friction, funnel:ID, nps).
  'metric',
  // A breakdown's row (by, value or other, top), or an event's visitors alone (a custom event's).
  'event',
  'by',
  'value',
  'other',
  'top',
  // A retention cell: its cohort's week (and `event`, the one returned on).
  'cohort',
  'week',
  'weeks',
  'entry',
  'viewed',
  'referrer',
  'survey',
  'score',
  'theme',
  // A day of a survey's score: who answered it then.
  'answered',
  'experiment',
  'arm',
  'converted',
] as const
const PAGE = 50

/** The `who` of a number: its drill-down's own parameters, as a query string. */
export const whoOf = (q: Partial<Record<(typeof KEYS)[number], string>>) => new URLSearchParams(q).toString()

/** The drill-down's parameters a `who` names (only those it may set). */
function paramsOf(who: string): Query {
  const q = new URLSearchParams(who)
  return Object.fromEntries(KEYS.flatMap((k) => (q.get(k) ? [[k, q.get(k)!]] : [])))
}

/** What the list is, in words (`days`: the period, whose trends go by the hour up to 2 days). */
function titleOf(p: Query, days: number): string {
  if (p.bucket) {
    const bucket = bucketName(Number(p.bucket), days <= 2 ? 'hour' : 'day')
    const m = p.metric ?? 'visitors'
    if (m.startsWith('funnel:')) return t('drCompletedOf', { funnel: m.slice('funnel:'.length), bucket })
    const title = POINT_TITLES[m as keyof typeof POINT_TITLES] ?? 'visitorsOfBucket'
    return t(title, { bucket })
  }
  if (p.cohort) {
    const week = weekLabel(Number(p.cohort))
    return p.week ? t('drCohortWeek', { week, n: Number(p.week) }) : t('drCohort', { week })
  }
  if (p.event || p.by) {
    const event = (p.event ?? 'pageview').replace(/^track:/, '')
    const by = p.by && (isKey(`by:${p.by}`) ? t(`by:${p.by}` as Key) : p.by.replace(/^prop:/, ''))
    if (by && p.other) return t('drOtherOf', { event, by, top: Number(p.top ?? 10) })
    if (by) return t('drRowOf', { event, by, value: p.value ?? '' })
    return t('drEventOf', { event })
  }
  if (p.entry) return t('drEntry', { page: p.entry })
  const funnel = p.funnel ?? (p.steps && t('askedFunnel'))
  if (funnel && p.step) return t('visitorsReached', { step: p.step, funnel })
  if (funnel && p.dropped) return t('visitorsDropped', { step: p.dropped, funnel })
  if (p.funnel && p.stalled) return t('visitorsStalled', { step: p.stalled, funnel: p.funnel })
  if (p.segment) return t('visitorsInSegment', { segment: p.segment })
  if (p.survey && p.score)
    return t('visitorsScored', {
      group: isKey(`group:${p.score}`) ? t(`group:${p.score}` as Key) : p.score,
      survey: p.survey,
    })
  if (p.survey && p.theme) return t('visitorsTheme', { survey: p.survey, theme: p.theme })
  if (p.survey && p.answered)
    return t('drAnsweredDay', {
      survey: p.survey,
      day: new Date(`${p.answered}T00:00:00Z`).toLocaleDateString(formatLocale(), {
        month: 'short',
        day: 'numeric',
        timeZone: 'UTC',
      }),
    })
  if (p.experiment && p.arm)
    return t(p.converted ? 'visitorsConvertedAfter' : 'visitorsSaw', { arm: p.arm, experiment: p.experiment })
  if (p.viewed) return t('visitorsViewed', { page: p.viewed })
  if (p.referrer) return t('visitorsFrom', { source: p.referrer })
  return t('visitors')
}

/** A cohort's week as the retention table names it (its Monday). */
const weekLabel = (ms: number) =>
  new Date(ms).toLocaleDateString(formatLocale(), { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' })

/** The title of a trend's point by its metric (a funnel's completions apart). */
const POINT_TITLES = {
  visitors: 'visitorsOfBucket',
  sessions: 'drSessionsOf',
  pageviews: 'drPageviewsOf',
  friction: 'drFrictionOf',
  nps: 'drAnsweredOf',
} as const satisfies Record<string, Key>

/** What a trend's point counts when it is not visitors: its `measure`'s name. */
const MEASURES = { sessions: 'drSessions', pageviews: 'drPageviews', friction: 'drSignals', nps: 'drAnswers' } as const

/** What the number counts when it is not visitors (the answer's `measure` is how many of it the list made). */
const measureOf = (p: Query): Key =>
  p.bucket ? (MEASURES[p.metric as keyof typeof MEASURES] ?? 'drSessions') : p.entry ? 'drSessions' : 'drEvents'

/** The order a list comes in, as the sentence that says it. */
const orderOf = (p: Query): Key =>
  p.step || p.dropped ? 'latestFirst' : p.survey ? 'answeredFirst' : p.experiment ? 'exposedFirst' : 'recentFirst'

/** A button showing a number, opening the visitors it counts (its own module: no API in it). */
export { DrillButton } from './drill-button'

/**
 * The visitors behind a number (`params`: its drill-down's query), PAGE at a time: those loaded,
 * the last page's answer (its `total` is the number), what is said while a page loads or why it
 * failed, and the button that loads the next page (null when none is left).
 */
export function usePagedVisitors(site: string, days: number, segment: Segment, params: Query) {
  const token = useToken()
  const [pages, setPages] = useState<VisitorList[]>([])
  const [message, setMessage] = useState(t('loading'))
  const load = (offset: number) => {
    setMessage(t('loading'))
    insight(
      token,
      'visitors',
      insightQuery(site, days, segment, { ...params, limit: String(PAGE), offset: String(offset) }),
    )
      .then((page) => (setPages((p) => [...p, page]), setMessage('')))
      .catch((e) => setMessage(messageOf(e)))
  }
  useEffect(() => load(0), [])
  const last = pages.at(-1)
  const rows = pages.flatMap((p) => p.visitors)
  const more =
    last && last.next !== null && !message ? (
      <button type="button" onClick={() => load(last.next!)}>
        {t('showMore', { n: Math.min(PAGE, last.total - rows.length) })}
      </button>
    ) : null
  return { rows, last, message, more }
}

export function BehindDialog({
  site,
  days,
  segment,
  who,
  onOpen,
  onClose,
}: {
  site: string
  days: number
  segment: Segment
  who: string
  onOpen(id: string): void
  onClose(): void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const params = paramsOf(who)
  const { rows, last, message, more } = usePagedVisitors(site, days, segment, params)
  useEffect(() => dialog.current?.showModal(), [])
  return (
    <dialog ref={dialog} class="visitor behind" aria-labelledby="behind-title" onClose={onClose}>
      <header>
        <h2 id="behind-title">{titleOf(params, days)}</h2>
        <button type="button" onClick={() => dialog.current?.close()}>
          {t('close')}
        </button>
      </header>
      {last && (
        <p class="note" data-total>
          {((visitors, segment) =>
            tx(orderOf(params), {
              visitors: segment ? <>{tx('inSegment', { segment }, { visitors })}</> : visitors,
            }))(
            last.measure === null
              ? t('nVisitors', { n: last.total })
              : t('drBehind', {
                  visitors: t('nVisitors', { n: last.total }),
                  what: t(measureOf(params), { n: last.measure }),
                }),
            segmentName(last.segment),
          )}
        </p>
      )}
      <p role="status" class="status">
        {message}
      </p>
      {rows.length > 0 && (
        <Table
          caption={t('shownOf', { title: titleOf(params, days), shown: rows.length, n: last!.total })}
          csv="visitors-behind"
          rows={rows}
          rowKey={(v) => v.id}
          rowHeads={false}
          columns={[
            { head: t('colVisitor'), cell: (v) => <VisitorButton id={v.id} onOpen={onOpen} /> },
            { head: t('colUser'), cell: (v) => v.userId ?? '—' },
            {
              head: t('colFirstSeen'),
              cell: (v) => (v.firstSeen ? new Date(v.firstSeen).toLocaleString(formatLocale()) : '—'),
            },
            {
              head: t('colLastSeen'),
              cell: (v) => (v.lastSeen ? new Date(v.lastSeen).toLocaleString(formatLocale()) : '—'),
            },
            { head: t('sessions'), cell: (v) => v.sessions },
            { head: t('colInterests'), cell: (v) => v.interests.map((i) => i.topic).join(comma()) || '—' },
            // Who stopped at a step: what they did next instead.
            ...(params.dropped
              ? [{ head: t('colThen'), cell: (v: VisitorSummary) => <Went label={v.next ?? null} /> }]
              : []),
          ]}
        />
      )}
      {more}
    </dialog>
  )
}
