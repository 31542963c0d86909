/**
 * One micro-survey, as a view of its state: an NPS (0–10) or CSAT (1–5) scale, optionally
 * followed by an open question, or one open question. Config text is rendered as text (Preact
 * escapes it). A small, non-modal dialog: it never traps focus or blocks the page; Escape
 * closes it. No hooks: survey.tsx owns the state and renders again when it changes.
 */
import type { SurveyDue } from '../core/wire'

/** `ask`: the scale; `write`: the open question (or the follow-up); `thanks`: done. */
export type Phase = 'ask' | 'write' | 'thanks'

export interface SurveyView {
  survey: SurveyDue
  phase: Phase
  /** The score given, once given. */
  score?: number
  text: string
  pick(n: number): void
  input(text: string): void
  send(): void
  close(): void
}

const SCALES = {
  nps: { from: 0, to: 10, low: 'Not likely', high: 'Very likely' },
  csat: { from: 1, to: 5, low: 'Not at all', high: 'Very much' },
}

export function Survey(v: SurveyView) {
  const { survey, phase } = v
  const words = survey.labels ?? {}
  const scale = survey.kind === 'text' ? null : { ...SCALES[survey.kind], ...words }
  const heading = phase === 'write' && v.score !== undefined ? survey.followUp : survey.question
  const numbers = scale ? Array.from({ length: scale.to - scale.from + 1 }, (_, i) => i + scale.from) : []
  return (
    <div class="box" role="dialog" aria-labelledby="ciel-q" onKeyDown={(e) => e.key === 'Escape' && v.close()}>
      <button type="button" class="close" aria-label={words.close ?? 'Close'} onClick={v.close}>
        ×
      </button>
      {phase === 'thanks' ? (
        <p id="ciel-q" role="status">
          {words.thanks ?? 'Thank you!'}
        </p>
      ) : (
        <h2 id="ciel-q">{heading}</h2>
      )}
      {phase === 'ask' && scale && (
        <div role="group" aria-labelledby="ciel-q">
          <div class="scale">
            {numbers.map((n) => (
              <button
                type="button"
                aria-label={n === scale.from ? `${n}, ${scale.low}` : n === scale.to ? `${n}, ${scale.high}` : `${n}`}
                onClick={() => v.pick(n)}
              >
                {n}
              </button>
            ))}
          </div>
          <div class="ends" aria-hidden="true">
            <span>{scale.low}</span>
            <span>{scale.high}</span>
          </div>
        </div>
      )}
      {phase === 'write' && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            v.send()
          }}
        >
          <textarea
            aria-labelledby="ciel-q"
            maxLength={1000}
            value={v.text}
            onInput={(e) => v.input((e.target as HTMLTextAreaElement).value)}
          />
          <button type="submit" class="send" disabled={!v.text.trim()}>
            {words.send ?? 'Send'}
          </button>
        </form>
      )}
    </div>
  )
}
