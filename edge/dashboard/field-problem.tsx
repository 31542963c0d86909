/**
 * @module dashboard/field-problem: the worker's refusal shown beside the control it names, in a
 * Settings form. Controls carry `data-path`, their place in the site's config (`funnels[1].steps[0].page`);
 * the refusal's path (`config.funnels[1].steps[0].page`) picks the most precise one that holds it,
 * which gets the message, `aria-invalid` and the focus. Anything no control holds is said above the form.
 */
import type { RefObject } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { atFieldMessage, ownerMessage, pathOf } from './problem'

interface Problem {
  /** The config path it names, without `config.` ('' for none). */
  at: string
  /** Said at the field: "Must be a URL path starting with /". */
  here: string
  /** Said above the form: "Funnel “checkout” › step 1 › page path must be…". */
  message: string
}

export interface FieldProblem {
  form: RefObject<HTMLFormElement | null>
  /** The refusal of a save of `config` (the config sent: it names items by their id). */
  refused(e: unknown, config: unknown): void
  clear(): void
  /** Attributes of a control at `path`. */
  mark(path: string): Record<string, unknown>
  /** The message, when it belongs at `path`. */
  why(path: string): preact.JSX.Element | null
  /** The message no control holds, for above the form. */
  above(): preact.JSX.Element | null
}

/** `id`: unique in the page, for the message's element. */
export function useFieldProblem(id: string): FieldProblem {
  const [problem, setProblem] = useState<Problem | null>(null)
  const [field, setField] = useState('')
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (!problem || !problem.at || !form.current) return setField('')
    let best = ''
    form.current.querySelectorAll<HTMLElement>('[data-path]').forEach((el) => {
      const f = el.dataset.path!
      const hit = problem.at === f || problem.at.startsWith(f + '.') || problem.at.startsWith(f + '[')
      if (hit && f.length > best.length) best = f
    })
    setField(best)
    const el = best && form.current.querySelector<HTMLElement>(`[data-path="${CSS.escape(best)}"]`)
    if (el) (el.matches('input,select,textarea') ? el : el.querySelector<HTMLElement>('input,select,textarea'))?.focus()
  }, [problem])
  const messageId = `${id}-problem`
  return {
    form,
    refused: (e, config) =>
      setProblem({
        at: pathOf(e).replace(/^config\./, ''),
        here: atFieldMessage(e),
        message: ownerMessage(e, { config }),
      }),
    clear: () => setProblem(null),
    mark: (path) => ({
      'data-path': path,
      'aria-invalid': field === path ? true : undefined,
      'aria-describedby': field === path ? messageId : undefined,
    }),
    why: (path) =>
      problem && field === path ? (
        <p id={messageId} class="error" role="alert">
          {problem.at === path ? problem.here : problem.message}
        </p>
      ) : null,
    above: () =>
      problem && !field ? (
        <p class="error" role="alert">
          {problem.message}
        </p>
      ) : null,
  }
}
