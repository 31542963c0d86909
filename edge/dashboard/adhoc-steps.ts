/**
 * @module dashboard/adhoc-steps: an ad hoc funnel's steps as the form holds them and as the API
 * and the URL write them (`page:/pricing,track:signup,step:onboarding/done`), the saved funnel
 * they make, and the worker's refusals turned towards the form's fields (`steps[1].value`,
 * `window`, `name`) so they show beside the control they are about.
 */
import type { FunnelConfig } from '../../snippet/contract/wire'
import { pathOf } from './problem'

export const KINDS = ['page', 'track', 'step'] as const
export type AskKind = (typeof KINDS)[number]
export interface AskStep {
  kind: AskKind
  /** A path pattern, a custom event's name, or funnel/step. */
  value: string
}

const isKind = (k: string): k is AskKind => (KINDS as readonly string[]).includes(k)

/** `page:/pricing,track:signup` → its steps (a part without a known kind is read as a page). */
export function stepsOf(text: string): AskStep[] {
  if (!text) return []
  return text.split(',').map((part) => {
    const at = part.indexOf(':')
    const kind = at < 0 ? '' : part.slice(0, at)
    return isKind(kind) ? { kind, value: part.slice(at + 1) } : { kind: 'page', value: part }
  })
}

export const stepText = (s: AskStep) => `${s.kind}:${s.value.trim()}`
export const stepsText = (steps: AskStep[]) => steps.map(stepText).join(',')

/** The funnel to save: each step named by its value (by `kind:value` when two share one). */
export function funnelOf(id: string, steps: AskStep[], window: string): FunnelConfig {
  const values = steps.map((s) => s.value.trim())
  const f: FunnelConfig = {
    id: id.trim(),
    steps: steps.map((s, j) => ({
      id: values.indexOf(values[j]!) === values.lastIndexOf(values[j]!) ? values[j]! : stepText(s),
      [s.kind]: values[j]!,
    })),
  }
  if (window.trim()) f.window = Number(window)
  return f
}

/** A refusal about a field of the form (`path`, read by field-problem.tsx), named first in its message as the worker writes them. */
export class FieldRefusal extends Error {
  constructor(
    readonly path: string,
    words: string,
  ) {
    super(`${path} ${words}`)
  }
}
const at = (path: string, rest: string) => new FieldRefusal(path, rest)

/**
 * A refusal of `GET /v1/insights/funnels?steps=&window=` as one about the form's fields: the step
 * it quotes (`steps: 'page:pricing' must name a path…`), the steps as a whole, or the window.
 */
export function askProblem(e: unknown, steps: AskStep[]): unknown {
  if (!(e instanceof Error)) return e
  const quoted = /^steps: '([^']*)' (.*)$/s.exec(e.message)
  const j = quoted ? steps.findIndex((s) => stepText(s) === quoted[1]) : -1
  if (quoted && j >= 0) return at(`steps[${j}].value`, quoted[2]!)
  const field = /^\??(steps|window):? (.*)$/s.exec(e.message)
  return field ? at(field[1]!, field[2]!) : e
}

/**
 * A refusal of saving the funnel as item `n` of the site's funnels, as one about the form's
 * fields: its id is the name field, a step's page, track or step its value.
 */
export function saveProblem(e: unknown, n: number): unknown {
  const path = pathOf(e)
  const prefix = `config.funnels[${n}]`
  if (!(e instanceof Error) || !path.startsWith(prefix) || !e.message.startsWith(path)) return e
  const field =
    path
      .slice(prefix.length + 1)
      .replace(/^id$/, 'name')
      .replace(/^(steps\[\d+\])\.(page|track|step|id)$/, '$1.value') || 'name'
  return at(field, e.message.slice(path.length).trim())
}
