/** @module dashboard/overview: the period's headline numbers, whether the tag sends, and what was left out. */
import type { Overview as Answer } from './api'
import { ago, period } from './format'

export function Overview({ o }: { o: Answer }) {
  const cards: [string, number][] = [
    ['Visitors', o.visitors],
    ['Sessions', o.sessions],
    ['Pageviews', o.pageviews],
    ['Rage clicks', o.events.rage_click ?? 0],
    ['Dead clicks', o.events.dead_click ?? 0],
    // A form submitted after all (form_submit) was not abandoned: see store/filters.ts.
    ['Abandoned forms', Math.max(0, (o.events.form_abandon ?? 0) - (o.events.form_submit ?? 0))],
  ]
  return (
    <section aria-labelledby="overview">
      <h2 id="overview">{period(o.days)}</h2>
      {o.segment.label !== 'everyone' && <p class="note">Segment: {o.segment.label}.</p>}
      <p class="note" data-install>
        {o.lastReceived === null
          ? 'No event received from this site yet. Paste the two script lines from the README into your pages, add your origin to the site, then open a page.'
          : `Last event received ${ago(o.lastReceived)}.`}
      </p>
      <dl class="cards">
        {cards.map(([label, n]) => (
          <div class="card" key={label}>
            <dt>{label}</dt>
            <dd>{n.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      <p class="note">
        {o.botEvents.toLocaleString()} events from bots left out.{' '}
        {o.lost.evicted + o.lost.dropped > 0
          ? `Snippets reported ${o.lost.evicted} events evicted from full outboxes and ${o.lost.dropped} refused.`
          : 'No event was reported lost.'}
      </p>
    </section>
  )
}
