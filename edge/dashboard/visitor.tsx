/**
 * @module dashboard/visitor: one visitor, opened from any list: who they are, where they came
 * from, what they care about, what they answered, the friction they met, and what they did,
 * session by session. A modal dialog (Escape closes it); erasure from here too.
 */
import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { erase, loadVisitor, messageOf, type Timeline } from './api'
import { pct, short } from './format'
import { useLoad, useToken } from './load'
import { Table } from './table'
import { formatLocale, t } from './i18n'
import { tx } from './i18n/nodes'

const FRICTION: { [t: string]: string } = {
  rage_click: 'Rage clicks',
  dead_click: 'Dead clicks',
  error_click: 'Error clicks',
  form_abandon: 'Forms left unsubmitted',
  u_turn: 'U-turns',
  stall: 'Stalled steps',
}

/** What an event was, in a few words: the words in the language shown, ids and the site's text as they are. */
export function what(e: Timeline['sessions'][number]['events'][number]): ComponentChildren {
  const p = (e.props ?? {}) as Record<string, unknown>
  const str = (x: unknown) => (typeof x === 'string' || typeof x === 'number' ? String(x) : '')
  switch (e.type) {
    case 'pageview':
      return tx('evViewed', { page: <bdi>{short(e.url)}</bdi> })
    case 'track':
      return (
        <>
          {e.name ? <bdi>{e.name}</bdi> : t('evEvent')}
          {Object.keys(p).length > 0 && (
            <>
              {' '}
              <code>{JSON.stringify(p)}</code>
            </>
          )}
        </>
      )
    case 'step':
      return tx('evReached', { step: <bdi>{str(p.step)}</bdi>, funnel: <bdi>{e.name ?? ''}</bdi> })
    case 'click':
    case 'rage_click':
    case 'dead_click':
    case 'error_click':
      return (
        <>
          {tx(`ev:${e.type}`, { target: str(p.path) ? <code>{str(p.path)}</code> : t('evAnElement') })}
          {p.text ? (
            <>
              {' “'}
              <bdi>{str(p.text)}</bdi>”
            </>
          ) : (
            ''
          )}
        </>
      )
    case 'survey_answer':
      return tx('evAnswered', {
        survey: e.name ? <bdi>{e.name}</bdi> : t('evASurvey'),
        answer: <bdi>{str(p.score) || str(p.text)}</bdi>,
      })
    case 'identify':
      return tx('evIdentified', { user: <bdi>{e.name ?? ''}</bdi> })
    default:
      return (
        <code>
          {e.type}
          {e.name ? ` ${e.name}` : ''}
        </code>
      )
  }
}

/** A visitor's id in a list, opening their timeline. */
export const VisitorButton = ({ id, onOpen }: { id: string; onOpen: (id: string) => void }) => (
  <button type="button" class="link" onClick={() => onOpen(id)} aria-label={`Open visitor ${id}`}>
    <code>{id}</code>
  </button>
)

export function VisitorDialog({
  site,
  id,
  onClose,
  onErased,
}: {
  site: string
  id: string
  onClose(): void
  onErased(message: string): void
}) {
  const token = useToken()
  const dialog = useRef<HTMLDialogElement>(null)
  const timeline = useLoad((signal) => loadVisitor(token, site, id, signal), JSON.stringify([token, site, id]))
  const v = timeline.data
  const [erasing, setErasing] = useState('')
  useEffect(() => dialog.current?.showModal(), [])
  const message = erasing || (timeline.loading && !v ? 'Loading…' : timeline.error)

  const eraseThem = async () => {
    if (!confirm(`Erase everything stored about visitor ${id}? This cannot be undone.`)) return
    try {
      const r = await erase(token, site, { visitor: id }, (done, left) =>
        setErasing(`Erasing: ${done} events erased, ${left} to go…`),
      )
      onErased(`Erased visitor ${id}: ${r.erased} ${r.erased === 1 ? 'event' : 'events'}.`)
    } catch (e) {
      setErasing(messageOf(e))
    }
  }

  return (
    <dialog ref={dialog} class="visitor" aria-labelledby="visitor-title" onClose={onClose}>
      <header>
        <h2 id="visitor-title">
          Visitor <code>{id}</code>
        </h2>
        <button type="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </header>
      <p role="status" class="status">
        {message}
      </p>
      {v && (
        <>
          <dl class="facts">
            <div>
              <dt>User</dt>
              <dd>{v.visitor.userId ?? 'not identified'}</dd>
            </div>
            {v.visitor.traits && (
              <div>
                <dt>Traits</dt>
                <dd>
                  {Object.entries(v.visitor.traits)
                    .map(([k, x]) => `${k}: ${typeof x === 'string' ? x : JSON.stringify(x)}`)
                    .join(', ')}
                </dd>
              </div>
            )}
            <div>
              <dt>Seen</dt>
              <dd>
                {new Date(v.visitor.firstSeen).toLocaleString(formatLocale())} –{' '}
                {new Date(v.visitor.lastSeen).toLocaleString(formatLocale())}, {v.visitor.sessions}{' '}
                {v.visitor.sessions === 1 ? 'session' : 'sessions'}
              </dd>
            </div>
            <div>
              <dt>Segments</dt>
              <dd>
                {v.attributes.device} · {v.attributes.returning ? 'returning' : 'new'} · from{' '}
                {v.attributes.source ?? 'unknown'}
                {v.attributes.bot ? ' · bot (left out of insights)' : ''}
              </dd>
            </div>
            {v.propensity.length > 0 && (
              <div>
                <dt>Chance to convert</dt>
                <dd data-propensity>
                  {v.propensity.map((p) => `${pct(p.score)} to reach ${p.goal} (${p.funnel})`).join(' · ')}
                </dd>
              </div>
            )}
            {v.attributes.landing && (
              <div>
                <dt>Landed on</dt>
                <dd>{short(v.attributes.landing)}</dd>
              </div>
            )}
          </dl>
          <h3>Interests</h3>
          {v.interests.length === 0 ? (
            <p class="note">No interest scored yet (pages carry topics: see the README).</p>
          ) : (
            <Table
              class="compact"
              caption={t('colInterests')}
              csv="visitor-interests"
              rows={v.interests}
              rowKey={(i) => i.topic}
              columns={[
                { head: t('colTopic'), cell: (i) => i.topic },
                { head: t('colScore'), cell: (i) => i.score },
              ]}
            />
          )}
          <h3>Survey answers</h3>
          {v.answers.length === 0 ? (
            <p class="note">No answer.</p>
          ) : (
            <ul class="answers">
              {v.answers.map((a) => (
                <li key={`${a.ts}${a.type}${a.survey}`}>
                  <strong>{a.survey}</strong>: {a.score !== null ? `score ${a.score}` : ''}
                  {a.text ? <q>{a.text}</q> : null} <small>{new Date(a.ts).toLocaleString(formatLocale())}</small>
                </li>
              ))}
            </ul>
          )}
          <h3>Friction seen</h3>
          {v.friction.length === 0 ? (
            <p class="note">None.</p>
          ) : (
            <ul>
              {v.friction.map((f) => (
                <li key={f.type}>
                  {FRICTION[f.type] ?? f.type}: {f.events}
                </li>
              ))}
            </ul>
          )}
          <h3>Timeline</h3>
          <p class="note">{v.shown < v.total ? `The newest ${v.shown} of ${v.total} events.` : `${v.total} events.`}</p>
          {v.sessions.map((s) => (
            <section
              class="session"
              key={s.id}
              aria-label={`Session from ${new Date(s.start).toLocaleString(formatLocale())}`}
            >
              <h4>
                {new Date(s.start).toLocaleString(formatLocale())} <small>({s.events.length} events)</small>
              </h4>
              <ol>
                {s.events.map((e) => (
                  <li key={e.id}>
                    <time dateTime={new Date(e.ts).toISOString()}>
                      {new Date(e.ts).toLocaleTimeString(formatLocale())}
                    </time>{' '}
                    {what(e)}
                  </li>
                ))}
              </ol>
            </section>
          ))}
          <p>
            <button type="button" class="danger" onClick={eraseThem}>
              Erase this visitor
            </button>
          </p>
        </>
      )}
    </dialog>
  )
}
