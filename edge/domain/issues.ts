/**
 * @module issues: one readable sentence from a schema's first complaint, naming the field
 * (`events[2].url must be a string`, `config.funnels[0].steps must be an array`), and the field's
 * path apart (`config.funnels[0].steps`), for a client to point at it. Pure.
 */
import type { BaseIssue, IssuePathItem } from 'valibot'

/** What is wrong: a sentence, and the field it is about (absent when about the whole value). */
export interface Problem {
  error: string
  path?: string
}

/** `a.b[3].c` for object keys and array indexes, after `prefix`. */
export function keysPath(keys: readonly (string | number)[], prefix = ''): string {
  let out = prefix
  for (const key of keys) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key
  return out
}

/** `a.b[3].c` for a valibot issue path, after `prefix`. */
export const pathOf = (path: readonly IssuePathItem[] | undefined, prefix = '') =>
  keysPath(
    (path ?? []).map((p) => p.key as string | number),
    prefix,
  )

/** `<field> <message>` at `path`, or the message alone when there is no path. */
export const problemAt = (path: string, message: string): Problem =>
  path ? { error: `${path} ${message}`, path } : { error: message }

/** What an issue says of its field (`is missing`, `must be an array`), without the field. */
export function messageOf(issue: BaseIssue<unknown>): string {
  // A required key that is not there: the object reports it under its own message.
  if (/object$/.test(issue.type) && issue.path?.length && issue.input === undefined) return 'is missing'
  // An unknown key of a strict object: name the key (a typo in a config, usually).
  if (issue.type === 'strict_object' && issue.path?.at(-1)?.origin === 'key')
    return 'is not a known field (check its spelling)'
  return issue.message
}

/** The first issue as `<field> <message>` with its path, or the message alone when it is about the whole value. */
export const problemOf = (issues: readonly BaseIssue<unknown>[], prefix = ''): Problem =>
  problemAt(pathOf(issues[0]!.path, prefix), messageOf(issues[0]!))

/** The first issue as one sentence (`problemOf`'s error). */
export const describe = (issues: readonly BaseIssue<unknown>[], prefix = '') => problemOf(issues, prefix).error
