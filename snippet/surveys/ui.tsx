/**
 * One micro-survey, as a view of its state: the current question (a scale of numbers or faces,
 * single or multiple choice with an optional "Other", an open question), then the thanks.
 * Config text is rendered as text (Preact escapes it). A small, non-modal dialog: it never
 * traps focus or blocks the page; Escape closes it. Laid out right to left for Hebrew and
 * Arabic (the box's `dir`; the scale's flex row follows it). No hooks: survey.tsx owns the
 * state and renders again when it changes.
 */
import type { Answer, Question } from '../contract/wire'
import { W } from './words'

export interface SurveyView {
  lang: string
  rtl: boolean
  /** The question shown, or null once done (the thanks). */
  q: Question | null
  /** Its text (or the thanks). */
  heading: string
  /** The options of a choice question, in the visitor's language. */
  options: { id: string; text: string }[]
  /** The UI's words (built in, or the site's labels), indexed by W. */
  words: string[]
  /** nps/csat: the scale's ends. */
  low: string
  high: string
  /** The answer being given to the current question. */
  draft: Answer
  /** The last question: its button says Send, not Next. */
  last: boolean
  /** Said by screen readers when the question changes. */
  announce: string
  link?: { url: string; text: string }
  pick(n: number): void
  choose(id: string, on: boolean): void
  input(text: string): void
  send(): void
  close(): void
}

const SCALES = { nps: [0, 10], csat: [1, 5], emoji: [1, 5] } as { [type: string]: [number, number] }
const FACES = ['😞', '🙁', '😐', '🙂', '😀']

/** Has the current question an answer worth recording? ("Other" counts with its text.) */
export function given(q: Question, a: Answer): boolean {
  if (a.score != null) return true
  const text = !!(a.text || '').trim()
  if (q.type == 'text') return text
  const list = a.choices || (a.choice ? [a.choice] : [])
  return list.length > 0 && (list.indexOf('other') < 0 || text)
}

export function Survey(v: SurveyView) {
  const { q, words, draft } = v
  const range = q && SCALES[q.type]
  const choice = q && (q.type == 'single' || q.type == 'multi')
  const picked = (id: string) => (draft.choices || [draft.choice]).indexOf(id) >= 0
  const submit = (e: Event) => {
    e.preventDefault()
    v.send()
  }
  return (
    <div
      class="box"
      role="dialog"
      aria-labelledby="ciel-q"
      dir={v.rtl ? 'rtl' : 'ltr'}
      lang={v.lang}
      onKeyDown={(e) => e.key === 'Escape' && v.close()}
    >
      <button type="button" class="close" aria-label={words[W.close]} onClick={v.close}>
        ×
      </button>
      {!q ? (
        <p id="ciel-q" role="status">
          {v.heading}
        </p>
      ) : (
        <h2 id="ciel-q">{v.heading}</h2>
      )}
      {!q && v.link && (
        <p class="link">
          <a href={v.link.url} target="_blank" rel="noopener noreferrer">
            {v.link.text}
          </a>
        </p>
      )}
      {q && (
        <p class="sr" aria-live="polite">
          {v.announce}
        </p>
      )}
      {q && (
        <form class="q" onSubmit={submit}>
          {range && (
            <div role="group" aria-labelledby="ciel-q">
              <div class={q.type == 'emoji' ? 'scale faces' : 'scale'}>
                {Array.from({ length: range[1] - range[0] + 1 }, (_, i) => {
                  const n = i + range[0]
                  const label =
                    q.type == 'emoji'
                      ? words[W.faces + i]
                      : n === range[0]
                        ? `${n}, ${v.low}`
                        : n === range[1]
                          ? `${n}, ${v.high}`
                          : `${n}`
                  return (
                    <button type="button" aria-label={label} onClick={() => v.pick(n)}>
                      {q.type == 'emoji' ? FACES[i] : n}
                    </button>
                  )
                })}
              </div>
              {q.type != 'emoji' && (
                <div class="ends" aria-hidden="true">
                  <span>{v.low}</span>
                  <span>{v.high}</span>
                </div>
              )}
            </div>
          )}
          {choice && (
            <fieldset aria-labelledby="ciel-q">
              {v.options.map((o) => (
                <label class="opt">
                  <input
                    type={q.type == 'single' ? 'radio' : 'checkbox'}
                    name="ciel-c"
                    checked={picked(o.id)}
                    onChange={(e) => v.choose(o.id, (e.target as HTMLInputElement).checked)}
                  />{' '}
                  {o.text}
                </label>
              ))}
              {q.other && picked('other') && (
                <input
                  type="text"
                  class="other"
                  aria-label={words[W.other]}
                  maxLength={1000}
                  value={draft.text || ''}
                  onInput={(e) => v.input((e.target as HTMLInputElement).value)}
                />
              )}
            </fieldset>
          )}
          {q.type == 'text' && (
            <textarea
              aria-labelledby="ciel-q"
              maxLength={1000}
              value={draft.text || ''}
              onInput={(e) => v.input((e.target as HTMLTextAreaElement).value)}
            />
          )}
          {(!range || !q.required) && (
            <button type="submit" class="send" disabled={q.required && !given(q, draft)}>
              {words[v.last ? W.send : W.next]}
            </button>
          )}
        </form>
      )}
    </div>
  )
}
