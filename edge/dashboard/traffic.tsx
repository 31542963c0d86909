/** @module dashboard/traffic: top pages, entry pages, where sessions came from, custom events. */
import type { Insights } from './api'
import { DownloadCsv } from './csv'

function Table<R>({
  caption,
  empty,
  rows,
  cols,
  rowKey,
}: {
  caption: string
  empty: string
  rows: R[]
  cols: [string, (r: R) => string | number][]
  rowKey: (r: R) => string
}) {
  if (!rows.length)
    return (
      <p class="note">
        <strong>{caption}:</strong> {empty}
      </p>
    )
  return (
    <table>
      <caption>
        {caption} <DownloadCsv />
      </caption>
      <thead>
        <tr>
          {cols.map(([h]) => (
            <th scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)}>
            {cols.map(([h, get], i) =>
              i === 0 ? (
                <th scope="row" key={h}>
                  {get(r)}
                </th>
              ) : (
                <td key={h}>{typeof get(r) === 'number' ? get(r).toLocaleString() : get(r)}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

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
          cols={[
            ['Page', (r) => r.page],
            ['Visitors', (r) => r.visitors],
            ['Views', (r) => r.pageviews],
          ]}
        />
        <Table
          caption="Entry pages"
          empty={none}
          rows={pages.entries}
          rowKey={(r) => r.page}
          cols={[
            ['Page', (r) => r.page],
            ['Sessions', (r) => r.sessions],
            ['Visitors', (r) => r.visitors],
          ]}
        />
        <Table
          caption="Referrers"
          empty={none}
          rows={sources.referrers}
          rowKey={(r) => r.source}
          cols={[
            ['Source', (r) => r.source],
            ['Sessions', (r) => r.sessions],
            ['Visitors', (r) => r.visitors],
          ]}
        />
        <Table
          caption="UTM campaigns"
          empty="No session arrived with utm_source in its URL. Tag your campaign links (utm_source, utm_medium, utm_campaign) to see them here."
          rows={sources.campaigns}
          rowKey={(r) => `${r.source}\n${r.medium}\n${r.campaign}`}
          cols={[
            ['Source', (r) => r.source],
            ['Medium', (r) => r.medium ?? '—'],
            ['Campaign', (r) => r.campaign ?? '—'],
            ['Sessions', (r) => r.sessions],
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
        <table>
          <caption>
            Custom events <DownloadCsv />
          </caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Times</th>
              <th scope="col">Visitors</th>
              <th scope="col">Top values of its props</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.name}>
                <th scope="row">{e.name}</th>
                <td>{e.events.toLocaleString()}</td>
                <td>{e.visitors.toLocaleString()}</td>
                <td>
                  {e.props.length === 0
                    ? '—'
                    : e.props.map((p) => (
                        <div key={p.key} class="prop">
                          <code>{p.key}</code>: {p.values.map((v) => `${v.value} (${v.events})`).join(', ')}
                        </div>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
