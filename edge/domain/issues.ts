/**
 * @module issues: one readable sentence from a schema's first complaint, naming the field
 * (`events[2].url must be a string`, `config.funnels[0].steps must be an array`). Pure.
 */
import type { BaseIssue, IssuePathItem } from 'valibot'

/** `a.b[3].c` for a path of object keys and array indexes, after `prefix`. */
export function pathOf(path: readonly IssuePathItem[] | undefined, prefix = ''): string {
  let out = prefix
  for (const p of path ?? []) {
    const key = p.key as string | number
    out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : String(key)
  }
  return out
}

/** The first issue as `<field> <message>`, or the message alone when it is about the whole value. */
export function describe(issues: readonly BaseIssue<unknown>[], prefix = ''): string {
  const issue = issues[0]!
  const where = pathOf(issue.path, prefix)
  // A required key that is not there: the object reports it under its own message.
  if (/object$/.test(issue.type) && issue.path?.length && issue.input === undefined) return `${where} is missing`
  // An unknown key of a strict object: name the key (a typo in a config, usually).
  if (issue.type === 'strict_object' && issue.path?.at(-1)?.origin === 'key')
    return `${where} is not a known field (check its spelling)`
  return where ? `${where} ${issue.message}` : issue.message
}
