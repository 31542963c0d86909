/**
 * @module dashboard/problem: the worker's refusals in words a site owner reads. The worker names
 * the field at fault by its place in the site's JSON (`config.slots[2].experiment.holdout must be
 * a share from 0 to 0.5`); the dashboard names it as the owner knows it: "Slot “plan-cta” ›
 * experiment › holdout must be a share from 0 to 0.5", or, shown at the field itself, "Must be
 * a share from 0 to 0.5". Both in the team's language (i18n/problems.ts) when the dashboard knows
 * the reason; the worker's English otherwise.
 */
import { isKey, t } from './i18n'
import { REASONS } from './i18n/problems'

/** The message of whatever a call threw. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** Parts of a path that name nothing an owner knows. */
const SILENT = new Set(['config', 'settings'])

/** What one item of the list `list` is called (a list the dashboard does not know: its own name). */
const itemWord = (list: string, key = `item:${list}`) => (isKey(key) ? t(key) : list)
/** The place a refusal names at the start of its message: `config.surveys[4].trigger.path`. */
const LEADING = /^((?:config|settings)(?:\.[\w$-]+|\[\d+\])+)(?=\s)/

/** The path a refusal names: its `path`, else the one its message starts with ('' for none). */
export function pathOf(e: unknown): string {
  const path = e instanceof Error && 'path' in e && typeof e.path === 'string' ? e.path : ''
  return path || (LEADING.exec(messageOf(e))?.[1] ?? '')
}

/** A field in words (`maxSeconds` → "seconds allowed"); one the dashboard does not know: `minFoo` → "min foo". */
const words = (name: string, key = `field:${name}`) =>
  SILENT.has(name) ? '' : isKey(key) ? t(key) : name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()

/** The reason a refusal gives, in the language shown when the dashboard knows it (else as the worker said it). */
function reasonWords(reason: string): string {
  for (const [pattern, key] of REASONS) {
    const m = pattern.exec(reason)
    if (!m) continue
    const params: Record<string, string | number> = {}
    // A count (`may hold at most 20 items`) picks the plural form; the rest is said as given.
    for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = /^\d+$/.test(v) ? Number(v) : v
    return t(key, params)
  }
  return reason
}

/** `config.slots[2].experiment.holdout` → "slot “plan-cta” › experiment › holdout" (`site`: the JSON the path is in, to name items by their id). */
export function fieldInWords(path: string, site?: unknown): string {
  const names: string[] = []
  let node: unknown = site
  let list = ''
  for (const [, index, name] of path.matchAll(/\[(\d+)\]|\.?([\w$-]+)/g)) {
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[name ?? Number(index)] : undefined
    if (index !== undefined) {
      const id = node && typeof node === 'object' && 'id' in node && typeof node.id === 'string' ? node.id : ''
      names.pop()
      names.push(
        id
          ? t('itemNamed', { item: itemWord(list), id })
          : t('itemNumber', { item: itemWord(list), n: Number(index) + 1 }),
      )
    } else {
      list = name!
      const said = words(name!)
      if (said) names.push(said)
    }
  }
  return names.join(' › ')
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/**
 * A problem inside a rule names its item first, by id (`config segments[5] 'engaged':
 * rule.any[0].value must be a number`, with the path `config.segments[5].rule.any[0].value`).
 */
const IN_ITEM = /^config (\w+)\[(\d+)\](?: '[^']*')?: (\S+) /

/** What the message says after the field it names (null: it does not start with it). */
function afterPath(message: string, path: string): string | null {
  if (!path) return null
  if (message.startsWith(path)) return message.slice(path.length).trim()
  const m = IN_ITEM.exec(message)
  return m && `config.${m[1]}[${m[2]}].${m[3]}` === path ? message.slice(m[0].length).trim() : null
}

/** A refusal's message with the field it names in words (`site`: the site the path is in). */
export function ownerMessage(e: unknown, site?: unknown): string {
  const message = messageOf(e)
  const path = pathOf(e)
  const rest = afterPath(message, path)
  return rest === null
    ? message
    : capital(t('problemAt', { field: fieldInWords(path, site), reason: reasonWords(rest) }))
}

/** A refusal's message as shown at the field it names: "Must be a URL path starting with /". */
export function atFieldMessage(e: unknown): string {
  const message = messageOf(e)
  const rest = afterPath(message, pathOf(e))
  return rest === null ? message : capital(reasonWords(rest))
}
