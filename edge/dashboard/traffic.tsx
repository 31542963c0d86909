/** @module dashboard/traffic: top pages, entry pages, where sessions came from, custom events. */
import type { Insights } from './api'
import { Table } from './table'

/** A count as the dashboard shows it: "1,234". */
const n = (x: number) => x.toLocaleString()

export function Traffic({ pages, sources }: { pages: Insights['pages']; sources: Insights['sources'] }) {
  const none = 'No pageview in this period: install the tag (see the README) or widen the period.'
  return (
    <section aria-labelledby="traffic">
      <h2 id="traffic">Pages and sources</h2>
      <div class="pair">
        <Table
          caption="Top pages"
          empty={none}
          rows={pages.pages}
          rowKey={(r) => r.page}
          columns={[
            { head: 'Page', cell: (r) => r.page },
            { head: 'Visitors', cell: (r) => n(r.visitors) },
            { head: 'Views', cell: (r) => n(r.pageviews) },
          ]}
        />
        <Table
          caption="Entry pages"
          empty={none}
          rows={pages.entries}
          rowKey={(r) => r.page}
          columns={[
            { head: 'Page', cell: (r) => r.page },
            { head: 'Sessions', cell: (r) => n(r.sessions) },
            { head: 'Visitors', cell: (r) => n(r.visitors) },
          ]}
        />
        <Table
          caption="Referrers"
          empty={none}
          rows={sources.referrers}
          rowKey={(r) => r.source}
          columns={[
            { head: 'Source', cell: (r) => r.source },
            { head: 'Sessions', cell: (r) => n(r.sessions) },
            { head: 'Visitors', cell: (r) => n(r.visitors) },
          ]}
        />
        <Table
          caption="UTM campaigns"
          empty="No session arrived with utm_source in its URL. Tag your campaign links (utm_source, utm_medium, utm_campaign) to see them here."
          rows={sources.campaigns}
          rowKey={(r) => `${r.source}\n${r.medium}\n${r.campaign}`}
          columns={[
            { head: 'Source', cell: (r) => r.source },
            { head: 'Medium', cell: (r) => r.medium ?? '—' },
            { head: 'Campaign', cell: (r) => r.campaign ?? '—' },
            { head: 'Sessions', cell: (r) => n(r.sessions) },
          ]}
        />
      </div>
    </section>
  )
}

export function CustomEvents({ events }: { events: Insights['events'] }) {
  return (
    <section aria-labelledby="custom-events">
      <h2 id="custom-events">Custom events</h2>
      {events.length === 0 ? (
        <p class="note">
          No custom event in this period. Record what matters with{' '}
          <code>
            ciel('track', 'invite_sent', {'{'} plan: 'pro' {'}'})
          </code>
          .
        </p>
      ) : (
        <Table
          caption="Custom events"
          rows={events}
          rowKey={(e) => e.name}
          columns={[
            { head: 'Event', cell: (e) => e.name },
            { head: 'Times', cell: (e) => n(e.events) },
            { head: 'Visitors', cell: (e) => n(e.visitors) },
            {
              head: 'Top values of its props',
              cell: (e) =>
                e.props.length === 0
                  ? '—'
                  : e.props.map((p) => (
                      <div key={p.key} class="prop">
                        <code>{p.key}</code>: {p.values.map((v) => `${v.value} (${v.events})`).join(', ')}
                      </div>
                    )),
            },
          ]}
        />
      )}
    </section>
  )
}
