/**
 * @module dashboard/behind: the visitors behind a number (a day of the visitors trend, a funnel
 * step, its stalls, a segment's size), listed by the API with the number's own query (`GET /v1/insights/visitors`): as many as
 * the number says, 50 at a time, each with their profile summary and opening their timeline. A
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
import { useToken } from './load'
import { Table } from './table'
import { VisitorButton } from './visitor'
import { formatLocale, t } from './i18n'

/** The parameters a drill-down may set (the rest of its query is the view's). */
const KEYS = [
  'funnel',
  'step',
  'stalled',
  'dropped',
  'segment',
  'bucket',
  'viewed',
  'referrer',
  'survey',
  'score',
  'theme',
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
  if (p.bucket) return `Visitors of ${bucketName(Number(p.bucket), days <= 2 ? 'hour' : 'day')}`
  if (p.funnel && p.step) return `Visitors who reached “${p.step}” (${p.funnel})`
  if (p.funnel && p.dropped) return `Visitors who stopped at “${p.dropped}” (${p.funnel})`
  if (p.funnel && p.stalled) return `Visitors who stalled at “${p.stalled}” (${p.funnel})`
  if (p.segment) return `Visitors in the segment “${p.segment}”`
  if (p.survey && p.score) return `The ${p.score} of the survey “${p.survey}”`
  if (p.survey && p.theme) return `Visitors whose answer to “${p.survey}” is about “${p.theme}”`
  if (p.experiment && p.arm)
    return `Visitors ${p.converted ? 'who converted after seeing' : 'who saw'} ${p.arm} (${p.experiment})`
  if (p.viewed) return `Visitors who viewed ${p.viewed}`
  if (p.referrer) return `Visitors who came from ${p.referrer}`
  return 'Visitors'
}

/** The order a list comes in, in words. */
const orderOf = (p: Query) =>
  p.step || p.dropped
    ? 'the latest to reach it first'
    : p.survey
      ? 'the latest to answer first'
      : p.experiment
        ? 'the latest exposed first'
        : 'the most recently seen first'

/** A button showing a number (as `text`, when given), opening the visitors it counts. */
export const DrillButton = ({
  n,
  text,
  label,
  onDrill,
}: {
  n: number
  text?: string
  label: string
  onDrill(): void
}) =>
  n > 0 ? (
    <button type="button" class="link" aria-label={label} onClick={onDrill}>
      {text ?? n}
    </button>
  ) : (
    <>{text ?? n}</>
  )

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
  const token = useToken()
  const dialog = useRef<HTMLDialogElement>(null)
  const params = paramsOf(who)
  const [pages, setPages] = useState<VisitorList[]>([])
  const [message, setMessage] = useState('Loading…')
  const more = (offset: number) => {
    setMessage('Loading…')
    insight(
      token,
      'visitors',
      insightQuery(site, days, segment, { ...params, limit: String(PAGE), offset: String(offset) }),
    )
      .then((page) => (setPages((p) => [...p, page]), setMessage('')))
      .catch((e) => setMessage(messageOf(e)))
  }
  useEffect(() => {
    dialog.current?.showModal()
    more(0)
  }, [])
  const last = pages.at(-1)
  const rows = pages.flatMap((p) => p.visitors)
  return (
    <dialog ref={dialog} class="visitor behind" aria-labelledby="behind-title" onClose={onClose}>
      <header>
        <h2 id="behind-title">{titleOf(params, days)}</h2>
        <button type="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </header>
      {last && (
        <p class="note" data-total>
          {last.total} {last.total === 1 ? 'visitor' : 'visitors'}
          {last.segment.label && last.segment.label !== 'everyone' ? ` (${last.segment.label})` : ''}, {orderOf(params)}
          .
        </p>
      )}
      <p role="status" class="status">
        {message}
      </p>
      {rows.length > 0 && (
        <Table
          caption={`${titleOf(params, days)}: ${rows.length} of ${last!.total} shown`}
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
            { head: t('colInterests'), cell: (v) => v.interests.map((i) => i.topic).join(', ') || '—' },
            // Who stopped at a step: what they did next instead.
            ...(params.dropped ? [{ head: 'Then', cell: (v: VisitorSummary) => v.next ?? 'nothing' }] : []),
          ]}
        />
      )}
      {last && last.next !== null && !message && (
        <button type="button" onClick={() => more(last.next!)}>
          Show {Math.min(PAGE, last.total - rows.length)} more
        </button>
      )}
    </dialog>
  )
}
