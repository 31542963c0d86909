/**
 * @module dashboard/visitor: one visitor, opened from any list: who they are, where they came
 * from, what they care about, what they answered, the friction they met, and what they did,
 * session by session. A modal dialog (Escape closes it); erasure from here too.
 */
import { Fragment, type ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { erase, loadVisitor, messageOf, type Timeline } from './api'
import { pct, short } from './format'
import { useLoad, useToken } from './load'
import { Table } from './table'
import { formatLocale, isKey, type Key, t } from './i18n'
import { tx } from './i18n/nodes'

/** The kinds of friction a visitor met, by the words the dashboard has for them (else the type as it is). */
const FRICTION: { [type: string]: Key } = {
  rage_click: 'rageClicks',
  dead_click: 'deadClicks',
  error_click: 'colErrorClicks',
  form_abandon: 'capFormsLeft',
  u_turn: 'friction:u_turn',
  stall: 'friction:stall',
}
const when = (at: number) => new Date(at).toLocaleString(formatLocale())

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
  <button type="button" class="link" onClick={() => onOpen(id)} aria-label={t('openVisitor', { id })}>
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
  const message = erasing || (timeline.loading && !v ? t('loading') : timeline.error)

  const eraseThem = async () => {
    const what = t('whatVisitor', { visitor: id })
    if (!confirm(t('eraseConfirm', { what }))) return
    try {
      const r = await erase(token, site, { visitor: id }, (done, left) =>
        setErasing(t('erasing', { what, done, left })),
      )
      onErased(t('erased', { what, n: r.erased }))
    } catch (e) {
      setErasing(messageOf(e))
    }
  }

  return (
    <dialog ref={dialog} class="visitor" aria-labelledby="visitor-title" onClose={onClose}>
      <header>
        <h2 id="visitor-title">{tx('visitorTitle', { id: <code>{id}</code> })}</h2>
        <button type="button" onClick={() => dialog.current?.close()}>
          {t('close')}
        </button>
      </header>
      <p role="status" class="status">
        {message}
      </p>
      {v && (
        <>
          <dl class="facts">
            <div>
              <dt>{t('colUser')}</dt>
              <dd>{v.visitor.userId === null ? t('vNotIdentified') : <bdi>{v.visitor.userId}</bdi>}</dd>
            </div>
            {v.visitor.traits && (
              <div>
                <dt>{t('vTraits')}</dt>
                <dd>
                  {/* The site's own names and values. */}
                  <bdi>
                    {Object.entries(v.visitor.traits)
                      .map(([k, x]) => `${k}: ${typeof x === 'string' ? x : JSON.stringify(x)}`)
                      .join(', ')}
                  </bdi>
                </dd>
              </div>
            )}
            <div>
              <dt>{t('vSeen')}</dt>
              <dd>
                {t('vSeenRange', {
                  from: when(v.visitor.firstSeen),
                  to: when(v.visitor.lastSeen),
                  sessions: t('journeySessions', { n: v.visitor.sessions }),
                })}
              </dd>
            </div>
            <div>
              <dt>{t('vSegments')}</dt>
              <dd>
                {isKey(v.attributes.device) ? t(v.attributes.device) : v.attributes.device} ·{' '}
                {t(v.attributes.returning ? 'returning' : 'newVisitors')} ·{' '}
                {v.attributes.source === null
                  ? t('vUnknown')
                  : tx('vFrom', { source: <bdi>{v.attributes.source}</bdi> })}
                {v.attributes.bot ? ` · ${t('vBot')}` : ''}
              </dd>
            </div>
            {v.propensity.length > 0 && (
              <div>
                <dt>{t('vChance')}</dt>
                <dd data-propensity>
                  {v.propensity.map((p, i) => (
                    <Fragment key={p.funnel}>
                      {i > 0 && ' · '}
                      {tx(
                        'vChanceTo',
                        { goal: <bdi>{p.goal}</bdi>, funnel: <bdi>{p.funnel}</bdi> },
                        { pct: pct(p.score) },
                      )}
                    </Fragment>
                  ))}
                </dd>
              </div>
            )}
            {v.attributes.landing && (
              <div>
                <dt>{t('vLanded')}</dt>
                <dd>
                  <bdi>{short(v.attributes.landing)}</bdi>
                </dd>
              </div>
            )}
          </dl>
          <h3>{t('colInterests')}</h3>
          {v.interests.length === 0 ? (
            <p class="note">{tx('vNoInterest', { readme: <code>README</code> })}</p>
          ) : (
            <Table
              class="compact"
              caption={t('colInterests')}
              csv="visitor-interests"
              rows={v.interests}
              rowKey={(i) => i.topic}
              columns={[
                { head: t('colTopic'), cell: (i) => <bdi>{i.topic}</bdi> },
                { head: t('colScore'), cell: (i) => i.score.toLocaleString(formatLocale()) },
              ]}
            />
          )}
          <h3>{t('vAnswers')}</h3>
          {v.answers.length === 0 ? (
            <p class="note">{t('vNoAnswer')}</p>
          ) : (
            <ul class="answers">
              {v.answers.map((a) => (
                <li key={`${a.ts}${a.type}${a.survey}`}>
                  <strong>
                    <bdi>{a.survey}</bdi>
                  </strong>
                  : {a.score !== null ? t('commentScore', { score: a.score }) : ''}
                  {a.text ? (
                    <q>
                      <bdi>{a.text}</bdi>
                    </q>
                  ) : null}{' '}
                  <small>{when(a.ts)}</small>
                </li>
              ))}
            </ul>
          )}
          <h3>{t('vFriction')}</h3>
          {v.friction.length === 0 ? (
            <p class="note">{t('vNone')}</p>
          ) : (
            <ul>
              {v.friction.map((f) => (
                <li key={f.type}>
                  {FRICTION[f.type] ? t(FRICTION[f.type]!) : <code>{f.type}</code>}:{' '}
                  {f.events.toLocaleString(formatLocale())}
                </li>
              ))}
            </ul>
          )}
          <h3>{t('vTimeline')}</h3>
          <p class="note">
            {v.shown < v.total ? t('vNewest', { shown: v.shown, n: v.total }) : t('vEvents', { n: v.total })}
          </p>
          {v.sessions.map((s) => (
            <section class="session" key={s.id} aria-label={t('vSession', { start: when(s.start) })}>
              <h4>
                {when(s.start)} <small>{t('vSessionEvents', { n: s.events.length })}</small>
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
              {t('vErase')}
            </button>
          </p>
        </>
      )}
    </dialog>
  )
}
