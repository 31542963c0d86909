/**
 * @module dashboard/friction: where visitors rage-click, click in vain or meet errors, one row per
 * element of a page with what its clicks did in a line; a row opens the visitors behind it, each
 * with the moments before their click and their whole timeline a click away; and the forms
 * visitors leave.
 */
import { type Friction as Answer, type Segment } from './api'
import { usePagedVisitors } from './behind'
import { short } from './format'
import { Table } from './table'
import { VisitorButton, what } from './visitor'
import { formatLocale, t } from './i18n'
import { tx } from './i18n/nodes'

type Hotspot = Answer['hotspots'][number]
/** A hotspot as the URL keeps it (`spot`): its page, a space, its element. */
const spotOf = (h: Hotspot) => `${h.page} ${h.element}`

/** Milliseconds as seconds, one decimal below 10 s ("0.6 s", "0,6 s"). */
const secs = (ms: number) => {
  const s = ms / 1000
  return t('seconds', { n: s >= 10 ? Math.round(s) : Math.round(s * 10) / 10 })
}

/** What a hotspot's clicks did, from the worker's numbers (`did`, edge/domain/hotspots.ts), in the language shown. */
function didLine(d: Hotspot['did']): string {
  if (!d) return '—'
  const clicks = d.clicks === 1 ? t('didOneClick') : t('didClicks', { n: d.clicks, time: secs(d.ms) })
  if (d.quiet === null) return t('didUnanswered', { clicks })
  const time = secs(d.quiet)
  return (d.moved ?? 0) > 0.5 ? t('didMoved', { clicks, time }) : t('didQuiet', { clicks, time })
}

export function Friction({
  friction,
  site,
  days,
  segment,
  spot,
  onSpot,
  onOpen,
}: {
  friction: Answer
  site: string
  days: number
  segment: Segment
  /** The hotspot whose visitors are shown ('': none). */
  spot: string
  onSpot(spot: string): void
  onOpen(visitor: string): void
}) {
  const open = friction.hotspots.find((h) => spotOf(h) === spot)
  return (
    <section aria-labelledby="friction">
      <h2 id="friction">{t('friction')}</h2>
      {friction.hotspots.length === 0 ? (
        <p class="note">{t('noClicks')}</p>
      ) : (
        <Table
          caption={t('capHotspots')}
          csv="friction-hotspots"
          scroll
          rows={friction.hotspots}
          rowKey={spotOf}
          rowHeads={false}
          rowProps={(h) => (h === open ? { class: 'selected' } : {})}
          columns={[
            { head: t('colPage'), cell: (h) => <bdi>{short(h.page)}</bdi> },
            {
              head: t('colElement'),
              cell: (h) => (
                <>
                  <code>{h.element}</code>{' '}
                  {h.text && !h.element.includes(h.text) && (
                    <span class="text">
                      “<bdi>{h.text}</bdi>”
                    </span>
                  )}
                </>
              ),
            },
            { head: t('rageClicks'), cell: (h) => h.rage },
            { head: t('deadClicks'), cell: (h) => h.dead },
            { head: t('colErrorClicks'), cell: (h) => h.error },
            { head: t('colClicksDid'), cell: (h) => didLine(h.did) },
            {
              head: t('visitors'),
              cell: (h) => (
                <button
                  type="button"
                  class="link"
                  aria-expanded={h === open}
                  aria-label={t('showSpotVisitors', { n: h.visitors })}
                  onClick={() => onSpot(h === open ? '' : spotOf(h))}
                >
                  {h.visitors}
                </button>
              ),
            },
          ]}
        />
      )}
      {open && (
        // Listed again for another period or segment (the list pages from its first answer).
        <SpotVisitors
          key={JSON.stringify([spot, days, segment])}
          hotspot={open}
          site={site}
          days={days}
          segment={segment}
          onOpen={onOpen}
        />
      )}
      {friction.forms.length > 0 && (
        <Table
          caption={t('capFormsLeft')}
          rows={friction.forms}
          rowKey={(f) => f.page + f.form + f.lastField}
          rowHeads={false}
          columns={[
            { head: t('colPage'), cell: (f) => <bdi>{short(f.page)}</bdi> },
            { head: t('colForm'), cell: (f) => f.form || t('unnamed') },
            { head: t('colLastField'), cell: (f) => f.lastField },
            { head: t('visitors'), cell: (f) => f.visitors },
          ]}
        />
      )}
    </section>
  )
}

/** The visitors behind a hotspot, each with the moments before their latest click on it. */
function SpotVisitors({
  hotspot,
  site,
  days,
  segment,
  onOpen,
}: {
  hotspot: Hotspot
  site: string
  days: number
  segment: Segment
  onOpen(visitor: string): void
}) {
  const { rows, last, message, more } = usePagedVisitors(site, days, segment, {
    page: hotspot.page,
    element: hotspot.element,
  })
  return (
    <section class="spot" aria-label={t('metFriction', { element: hotspot.element })}>
      {last && (
        <p class="note" data-total>
          {t('nVisitors', { n: last.total })}
        </p>
      )}
      <p role="status" class="status">
        {message}
      </p>
      {last && (
        <Table
          caption={tx('spotCaption', { element: <code>{hotspot.element}</code>, page: <bdi>{hotspot.page}</bdi> })}
          csv={false}
          rows={rows}
          rowKey={(v) => v.id}
          rowHeads={false}
          empty={t('noneInSegment')}
          columns={[
            { head: t('colVisitor'), cell: (v) => <VisitorButton id={v.id} onOpen={onOpen} /> },
            {
              head: t('colMoments'),
              cell: (v) => (
                <ol class="moments">
                  {(v.before ?? []).map((e) => (
                    <li key={e.id}>
                      <time dateTime={new Date(e.ts).toISOString()}>
                        {new Date(e.ts).toLocaleTimeString(formatLocale())}
                      </time>{' '}
                      {what(e)}
                    </li>
                  ))}
                </ol>
              ),
            },
          ]}
        />
      )}
      {more}
    </section>
  )
}
