/**
 * @module surveys: shows a micro-survey. A lazy chunk (Preact and the UI), loaded by the core
 * only when a survey is due (the worker's answer) or asked for (`ciel('survey', id)`).
 *
 * The survey renders in a shadow root on its own host element, styled by its own stylesheet
 * (style.ts): no inline styles, nothing the page's CSS can break. One survey at a time, and a
 * survey the worker offers shows once per page. It speaks the page's language (`<html lang>`,
 * else the browser's) when the survey is written in it, else the site's default.
 *
 * Records, each named after the survey and carrying the worker's signed offer as its `hash`:
 * `survey_shown`, `survey_answer` the moment each question is answered (`{q, kind, score |
 * choice | choices | text, lang}`; a one-question survey keeps its original `{kind, score}` or
 * `{kind, text}`, and its follow-up is a `survey_comment` `{kind, score, text}`), and
 * `survey_dismiss` when closed before any answer.
 */
import { render } from 'preact'
import type { Ctx, Props } from '../contract/context'
import type { Answer, SurveyDue, SurveyWhen, Text } from '../contract/wire'
import { guard, onDoc } from '../core/guard'
import { Survey, given } from './ui'
import { styleRoot } from './style'
import { isRtl, languagesOf, nextOf, pickLanguage, questionsOf, textIn } from '../contract/survey-model'
import { W, wordsOf } from './words'

let open: HTMLElement | null = null
/** A survey is on the page (one the page itself removed, say by re-rendering, no longer counts). */
const showing = () => !!open?.isConnected
const offered = new Set<string>()
/** Takes the worker's offer for the survey the page asked for (it comes with the next answer). */
let sign: ((s: SurveyDue) => void) | null = null

// Clicks, typing and the tab shown again since this chunk loaded (any earlier one is older than
// the chunk): a visitor coming back to the tab gets a moment, to finish a form they left, say.
const loaded = Date.now()
let active = 0
// Guarded: a page's broken addEventListener cannot fail the chunk.
for (const t of ['click', 'keydown', 'input', 'visibilitychange']) onDoc(t, () => (active = Date.now()))
/**
 * When the visitor last submitted a form reported abandoned (the core's `form_submit`), seen
 * from the first survey on: a submit in the same batch as the abandonment, the worker sees.
 */
let submitted = 0
let listening = false
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Waits for a quiet moment: `ms` after the visitor's last click (and after this chunk loaded,
 * which is later than any click it did not see). A survey never pops up mid-gesture, and never
 * inside a click's dead-click window, where it would pass for the page answering the click.
 */
async function quiet(ms: number) {
  for (let wait; (wait = Math.max(loaded, active) + ms - Date.now()) > 0;) await sleep(wait)
}

/** How far down the page the visitor has seen (%); a page that fits the window is seen whole. */
function depth() {
  const h = document.documentElement.scrollHeight
  return h <= innerHeight ? 100 : (100 * (scrollY + innerHeight)) / h
}

/** The trigger's conditions: time on the page since the triggering event, and scroll depth. */
async function ripe(w: SurveyWhen) {
  if (w.seconds) await sleep(w.from + w.seconds * 1000 - Date.now())
  if (w.scroll)
    await new Promise<void>((done) => {
      const check = () => depth() >= w.scroll! && (removeEventListener('scroll', check), done())
      addEventListener('scroll', check, { passive: true })
      check()
    })
}

/** Shows a survey: one the worker offered, or (by id, from the site config) one the page asked for. */
export async function show(s: SurveyDue | string, ctx: Ctx): Promise<void> {
  const asked = typeof s === 'string'
  const since = Date.now()
  if (!listening) {
    listening = true
    ctx.listen((e) => e.type == 'form_submit' && (submitted = Date.now()))
  }
  let survey: SurveyDue | undefined
  if (typeof s === 'string') {
    await ctx.ready
    survey = ctx.config.surveys?.find((x) => x.id === s)
    if (!survey) return console.warn('ciel: no survey with id', s)
  } else if (offered.has(s.id)) return sign?.(s)
  else survey = s
  if (showing()) return
  offered.add(survey.id)
  if (survey.when) await ripe(survey.when)
  // Offered unprompted: at a quiet moment (no click or keystroke for a while), and while the
  // visitor is looking.
  for (;;) {
    if (!asked) await quiet(ctx.config.capture?.deadMs ?? 2500)
    if (!document.hidden) break
    await new Promise((r) => document.addEventListener('visibilitychange', r, { once: true }))
  }
  // Why they left a form, asked of a visitor who came back and submitted one: withdrawn.
  if (showing() || ((s as SurveyDue).after == 'form_abandon' && submitted >= since)) return

  const { id, labels = {}, thanks = {} } = survey
  const qs = questionsOf(survey)
  const fallback = ctx.config.language || 'en'
  const nav = navigator.languages || [navigator.language]
  const lang = pickLanguage([document.documentElement.lang, ...nav], languagesOf(qs), fallback)
  const t = (x: Text | undefined) => textIn(x, lang, fallback)
  const words = wordsOf(lang).map((w, i) => t(labels[['close', 'send', 'next', 'thanks', 'other'][i] as 'send']) || w)
  const rtl = isRtl(lang)
  // One-question surveys record what they always did; the others say which question and language.
  const legacy = !survey.questions
  const tag: { lang?: string } = legacy && !languagesOf(qs).length ? {} : { lang }
  const kind = qs[0]!.type
  let offer = survey.offer
  const emit = (type: string, props: object) =>
    ctx.emit(type, { kind, ...props, ...tag } as Props, id, undefined, undefined, offer)

  const host = (open = document.createElement('div'))
  host.setAttribute('data-ciel-survey', id)
  if (rtl) host.setAttribute('dir', 'rtl')
  // Quick clicks on the survey's buttons are answers, not rage.
  host.setAttribute('data-ciel-no-rage', '')
  const root = host.attachShadow({ mode: 'open' })
  ;(document.body ?? document.documentElement).append(host)
  styleRoot(root) // once connected: a <style> has a sheet to fill only then

  let step = 0
  let draft: Answer = {}
  let answered = false
  let score: number | undefined
  let announce = ''
  const draw = () => {
    const q = step < 0 ? null : qs[step]!
    const options = (q?.options || []).map((o) => ({ id: o.id, text: t(o.text) }))
    if (q?.other) options.push({ id: 'other', text: words[W.other]! })
    const low = q?.type == 'nps' ? W.npsLow : W.csatLow
    const link = thanks.link && { url: thanks.link.url, text: t(thanks.link.text) }
    render(
      <Survey
        {...{ lang, rtl, q, options, words, draft, announce, link, pick, choose, input, send, close }}
        heading={q ? t(q.text) : t(thanks.text) || words[W.thanks]!}
        low={t(q?.low || labels.low) || wordsOf(lang)[low]!}
        high={t(q?.high || labels.high) || wordsOf(lang)[low + 1]!}
        last={!!q && !q.branch && nextOf(qs, step, undefined) < 0}
      />,
      root,
    )
  }
  const close = guard(() => {
    if (!host.isConnected) return
    if (!answered) emit('survey_dismiss', {})
    render(null, root)
    host.remove()
    open = null
    sign = null
  })
  /** Goes to question i (-1: the thanks), keyboard and screen reader along. */
  const go = (i: number) => {
    step = i
    draft = {}
    announce = i < 0 ? '' : t(qs[i]!.text)
    draw()
    root.querySelector<HTMLElement>(i < 0 ? '.close' : '.q input,.q textarea,.q button')?.focus()
    if (i < 0 && !thanks.link) setTimeout(close, 2500)
  }
  /** Records the current question's answer (if any) the moment it is given, then moves on. */
  const next = () => {
    const q = qs[step]!
    const a = given(q, draft) ? draft : undefined
    if (a) {
      const text = (a.text || '').trim()
      const clean: Answer = { ...a }
      delete clean.text
      // The text of an open question, or of "Other" when it is picked.
      if (text && (q.type == 'text' || (a.choices || [a.choice]).indexOf('other') >= 0)) clean.text = text
      answered = true
      if (legacy && q.id == 'followUp') emit('survey_comment', { score, text })
      else if (legacy) emit('survey_answer', clean)
      else emit('survey_answer', { q: q.id, kind: q.type, ...clean })
      if (a.score != null) score = a.score
    } else if (q.required) return
    go(nextOf(qs, step, a))
  }
  const pick = guard((n: number) => {
    draft = { score: n }
    next()
  })
  const choose = guard((c: string, on: boolean) => {
    const single = qs[step]!.type == 'single'
    const list = (draft.choices || []).filter((x) => x != c)
    draft = single ? { choice: c, text: draft.text } : { choices: on ? list.concat(c) : list, text: draft.text }
    draw()
  })
  const input = guard((text: string) => {
    draft = { ...draft, text }
    draw()
  })
  const send = guard(next)
  sign = (s) => s.id == id && s.offer && (offer = s.offer)
  draw()
  emit('survey_shown', { asked })
  // Asked for by the page (a "give feedback" button): take the keyboard there. Offered
  // unprompted: never steal the focus from what the visitor is doing.
  if (asked) root.querySelector<HTMLElement>('.q input,.q textarea,.q button')?.focus()
}
