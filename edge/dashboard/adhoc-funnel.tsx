/**
 * @module dashboard/adhoc-funnel: "Ask a funnel" in Explore: steps chosen from the pages, custom
 * events and funnel steps the site has seen (or typed), added, removed and moved, and a conversion
 * window; asked of `GET /v1/insights/funnels?steps=&window=` and drawn as a saved funnel is
 * (funnels.tsx), its numbers opening their visitors as a saved funnel's do (behind.tsx). What is
 * asked lives in the URL (`steps`, `window`: url.ts), so a reload or a link asks it again. "Save as funnel" adds it to the site's funnels through the one config save.
 * The worker's refusal shows beside the field it is about (field-problem.tsx).
 */
import { useEffect, useState } from 'preact/hooks'
import { ApiError, insight, insightQuery, type Funnels, type Segment } from './api'
import {
  askProblem,
  FieldRefusal,
  funnelOf,
  KINDS,
  saveProblem,
  stepsOf,
  stepsText,
  type AskKind,
  type AskStep,
} from './adhoc-steps'
import { move, useDrafts } from './drafts'
import { useFieldProblem } from './field-problem'
import { whoOf } from './behind'
import { FunnelTable } from './funnels'
import { t, type Key } from './i18n'
import { invalidate, useAdmin, useLoad, useToken } from './load'
import type { Go } from './url'

const KIND_WORDS: Record<AskKind, Key> = { page: 'askKindPage', track: 'askKindTrack', step: 'askKindStep' }
const LISTS: Record<AskKind, string> = { page: 'ask-pages', track: 'ask-tracks', step: 'ask-steps' }

/** What the funnel answered, or the worker's refusal of what was asked (shown at its field). */
type Asked = { answer: Funnels } | { refused: ApiError }

/** A refusal of a field, in words of the dashboard's language. */
const local = (path: string, words: string) => new FieldRefusal(path, words)

export function AdhocFunnel({
  site,
  days,
  segment,
  steps,
  window,
  pages,
  tracks,
  funnelSteps,
  go,
}: {
  site: string
  days: number
  segment: Segment
  /** What the URL asks (url.ts): steps in the API's syntax ('': nothing asked) and the window ('': 7). */
  steps: string
  window: string
  /** Offered for each kind of step: the period's pages, custom event names, and funnel/step of the saved funnels. */
  pages: string[]
  tracks: string[]
  funnelSteps: string[]
  go: Go
}) {
  const token = useToken()
  const admin = useAdmin()
  const [drafts, set] = useDrafts<AskStep>(() => {
    const asked = stepsOf(steps)
    return asked.length ? asked : [newStep('page'), newStep('track')]
  })
  const [windowDraft, setWindow] = useState(window)
  const [name, setName] = useState('')
  const [saved, setSaved] = useState('')
  const p = useFieldProblem('ask-funnel')
  const query = steps ? insightQuery(site, days, segment, { steps, ...(window ? { window } : {}) }) : null
  const r = useLoad<Asked>(
    query && token
      ? (signal) =>
          insight(token, 'funnels', query, signal).then(
            (answer) => ({ answer }),
            (e) => {
              if (e instanceof ApiError && e.status === 400) return { refused: e }
              throw e
            },
          )
      : null,
    JSON.stringify(['adhoc', token, query]),
  )
  const refused = r.data && 'refused' in r.data ? r.data.refused : null
  useEffect(() => {
    if (refused) p.refused(askProblem(refused, drafts), { steps: named(drafts) })
  }, [refused])
  const funnel = r.data && 'answer' in r.data ? r.data.answer.funnels[0] : undefined

  const ask = () => {
    p.clear()
    setSaved('')
    const comma = drafts.findIndex((s) => s.value.includes(','))
    if (comma >= 0) return p.refused(local(`steps[${comma}].value`, t('askNoComma')), { steps: named(drafts) })
    const text = stepsText(drafts)
    const w = windowDraft.trim()
    if (text === steps && w === window) r.reload()
    else go({ steps: text, window: w })
  }
  const save = async () => {
    p.clear()
    setSaved('')
    const id = name.trim()
    if (!id) return p.refused(local('name', t('askNameNeeded')), {})
    const current = await admin.site(site)
    const funnels = current.config.funnels ?? []
    if (funnels.some((f) => f.id === id)) return p.refused(local('name', t('askNameTaken', { id })), {})
    const made = funnelOf(id, drafts, windowDraft)
    try {
      const next = await admin.save(site, { config: { funnels: [...funnels, made] } })
      setSaved(t('askSaved', { id, version: next.version }))
      // The saved funnels (Funnels above, Settings) read the config: load them again.
      invalidate()
    } catch (e) {
      p.refused(saveProblem(e, funnels.length), { funnels: [...funnels, made] })
    }
  }

  return (
    <section aria-labelledby="ask-funnel">
      <h2 id="ask-funnel">{t('askFunnel')}</h2>
      <form
        ref={p.form}
        noValidate
        class="config-form ask-funnel"
        aria-labelledby="ask-funnel"
        onSubmit={(e) => {
          e.preventDefault()
          ask()
        }}
      >
        <p class="note">{t('askFunnelHint')}</p>
        {p.above()}
        {KINDS.map((k) => (
          <datalist id={LISTS[k]} key={k}>
            {(k === 'page' ? pages : k === 'track' ? tracks : funnelSteps).map((v) => (
              <option value={v} key={v} />
            ))}
          </datalist>
        ))}
        <ol class="steps" {...p.mark('steps')}>
          {drafts.map((s, j) => {
            const n = t('askStep', { n: j + 1 })
            const valueAt = `steps[${j}].value`
            return (
              <li key={j} {...p.mark(`steps[${j}]`)}>
                <select
                  aria-label={`${n}: ${t('askKind')}`}
                  value={s.kind}
                  onChange={(e) => set((l) => (l[j]!.kind = e.currentTarget.value as AskKind))}
                >
                  {KINDS.map((k) => (
                    <option value={k} key={k}>
                      {t(KIND_WORDS[k])}
                    </option>
                  ))}
                </select>{' '}
                <input
                  aria-label={`${n}: ${t(KIND_WORDS[s.kind])}`}
                  dir="auto"
                  list={LISTS[s.kind]}
                  value={s.value}
                  size={20}
                  placeholder={s.kind === 'page' ? '/pricing' : s.kind === 'step' ? 'onboarding/done' : 'signup'}
                  onInput={(e) => set((l) => (l[j]!.value = e.currentTarget.value))}
                  {...p.mark(valueAt)}
                />{' '}
                <button type="button" disabled={j === 0} onClick={() => set((l) => move(l, j, -1))}>
                  <span class="sr-only">{n}: </span>
                  {t('askUp')}
                </button>
                <button type="button" disabled={j === drafts.length - 1} onClick={() => set((l) => move(l, j, 1))}>
                  <span class="sr-only">{n}: </span>
                  {t('askDown')}
                </button>
                <button type="button" onClick={() => set((l) => l.splice(j, 1))}>
                  <span class="sr-only">{n}: </span>
                  {t('askRemove')}
                </button>
                {[valueAt, `steps[${j}]`].map(p.why)}
              </li>
            )
          })}
        </ol>
        {p.why('steps')}
        <p>
          <button type="button" onClick={() => set((l) => l.push(newStep(l[l.length - 1]?.kind ?? 'page')))}>
            {t('askAddStep')}
          </button>
        </p>
        <label>
          {t('askWindow')}{' '}
          <input
            type="number"
            inputMode="numeric"
            size={4}
            value={windowDraft}
            onInput={(e) => setWindow(e.currentTarget.value)}
            {...p.mark('window')}
          />
        </label>
        {p.why('window')} <button type="submit">{t('askShow')}</button>
        <p>
          <label>
            {t('askSaveName')}{' '}
            <input value={name} size={16} onInput={(e) => setName(e.currentTarget.value)} {...p.mark('name')} />
          </label>{' '}
          <button type="button" onClick={() => void save().catch((e) => p.refused(e, {}))}>
            {t('askSave')}
          </button>{' '}
          <span role="status">{saved}</span>
        </p>
        {p.why('name')}
      </form>
      {r.error && (
        <p role="alert" class="error">
          {r.error}
        </p>
      )}
      {!steps && <p class="note">{t('askNothingYet')}</p>}
      {funnel && (
        <FunnelTable
          f={{ ...funnel, id: t('askedFunnel') }}
          onDrill={(who) => go({ who: askedWho(who, steps, window) })}
        />
      )}
    </section>
  )
}

const newStep = (kind: AskKind): AskStep => ({ kind, value: '' })

/** A drill-down of the table (which names a saved funnel by `funnel`) as one of the funnel asked: its steps and window. */
function askedWho(who: string, steps: string, window: string) {
  const { funnel: _, ...number } = Object.fromEntries(new URLSearchParams(who))
  return whoOf({ steps, ...(window && { window }), ...number })
}

/** The steps as the refusal's place names them (`step “page:/pricing”`). */
const named = (steps: AskStep[]) => steps.map((s) => ({ id: `${s.kind}:${s.value.trim()}` }))
