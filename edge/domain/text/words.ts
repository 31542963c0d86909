/**
 * @module text/words: one word against a language's lists: the forms it may take without an
 * attached prefix or pronoun ending (Hebrew ו ה ב ל מ ש כ, Arabic ال و ف ب ل ك, ـي ـنا ـه…), its
 * sentiment value, its topic, and the normalised form it is shown as among themes.
 */
import type { Topic } from './analyse'
import { hebrewFinal } from './fold'
import type { Compiled } from './language'
import { language } from './languages'

const seen = new WeakMap<Compiled, Map<string, string[]>>()

/** The word, then it without each prefix that leaves two letters or more, then without an ending. */
export function forms(w: string, c: Compiled): string[] {
  let cache = seen.get(c)
  if (!cache) seen.set(c, (cache = new Map()))
  let out = cache.get(w)
  if (out) return out
  out = [w]
  for (const p of c.prefixes) if (w.startsWith(p) && w.length - p.length >= 2) out.push(w.slice(p.length))
  for (const f of out.slice())
    for (const s of c.suffixes) if (f.endsWith(s) && f.length - s.length >= 3) out.push(f.slice(0, -s.length))
  // Words recur across answers; the cache is bounded so that an isolate's memory is too.
  if (cache.size >= 20_000) cache.clear()
  cache.set(w, out)
  return out
}

function lookup<T>(x: string, exact: Map<string, T>, stems: [string, T][]): T | undefined {
  const e = exact.get(x)
  if (e !== undefined) return e
  for (const [s, v] of stems) if (x.startsWith(s)) return v
  return undefined
}

const LATIN = /^[a-z][a-z']*$/

/** +1 praise, -1 complaint (or weighted), 0 neither. */
export function valueIn(w: string, c: Compiled, lang: string): number {
  for (const f of forms(w, c)) {
    const v = lookup(f, c.exact, c.stems)
    if (v !== undefined) return v
  }
  // Polish writes "not" into adjectives: "niewygodne" is "wygodne" negated.
  if (lang === 'pl' && w.startsWith('nie') && w.length >= 7) {
    const v = lookup(w.slice(3), c.exact, c.stems)
    if (v) return v > 0 ? -v : -v * 0.7
  }
  const en = language('en')
  if (c !== en && LATIN.test(w)) return lookup(w, en.exact, en.stems) ?? 0
  return 0
}

export function topicIn(w: string, c: Compiled): Topic | undefined {
  for (const f of forms(w, c)) {
    const t = lookup(f, c.topicExact, c.topicStems)
    if (t) return t
  }
  const en = language('en')
  if (c !== en && /^[a-z0-9$€£]/.test(w)) return lookup(w, en.topicExact, en.topicStems)
  return undefined
}

/** Is this form a word the language's lists know (whole, or by a stem of three letters or more)? */
function known(f: string, c: Compiled): boolean {
  if (c.known.has(f)) return true
  const byStem = (stems: [string, unknown][]) => stems.some(([s]) => s.length >= 3 && f.startsWith(s))
  return byStem(c.stems) || byStem(c.topicStems)
}

const PL_ENDINGS = 'owania owanie ami ach ego emu ych ich ymi imi owi ow om em ie ej ym im a e i o u y'.split(' ')
const AR_ARTICLE = ['وال', 'بال', 'فال', 'كال', 'لل', 'ال']

/** The form a word is counted under among themes: without prefixes, endings or plural, as it is written. */
export function themeForm(w: string, c: Compiled, lang: string): string {
  if (lang === 'he' && /[\u05D0-\u05EA]/.test(w)) {
    if (known(w, c)) return hebrewFinal(w)
    const stripped = [...c.prefixes]
      .sort((a, b) => a.length - b.length)
      .map((p) => (w.startsWith(p) && w.length - p.length >= 2 ? w.slice(p.length) : ''))
      .find((f) => f && known(f, c))
    return hebrewFinal(stripped ?? (w.startsWith('ו') && w.length >= 4 ? w.slice(1) : w))
  }
  if (lang === 'ar' && /[\u0600-\u06FF]/.test(w)) {
    const a = AR_ARTICLE.find((p) => w.startsWith(p) && w.length - p.length >= 2)
    const base = a ? w.slice(a.length) : w
    if (known(base, c)) return base
    return forms(base, c).find((f) => known(f, c)) ?? base
  }
  if (lang === 'pl') {
    const e = PL_ENDINGS.find((e) => w.endsWith(e) && w.length - e.length >= 3)
    return e ? w.slice(0, -e.length) : w
  }
  // English, and Latin-script words elsewhere: one form for singular and plural.
  if (/(ss|us|is)$/.test(w) || w.length <= 3) return w.replace(/'s$/, '')
  if (/ies$/.test(w) && w.length > 4) return w.slice(0, -3) + 'y'
  if (/(x|ch|sh)es$/.test(w)) return w.slice(0, -2)
  return w.replace(/'s$/, '').replace(/s$/, '')
}
