/** @module dashboard/traffic: top pages, entry pages, where sessions came from, custom events. */
import { Fragment } from 'preact'
import type { Insights } from './api'
import { DrillButton, whoOf } from './behind'
import { Table } from './table'
import { comma, formatLocale, t } from './i18n'
import { tx } from './i18n/nodes'

/** A count as the dashboard shows it: "1,234". */
const n = (x: number) => x.toLocaleString(formatLocale())

/** `onDrill`: opens the visitors behind a row (`who`: its drill-down, behind.tsx). */
export function Traffic({
  pages,
  sources,
  onDrill,
}: {
  pages: Insights['pages']
  sources: Insights['sources']
  onDrill(who: string): void
}) {
  const none = t('noPageview')
  const drill = (x: number, label: string, who: Record<string, string>) => (
    <DrillButton n={x} text={n(x)} label={label} onDrill={() => onDrill(whoOf(who))} />
  )
  return (
    <section aria-labelledby="traffic">
      <h2 id="traffic">{t('traffic')}</h2>
      <div class="pair">
        <Table
          caption={t('capTopPages')}
          empty={none}
          rows={pages.pages}
          rowKey={(r) => r.page}
          columns={[
            { head: t('colPage'), cell: (r) => r.page },
            {
              head: t('visitors'),
              cell: (r) => drill(r.visitors, t('whoViewed', { n: r.visitors, page: r.page }), { viewed: r.page }),
            },
            { head: t('colViews'), cell: (r) => n(r.pageviews) },
          ]}
        />
        <Table
          caption={t('capEntryPages')}
          empty={none}
          rows={pages.entries}
          rowKey={(r) => r.page}
          columns={[
            { head: t('colPage'), cell: (r) => r.page },
            { head: t('sessions'), cell: (r) => n(r.sessions) },
            // An entry page's visitors: those whose session began there.
            {
              head: t('visitors'),
              cell: (r) => drill(r.visitors, t('drShowEntry', { n: r.visitors, page: r.page }), { entry: r.page }),
            },
          ]}
        />
        <Table
          caption={t('capReferrers')}
          empty={none}
          rows={sources.referrers}
          rowKey={(r) => r.source}
          columns={[
            { head: t('colSource'), cell: (r) => r.source },
            { head: t('sessions'), cell: (r) => n(r.sessions) },
            // A source's visitors: those under the filter ?referrer it names.
            {
              head: t('visitors'),
              cell: (r) =>
                drill(r.visitors, t('whoCameFrom', { n: r.visitors, source: r.source }), { referrer: r.source }),
            },
          ]}
        />
        <Table
          caption={t('capUtm')}
          empty={tx('noUtm', {
            source: <code>utm_source</code>,
            fields: <code>utm_source, utm_medium, utm_campaign</code>,
          })}
          rows={sources.campaigns}
          rowKey={(r) => `${r.source}\n${r.medium}\n${r.campaign}`}
          columns={[
            { head: t('colSource'), cell: (r) => r.source },
            { head: t('colMedium'), cell: (r) => r.medium ?? '—' },
            { head: t('colCampaign'), cell: (r) => r.campaign ?? '—' },
            { head: t('sessions'), cell: (r) => n(r.sessions) },
          ]}
        />
      </div>
    </section>
  )
}

/** `onDrill`: opens the visitors behind a custom event (`event=track:NAME`, behind.tsx). */
export function CustomEvents({ events, onDrill }: { events: Insights['events']; onDrill?(who: string): void }) {
  return (
    <section aria-labelledby="custom-events">
      <h2 id="custom-events">{t('customEvents')}</h2>
      {events.length === 0 ? (
        <p class="note">
          {tx('noCustomEvent', { call: <code>ciel('track', 'invite_sent', {"{ plan: 'pro' }"})</code> })}
        </p>
      ) : (
        <Table
          caption={t('customEvents')}
          rows={events}
          rowKey={(e) => e.name}
          columns={[
            { head: t('colEvent'), cell: (e) => e.name },
            { head: t('colTimes'), cell: (e) => n(e.events) },
            {
              head: t('visitors'),
              cell: (e) =>
                onDrill ? (
                  <DrillButton
                    n={e.visitors}
                    text={n(e.visitors)}
                    label={t('drShowEvent', { n: e.visitors, event: e.name })}
                    onDrill={() => onDrill(whoOf({ event: `track:${e.name}` }))}
                  />
                ) : (
                  n(e.visitors)
                ),
            },
            {
              head: t('colTopValues'),
              cell: (e) =>
                e.props.length === 0
                  ? '—'
                  : e.props.map((p) => (
                      <div key={p.key} class="prop">
                        <code>{p.key}</code>:{' '}
                        {p.values.map((v, i) => (
                          <Fragment key={v.value}>
                            {i > 0 && comma()}
                            <bdi>{v.value}</bdi> ({v.events})
                          </Fragment>
                        ))}
                      </div>
                    )),
            },
          ]}
        />
      )}
    </section>
  )
}
