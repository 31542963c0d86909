/**
 * @module surveys: shows a micro-survey. A lazy chunk (Preact and the UI), loaded by the core
 * only when a survey is due (the worker's answer) or asked for (`ciel('survey', id)`).
 *
 * The survey renders in a shadow root on its own host element, styled by a constructed
 * stylesheet: no inline styles, nothing the page's CSS can break. One survey at a time, and a
 * survey the worker offers shows once per page. Records `survey_shown`, `survey_answer`
 * ({score} or {text}), `survey_comment` (the follow-up text, with its score) and
 * `survey_dismiss`, each named after the survey.
 */
import { render } from 'preact'
import type { Ctx } from '../core/context'
import type { SurveyDue } from '../core/wire'
import { guard, onDoc } from '../core/guard'
import { Survey, type Phase } from './ui'
import { CSS } from './style'

let open: HTMLElement | null = null
/** A survey is on the page (one the page itself removed, say by re-rendering, no longer counts). */
const showing = () => !!open?.isConnected
const offered = new Set<string>()

// Clicks since this chunk loaded; any earlier one is older than the chunk.
const loaded = Date.now()
let clicked = 0
onDoc('click', () => (clicked = Date.now())) // guarded: a page's broken addEventListener cannot fail the chunk
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Waits for a quiet moment: `ms` after the visitor's last click (and after this chunk loaded,
 * which is later than any click it did not see). A survey never pops up mid-gesture, and never
 * inside a click's dead-click window, where it would pass for the page answering the click.
 */
async function quiet(ms: number) {
  for (let wait; (wait = Math.max(loaded, clicked) + ms - Date.now()) > 0;) await sleep(wait)
}

/** Shows a survey: one the worker offered, or (by id, from the site config) one the page asked for. */
export async function show(s: SurveyDue | string, ctx: Ctx): Promise<void> {
  const asked = typeof s === 'string'
  let survey: SurveyDue | undefined
  if (typeof s === 'string') {
    await ctx.ready
    survey = ctx.config.surveys?.find((x) => x.id === s)
    if (!survey) return console.warn('ciel: no survey with id', s)
  } else if (offered.has(s.id)) return
  else survey = s
  if (showing()) return
  offered.add(survey.id)
  // Offered unprompted: at a quiet moment, and while the visitor is looking.
  for (;;) {
    if (!asked) await quiet(ctx.config.capture?.deadMs ?? 2500)
    if (!document.hidden) break
    await new Promise((r) => document.addEventListener('visibilitychange', r, { once: true }))
  }
  if (showing()) return

  const host = (open = document.createElement('div'))
  host.setAttribute('data-ciel-survey', survey.id)
  // Quick clicks on the survey's buttons are answers, not rage.
  host.setAttribute('data-ciel-no-rage', '')
  const root = host.attachShadow({ mode: 'open' })
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync == 'function') {
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(CSS)
    root.adoptedStyleSheets = [sheet]
  } else {
    const style = document.createElement('style') // old browsers: may be refused by a strict CSP
    style.textContent = CSS
    root.append(style)
  }
  ;(document.body ?? document.documentElement).append(host)

  const { id, kind } = survey
  let phase: Phase = kind === 'text' ? 'write' : 'ask'
  let score: number | undefined
  let text = ''
  const draw = () => render(<Survey {...{ survey, phase, score, text, pick, input, send, close }} />, root)
  const close = guard(() => {
    if (!host.isConnected) return
    // Closed before any answer: a dismissal. (After a score, skipping the follow-up is not.)
    if (phase !== 'thanks' && score === undefined) ctx.emit('survey_dismiss', { kind }, id)
    render(null, root)
    host.remove()
    open = null
  })
  const thanks = () => {
    phase = 'thanks'
    setTimeout(close, 2500)
  }
  // Each answer is recorded as soon as it is given: a score is not lost if the follow-up is skipped.
  const pick = guard((n: number) => {
    score = n
    ctx.emit('survey_answer', { kind, score }, id)
    if (survey.followUp) phase = 'write'
    else thanks()
    draw()
    // The visitor is answering: the follow-up takes the keyboard (the score's button is gone).
    root.querySelector('textarea')?.focus()
  })
  const input = guard((t: string) => {
    text = t
    draw()
  })
  const send = guard(() => {
    const t = text.trim()
    if (!t) return
    if (score === undefined) ctx.emit('survey_answer', { kind, text: t }, id)
    else ctx.emit('survey_comment', { kind, score, text: t }, id)
    thanks()
    draw()
  })
  draw()
  ctx.emit('survey_shown', { kind, asked }, id)
  // Asked for by the page (a "give feedback" button): take the keyboard there. Offered
  // unprompted: never steal the focus from what the visitor is doing.
  if (asked) root.querySelector<HTMLElement>('.box button:not(.close),textarea')?.focus()
}
