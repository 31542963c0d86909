/**
 * @module dashboard/survey-editor: the Settings' surveys. A list with each survey's status (on
 * or off, responses and NPS from the insights) and an editor for one survey: every question
 * type, required or optional, branching, the texts of each language side by side, targeting,
 * and a live preview shown by the snippet's own survey chunk (preview.ts, in an iframe) in the
 * language chosen, right to left for Hebrew and Arabic. A save is one PATCH of the site's
 * surveys: the worker's schema refuses it whole or keeps it whole, and its message is shown
 * next to the field it names. A lazy chunk: the dashboard loads it when Settings opens.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Branch, Question, QuestionType, SurveyConfig, SurveyTrigger, Text } from '../../snippet/contract/wire'
import { END, isRtl, questionsOf, textIn } from '../../snippet/contract/survey-model'
import { atFieldMessage, messageOf, ownerMessage, pathOf } from './problem'
import { Table } from './table'
import { type Key, t } from './i18n'
import { tx } from './i18n/nodes'

/** Each survey's responses and NPS (the last 30 days), by id. */
export type SurveyStats = { [id: string]: { answered: number; nps: number | null } }

export interface SurveysProps {
  /** The site's surveys as stored. */
  surveys: SurveyConfig[]
  /** The site's default language (config.language, default en). */
  language: string
  /** The site's named segments (an audience may name one). */
  segments: string[]
  stats: SurveyStats
  /** Saves the whole list in one PATCH; rejects with the worker's message. */
  save(list: SurveyConfig[]): Promise<void>
}

type Audience = NonNullable<SurveyConfig['audience']>

/** Languages offered side by side (the snippet's built-in words exist for these). */
const LANGS: { [code: string]: string } = { en: 'English', pl: 'Polski', he: 'עברית', ar: 'العربية' }
const TYPES: [QuestionType, Key][] = [
  ['nps', 'typeNps'],
  ['csat', 'typeCsat'],
  ['emoji', 'typeEmoji'],
  ['single', 'typeSingle'],
  ['multi', 'typeMulti'],
  ['text', 'typeText'],
]
const SCALE = (t: string) => t === 'nps' || t === 'csat' || t === 'emoji'
const CHOICE = (t: string) => t === 'single' || t === 'multi'
/** Event types a trigger may name (the snippet's built-in ones; any other is typed in). */
const EVENTS = ['pageview', 'stall', 'step', 'track', 'rage_click', 'dead_click', 'form_abandon', 'error', 'u_turn']

/** The text of one language: a plain string belongs to the site's default language. */
const textOf = (t: Text | undefined, lang: string, def: string) =>
  t == null ? '' : typeof t === 'string' ? (lang === def ? t : '') : (t[lang] ?? '')

/** The text with one language changed: a string while only the default language has one. */
export function withText(t: Text | undefined, lang: string, value: string, def: string): Text | undefined {
  const m: { [lang: string]: string } = typeof t === 'string' ? { [def]: t } : { ...(t ?? {}) }
  if (value) m[lang] = value
  else delete m[lang]
  const keys = Object.keys(m)
  if (!keys.length) return undefined
  return keys.length === 1 && keys[0] === def ? m[def] : m
}

/**
 * The languages a survey is written in (the keys of its texts given as maps), the default first.
 * Only the fields that hold a text a visitor reads are looked at: an id or a branch's `to` is no
 * language, however short.
 */
export function languagesIn(s: SurveyConfig, def: string): string[] {
  const found = new Set([def])
  const add = (t: Text | undefined) => {
    if (t && typeof t === 'object') for (const [k, v] of Object.entries(t)) if (typeof v === 'string') found.add(k)
  }
  for (const q of s.questions ?? []) [q.text, q.low, q.high, ...(q.options ?? []).map((o) => o.text)].forEach(add)
  ;[s.question, s.followUp, s.thanks?.text, s.thanks?.link?.text, ...Object.values(s.labels ?? {})].forEach(add)
  return [...found]
}

/** The survey as the worker wants it: no empty parts, a survey of one question made a list. */
export function cleaned(d: SurveyConfig): SurveyConfig {
  const s = JSON.parse(JSON.stringify(d)) as SurveyConfig // drops what is undefined
  for (const q of s.questions ?? []) {
    if (!q.branch?.length) delete q.branch
    if (!q.required) delete q.required
    if (!CHOICE(q.type)) delete q.other
    else if (!q.other) delete q.other
  }
  for (const part of ['trigger', 'audience', 'thanks'] as const) {
    const x = s[part]
    if (x && !Object.keys(x).length) delete s[part]
  }
  if (s.audience?.paths && !s.audience.paths.length) delete s.audience.paths
  if (s.audience && !Object.keys(s.audience).length) delete s.audience
  return s
}

/** A copy to edit: a one-question survey (`kind`, `question`, `followUp`) as its list of questions. */
export function editable(survey: SurveyConfig): SurveyConfig {
  const s = JSON.parse(JSON.stringify(survey)) as SurveyConfig
  if (!s.questions) {
    s.questions = questionsOf(s)
    delete s.kind
    delete s.question
    delete s.followUp
  }
  return s
}

/**
 * Where the worker's refusal points inside the survey: `questions[1].text`, `sample`, ... From the
 * field it names (`config.surveys[4].trigger.path`), else from its message (which starts with it).
 */
export const fieldOf = (message: string) =>
  /surveys\[\d+\](?: '[^']*': )?\.?([\w[\].-]*)/.exec(message)?.[1]?.replace(/\.$/, '') ?? ''

/**
 * The worker's message and the field of the survey it points at: `message` names the field in
 * words (`surveys`: the list saved, to name the survey by its id), `here` is said at the field.
 */
export function problemOf(e: unknown, surveys?: SurveyConfig[]): Problem {
  const path = pathOf(e)
  return {
    at: fieldOf(path || messageOf(e)),
    message: ownerMessage(e, { config: { surveys } }),
    here: atFieldMessage(e),
  }
}
interface Problem {
  at: string
  message: string
  here: string
}

/** The survey's list, with its status, and the editor of the one open. */
export function SurveysPart(p: SurveysProps) {
  const [open, setOpen] = useState<{ survey: SurveyConfig; index: number } | null>(null)
  const [status, setStatus] = useState('')
  const toggle = (i: number) => {
    const on = p.surveys[i]!.on !== false
    const list = p.surveys.map((s, j) => {
      if (j !== i) return s
      const { on: _, ...rest } = s
      return on ? { ...rest, on: false } : rest
    })
    setStatus('')
    p.save(list).catch((e) => setStatus(t(on ? 'notSwitchedOff' : 'notSwitchedOn', { error: problemOf(e).message })))
  }
  if (open)
    return (
      <Editor
        {...p}
        initial={open.survey}
        index={open.index}
        isNew={open.index === p.surveys.length}
        close={() => setOpen(null)}
      />
    )
  return (
    <fieldset class="surveys">
      <legend>{t('surveysLegend')}</legend>
      {p.surveys.length ? (
        <Table<SurveyConfig>
          caption={t('surveysCaption')}
          captionClass="sr-only"
          csv={false}
          rows={p.surveys}
          rowKey={(s) => s.id}
          rowProps={(s) => ({ 'data-survey': s.id })}
          columns={[
            { head: t('colSurvey'), cell: (s) => <code>{s.id}</code> },
            {
              head: t('colFirstQuestion'),
              cell: (s) => <bdi lang={p.language}>{textIn(questionsOf(s)[0]?.text, p.language, p.language)}</bdi>,
            },
            {
              head: t('colStatus'),
              cell: (s, i) => (
                <button
                  type="button"
                  role="switch"
                  aria-checked={s.on !== false}
                  aria-label={t('surveyShown', { id: s.id })}
                  onClick={() => toggle(i)}
                >
                  {s.on !== false ? t('on') : t('off')}
                </button>
              ),
            },
            { head: t('colResponses'), cell: (s) => p.stats[s.id]?.answered ?? '–' },
            { head: 'NPS', cell: (s) => p.stats[s.id]?.nps ?? '–' },
            {
              head: <span class="sr-only">{t('edit')}</span>,
              cell: (s, i) => (
                <button type="button" onClick={() => setOpen({ survey: s, index: i })}>
                  {tx('editSurvey', { id: <code>{s.id}</code> })}
                </button>
              ),
            },
          ]}
        />
      ) : (
        <p class="note">{t('noSurveyYet')}</p>
      )}
      <p role="alert" class="error">
        {status}
      </p>
      <button
        type="button"
        onClick={() =>
          setOpen({
            index: p.surveys.length,
            survey: { id: '', on: false, questions: [{ id: 'q1', type: 'nps', text: '', required: true }] },
          })
        }
      >
        {t('newSurvey')}
      </button>
    </fieldset>
  )
}

function Editor(p: SurveysProps & { initial: SurveyConfig; index: number; isNew: boolean; close: () => void }) {
  const def = p.language
  const [d, setD] = useState<SurveyConfig>(() => editable(p.initial))
  const [langs, setLangs] = useState(() => languagesIn(p.initial, def))
  const [problem, setProblem] = useState<Problem | null>(null)
  const [field, setField] = useState('')
  const [busy, setBusy] = useState(false)
  const [lang, setLang] = useState(def)
  // What the preview shows: the draft, the language, and a round to show it again.
  const [shown, setShown] = useState<{ survey: SurveyConfig; lang: string; language: string; round: number } | null>(
    null,
  )
  const [round, setRound] = useState(0)
  const form = useRef<HTMLFormElement>(null)
  const frame = useRef<HTMLIFrameElement>(null)
  const qs = d.questions!

  /** Changes the draft (a copy of it, changed in place). */
  const set = (f: (s: SurveyConfig & { questions: Question[] }) => void) =>
    setD((prev) => {
      const next = JSON.parse(JSON.stringify(prev))
      f(next)
      return next
    })
  const setQ = (i: number, f: (q: Question) => void) => set((s) => f(s.questions[i]!))

  // The worker's message goes next to the most precise field it names (else above the form).
  useEffect(() => {
    if (!problem) return setField('')
    let best = ''
    form.current!.querySelectorAll<HTMLElement>('[data-path]').forEach((el) => {
      const f = el.dataset.path!
      const hit = problem.at === f || problem.at.startsWith(f + '.') || problem.at.startsWith(f + '[')
      if (hit && f.length > best.length) best = f
    })
    setField(best)
    const el = best && form.current!.querySelector<HTMLElement>(`[data-path="${best}"]`)
    if (el) (el.matches('input,select,textarea') ? el : el.querySelector<HTMLElement>('input,select,textarea'))?.focus()
  }, [problem])

  // The preview: the cleaned draft posted to the preview page, a moment after the last change (and
  // again once the page has loaded: a message to it before then is lost).
  useEffect(() => {
    const timer = setTimeout(() => {
      const survey = cleaned({ ...d, id: d.id || 'preview' })
      setShown({ survey, lang, language: def, round })
    }, 250)
    return () => clearTimeout(timer)
  }, [d, lang, round])
  const post = () => frame.current?.contentWindow?.postMessage(shown, location.origin)
  useEffect(post, [shown])

  /** Marks a field the worker named, and says why, next to it. */
  const mark = (path: string) => ({
    'data-path': path,
    'aria-invalid': field === path ? true : undefined,
    'aria-describedby': field === path ? 'survey-problem' : undefined,
  })
  const why = (path: string) =>
    field === path && problem ? (
      <p id="survey-problem" class="error" role="alert">
        {problem.at === path ? problem.here : problem.message}
      </p>
    ) : null

  /** One text in every language, side by side. */
  const texts = (label: string, path: string, value: Text | undefined, put: (t: Text | undefined) => void) => (
    <fieldset class="texts" {...mark(path)}>
      <legend>{label}</legend>
      {langs.map((l) => (
        <label key={l}>
          <span class="lang">{l}</span>
          <input
            lang={l}
            dir={isRtl(l) ? 'rtl' : 'ltr'}
            aria-label={`${label}, ${LANGS[l] ?? l}`}
            value={textOf(value, l, def)}
            onInput={(e) => put(withText(value, l, e.currentTarget.value, def))}
            {...mark(`${path}.${l}`)}
          />
        </label>
      ))}
      {why(path)}
      {langs.map((l) => why(`${path}.${l}`))}
    </fieldset>
  )
  const num = (v: string) => (v.trim() === '' ? undefined : Number(v))
  const later = (i: number) => qs.slice(i + 1).map((q) => q.id)

  const question = (q: Question, i: number) => {
    const at = `questions[${i}]`
    const choices = [...(q.options ?? []).map((o) => o.id), ...(q.other ? ['other'] : [])]
    return (
      <fieldset class="question" key={i} {...mark(at)}>
        <legend>
          {t('questionN', { n: i + 1 })} <code>{q.id}</code>
        </legend>
        {why(at)}
        <div class="row">
          <label>
            {t('id')}{' '}
            <input
              value={q.id}
              size={12}
              required
              onInput={(e) => setQ(i, (x) => (x.id = e.currentTarget.value))}
              {...mark(`${at}.id`)}
            />
          </label>
          <label>
            {t('type')}{' '}
            <select
              value={q.type}
              onChange={(e) =>
                setQ(i, (x) => {
                  x.type = e.currentTarget.value as QuestionType
                  if (CHOICE(x.type)) x.options ??= [{ id: 'a', text: '' }]
                  else (delete x.options, delete x.other)
                  if (x.type !== 'nps' && x.type !== 'csat') (delete x.low, delete x.high)
                  delete x.branch
                })
              }
              {...mark(`${at}.type`)}
            >
              {TYPES.map(([type, name]) => (
                <option value={type} key={type}>
                  {t(name)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={!!q.required}
              onChange={(e) => setQ(i, (x) => (x.required = e.currentTarget.checked))}
            />{' '}
            {t('required')}
          </label>
        </div>
        {why(`${at}.id`)}
        {texts(t('questionText'), `${at}.text`, q.text, (text) => setQ(i, (x) => (x.text = text!)))}
        {(q.type === 'nps' || q.type === 'csat') && (
          <>
            {texts(t('lowEnd'), `${at}.low`, q.low, (text) => setQ(i, (x) => (x.low = text)))}
            {texts(t('highEnd'), `${at}.high`, q.high, (text) => setQ(i, (x) => (x.high = text)))}
          </>
        )}
        {CHOICE(q.type) && (
          <fieldset {...mark(`${at}.options`)}>
            <legend>{t('options')}</legend>
            {why(`${at}.options`)}
            {(q.options ?? []).map((o, j) => (
              <div class="option" key={j}>
                <label>
                  {t('optionId')}{' '}
                  <input
                    value={o.id}
                    size={10}
                    onInput={(e) => setQ(i, (x) => (x.options![j]!.id = e.currentTarget.value))}
                    {...mark(`${at}.options[${j}].id`)}
                  />
                </label>
                {why(`${at}.options[${j}].id`)}
                {texts(t('optionN', { n: j + 1 }), `${at}.options[${j}].text`, o.text, (text) =>
                  setQ(i, (x) => (x.options![j]!.text = text!)),
                )}
                <button type="button" onClick={() => setQ(i, (x) => x.options!.splice(j, 1))}>
                  {t('removeOption', { n: j + 1 })}
                </button>
              </div>
            ))}
            <button
              type="button"
              onClick={() =>
                setQ(i, (x) => (x.options ??= []).push({ id: String.fromCharCode(97 + x.options!.length), text: '' }))
              }
            >
              {t('addOption')}
            </button>
            <label>
              <input
                type="checkbox"
                checked={!!q.other}
                onChange={(e) => setQ(i, (x) => (x.other = e.currentTarget.checked))}
                {...mark(`${at}.other`)}
              />{' '}
              {t('otherOption')}
            </label>
          </fieldset>
        )}
        {q.type !== 'text' && (
          <fieldset {...mark(`${at}.branch`)}>
            <legend>{t('branching')}</legend>
            {why(`${at}.branch`)}
            {(q.branch ?? []).map((b, j) => {
              const bp = `${at}.branch[${j}]`
              const put = (f: (x: Branch) => void) => setQ(i, (x) => f(x.branch![j]!))
              return (
                <div class="row" key={j} {...mark(bp)}>
                  {SCALE(q.type) ? (
                    <>
                      <label>
                        {t('scoreAtLeast')}{' '}
                        <input
                          type="number"
                          value={b.min ?? ''}
                          onInput={(e) => put((x) => (x.min = num(e.currentTarget.value)))}
                          {...mark(`${bp}.min`)}
                        />
                      </label>
                      <label>
                        {t('andAtMost')}{' '}
                        <input
                          type="number"
                          value={b.max ?? ''}
                          onInput={(e) => put((x) => (x.max = num(e.currentTarget.value)))}
                          {...mark(`${bp}.max`)}
                        />
                      </label>
                    </>
                  ) : (
                    <label>
                      {t('answerIs')}{' '}
                      <select
                        value={b.choice ?? ''}
                        onChange={(e) => put((x) => (x.choice = e.currentTarget.value || undefined))}
                        {...mark(`${bp}.choice`)}
                      >
                        <option value="">{t('choose')}</option>
                        {choices.map((c) => (
                          <option value={c} key={c} translate={false}>
                            {c}
                          </option>
                        ))}
                      </select>
                    </label>
                  )}
                  <label>
                    {t('goTo')}{' '}
                    <select
                      value={b.to}
                      onChange={(e) => put((x) => (x.to = e.currentTarget.value))}
                      {...mark(`${bp}.to`)}
                    >
                      {[...later(i), END].map((to) => (
                        <option value={to} key={to} translate={to === END}>
                          {to === END ? t('theEnd') : to}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button type="button" onClick={() => setQ(i, (x) => x.branch!.splice(j, 1))}>
                    {t('removeBranch', { n: j + 1 })}
                  </button>
                  {why(bp)}
                  {why(`${bp}.min`)}
                  {why(`${bp}.max`)}
                  {why(`${bp}.choice`)}
                  {why(`${bp}.to`)}
                </div>
              )
            })}
            <button type="button" onClick={() => setQ(i, (x) => (x.branch ??= []).push({ to: later(i)[0] ?? END }))}>
              {t('addBranch')}
            </button>
          </fieldset>
        )}
        <label>
          {t('otherwiseGoTo')}{' '}
          <select
            value={q.next ?? ''}
            onChange={(e) => setQ(i, (x) => (x.next = e.currentTarget.value || undefined))}
            {...mark(`${at}.next`)}
          >
            <option value="">{t('nextQuestion')}</option>
            {[...later(i), END].map((to) => (
              <option value={to} key={to} translate={to === END}>
                {to === END ? t('theEnd') : to}
              </option>
            ))}
          </select>
        </label>
        {why(`${at}.next`)}
        <div class="row">
          <button
            type="button"
            disabled={i === 0}
            onClick={() => set((s) => s.questions.splice(i - 1, 0, ...s.questions.splice(i, 1)))}
          >
            {t('moveUp', { n: i + 1 })}
          </button>
          <button
            type="button"
            disabled={i === qs.length - 1}
            onClick={() => set((s) => s.questions.splice(i + 1, 0, ...s.questions.splice(i, 1)))}
          >
            {t('moveDown', { n: i + 1 })}
          </button>
          <button type="button" disabled={qs.length === 1} onClick={() => set((s) => s.questions.splice(i, 1))}>
            {t('removeQuestion', { n: i + 1 })}
          </button>
        </div>
      </fieldset>
    )
  }

  const tr = d.trigger ?? {}
  const au = d.audience ?? {}
  /** Sets one field of the trigger or audience; an empty one is left out. */
  const setTrigger = <K extends keyof SurveyTrigger>(k: K, v: SurveyTrigger[K] | '') =>
    set((s) => {
      const t: SurveyTrigger = { ...s.trigger }
      if (v === '' || v === undefined) delete t[k]
      else t[k] = v
      s.trigger = t
    })
  const setAudience = <K extends keyof Audience>(k: K, v: Audience[K] | '') =>
    set((s) => {
      const a: Audience = { ...s.audience }
      if (v === '' || v === undefined) delete a[k]
      else a[k] = v
      s.audience = a
    })

  return (
    <form
      ref={form}
      class="survey-editor"
      aria-labelledby="survey-editor"
      onSubmit={(e) => {
        e.preventDefault()
        const list = [...p.surveys]
        list[p.index] = cleaned(d)
        setBusy(true)
        setProblem(null)
        p.save(list)
          .catch((err) => setProblem(problemOf(err, list)))
          .finally(() => setBusy(false))
      }}
    >
      <h3 id="survey-editor">{p.isNew ? t('newSurvey') : tx('surveyTitle', { id: <code>{p.initial.id}</code> })}</h3>
      {problem && !field && (
        <p class="error" role="alert">
          {problem.message}
        </p>
      )}
      <div class="editor">
        <div>
          <fieldset>
            <legend>{t('surveyLegend')}</legend>
            <label>
              {t('surveyId')}{' '}
              <input
                value={d.id}
                required
                readOnly={!p.isNew}
                onInput={(e) => set((s) => (s.id = e.currentTarget.value))}
                {...mark('id')}
              />
            </label>
            {why('id')}
            <fieldset>
              <legend>{t('languagesSideBySide')}</legend>
              {[...new Set([...Object.keys(LANGS), ...langs])].map((l) => (
                <label key={l}>
                  <input
                    type="checkbox"
                    checked={langs.includes(l)}
                    disabled={l === def}
                    onChange={(e) =>
                      setLangs((ls) => (e.currentTarget.checked ? [...ls, l] : ls.filter((x) => x !== l)))
                    }
                  />{' '}
                  <span lang={l}>{LANGS[l] ?? l}</span>
                </label>
              ))}
            </fieldset>
          </fieldset>
          {qs.map(question)}
          <button
            type="button"
            onClick={() =>
              set((s) => {
                let n = s.questions.length + 1
                while (s.questions.some((q) => q.id === `q${n}`)) n++
                s.questions.push({ id: `q${n}`, type: 'text', text: '' })
              })
            }
          >
            {t('addQuestion')}
          </button>
          {texts(t('thanksText'), 'thanks.text', d.thanks?.text, (text) =>
            set((s) => (s.thanks = JSON.parse(JSON.stringify({ ...s.thanks, text })))),
          )}
          <fieldset {...mark('trigger')}>
            <legend>{t('whenOffered')}</legend>
            {why('trigger')}
            <p class="note">{tx('onlyWhenCalled', { call: <code>ciel('survey', id)</code> })}</p>
            <label>
              {t('afterEvent')}{' '}
              <input
                list="survey-events"
                value={tr.event ?? ''}
                onInput={(e) => setTrigger('event', e.currentTarget.value)}
                {...mark('trigger.event')}
              />
            </label>
            <datalist id="survey-events">
              {EVENTS.map((x) => (
                <option value={x} key={x} />
              ))}
            </datalist>
            {why('trigger.event')}
            <label>
              {t('eventNamed')}{' '}
              <input
                value={tr.name ?? ''}
                onInput={(e) => setTrigger('name', e.currentTarget.value)}
                {...mark('trigger.name')}
              />
            </label>
            {why('trigger.name')}
            <label>
              {t('underPath')}{' '}
              <input
                value={tr.path ?? ''}
                placeholder="/pricing"
                onInput={(e) => setTrigger('path', e.currentTarget.value)}
                {...mark('trigger.path')}
              />
            </label>
            {why('trigger.path')}
            <label>
              {t('afterSeconds')}{' '}
              <input
                type="number"
                value={tr.seconds ?? ''}
                onInput={(e) => setTrigger('seconds', num(e.currentTarget.value))}
                {...mark('trigger.seconds')}
              />
            </label>
            {why('trigger.seconds')}
            <label>
              {t('scrolled')}{' '}
              <input
                type="number"
                value={tr.scroll ?? ''}
                onInput={(e) => setTrigger('scroll', num(e.currentTarget.value))}
                {...mark('trigger.scroll')}
              />
            </label>
            {why('trigger.scroll')}
          </fieldset>
          <fieldset {...mark('audience')}>
            <legend>{t('whoIsAsked')}</legend>
            {why('audience')}
            <label>
              {t('audiencePaths')}
              <textarea
                rows={2}
                value={(au.paths ?? []).join('\n')}
                onInput={(e) =>
                  setAudience(
                    'paths',
                    e.currentTarget.value
                      .split('\n')
                      .map((x) => x.trim())
                      .filter(Boolean),
                  )
                }
                {...mark('audience.paths')}
              />
            </label>
            {why('audience.paths')}
            <label>
              {t('segment')}{' '}
              <select
                value={typeof au.segment === 'string' ? au.segment : ''}
                onChange={(e) => setAudience('segment', e.currentTarget.value)}
                {...mark('audience.segment')}
              >
                <option value="">{t('everyoneOption')}</option>
                {p.segments.map((s) => (
                  <option value={s} key={s} translate={false}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            {why('audience.segment')}
            <label>
              {t('sample')}{' '}
              <input
                type="number"
                step="any"
                value={d.sample ?? ''}
                placeholder="1"
                onInput={(e) => set((s) => (s.sample = num(e.currentTarget.value)))}
                {...mark('sample')}
              />
            </label>
            {why('sample')}
            <label>
              {t('askAgain')}{' '}
              <input
                type="number"
                value={d.recontactDays ?? ''}
                onInput={(e) => set((s) => (s.recontactDays = num(e.currentTarget.value)))}
                {...mark('recontactDays')}
              />
            </label>
            {why('recontactDays')}
          </fieldset>
        </div>
        <aside class="preview" aria-label={t('preview')}>
          <label>
            {t('previewIn')}{' '}
            <select value={lang} onChange={(e) => setLang(e.currentTarget.value)}>
              {langs.map((l) => (
                <option value={l} key={l} lang={l}>
                  {LANGS[l] ?? l}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" onClick={() => setRound((n) => n + 1)}>
            {t('showAgain')}
          </button>
          {shown && <iframe title={t('surveyPreview')} src="/dashboard/preview" ref={frame} onLoad={post} />}
        </aside>
      </div>
      <div class="row">
        <button type="submit" disabled={busy}>
          {p.isNew ? t('createSurvey') : t('saveSurvey')}
        </button>
        <button type="button" onClick={p.close}>
          {t('cancel')}
        </button>
        <span role="status">{busy ? t('saving') : ''}</span>
      </div>
    </form>
  )
}
