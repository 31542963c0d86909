/** @module dashboard/overview: the period's headline numbers, whether the tag sends, and what was left out. */
import type { Overview as Answer } from './api'
import { ago, num, period } from './format'
import { segmentName } from './segment-name'
import { tx } from './i18n/nodes'
import { type Key, t } from './i18n'

export function Overview({ o }: { o: Answer }) {
  const cards: [Key, number][] = [
    ['visitors', o.visitors],
    ['sessions', o.sessions],
    ['pageviews', o.pageviews],
    ['rageClicks', o.events.rage_click ?? 0],
    ['deadClicks', o.events.dead_click ?? 0],
    // A form submitted after all (form_submit) was not abandoned: see store/filters.ts.
    ['abandonedForms', Math.max(0, (o.events.form_abandon ?? 0) - (o.events.form_submit ?? 0))],
  ]
  return (
    <section aria-labelledby="overview">
      <h2 id="overview">{period(o.days)}</h2>
      {o.segment.label !== 'everyone' && <p class="note">{tx('segmentIs', { label: segmentName(o.segment) })}</p>}
      <p class="note" data-install>
        {o.lastReceived === null ? t('noEventYet') : t('lastReceived', { ago: ago(o.lastReceived) })}
      </p>
      <dl class="cards">
        {cards.map(([label, n]) => (
          <div class="card" key={label}>
            <dt>{t(label)}</dt>
            <dd>{num(n)}</dd>
          </div>
        ))}
      </dl>
      <p class="note">
        {t('botEvents', { n: o.botEvents })}{' '}
        {o.lost.evicted + o.lost.dropped > 0
          ? t('lostEvents', { n: o.lost.evicted, dropped: o.lost.dropped })
          : t('noneLost')}
      </p>
    </section>
  )
}
