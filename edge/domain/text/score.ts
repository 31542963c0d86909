/**
 * @module text/score: how positive or negative one answer is, by rules over each language's lists
 * (text/lang/*.ts), measured on answers it was not written against (npm run sentiment -- --eval).
 *
 * What the rules know, each because a word list alone gets it wrong:
 * - a negation flips the next sentiment word among the next three ("not easy", "לא שווה"); a
 *   negated complaint is praise, but weaker ("not bad"); a negation with no sentiment word after
 *   it but a verb or noun is a complaint ("doesn't load", "nie działa", "לא מצאתי", "ما زبط"),
 *   unless it is "not sure", "no comment"…;
 * - a complaint weighs more than praise, so praise and complaint in one answer read as a complaint
 *   ("nice charts, useless filters"), unless the complaint is played down ("a bit pricey, worth it
 *   though") or comes before "but";
 * - after an ironic opener ("oh great", "no super", "יופי", "رائع،"), praise beside a complaint is
 *   not praise;
 * - a complaint needs no sentiment word: it took long, the visitor waited, gave up, had to, asks
 *   why, again, "???";
 * - quoted text and a capitalised name after "clicked" are a button's words, not the visitor's
 *   ("clicked Great and nothing happened");
 * - emoji count as words.
 */
import type { Compiled } from './language'
import { emojiValue } from './emoji'
import { fold } from './fold'
import { language } from './languages'
import { forms, valueIn } from './words'

/** A complaint weighs this much more than praise. */
const COMPLAINT_WEIGHT = 1.5
/** A negation over a verb or noun with no sentiment word: "doesn't load". */
const NEGATED_ACTION = -0.6
/** A negated complaint is praise, weaker: "not bad". */
const NEGATED_COMPLAINT = 0.7
/** Praise after an ironic opener, when the answer also complains. */
const IRONIC_PRAISE = 0.2
/** Above this total an answer is positive, below its negative negative. */
export const THRESHOLD = 0.3

const OPEN = '\uE001'
const CLOSE = '\uE002'

type Token =
  | { t: 'w'; w: string }
  | { t: 'e'; v: number }
  | { t: 'b' } // end of a clause
  | { t: 'x' } // "???", "?!": an end, and a complaint
  | { t: 'q'; open: boolean }

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const verbPattern = new Map<Compiled, RegExp | null>()
/** Words after a click verb that start with a capital letter: a button's name. */
function clickPattern(c: Compiled): RegExp | null {
  if (!verbPattern.has(c)) {
    const verbs = [...new Set(c.click.flatMap((v) => [v, fold(v)]))].map(
      (v) => `[${v[0]!.toUpperCase()}${v[0]}]${escape(v.slice(1))}`,
    )
    verbPattern.set(
      c,
      verbs.length
        ? new RegExp(
            `(^|[^\\p{L}])(${verbs.join('|')})((?:\\s+(?:on|the|na|w))*\\s+)((?:\\p{Lu}[\\p{L}'!]*,?(?:\\s+|$)){1,3})`,
            'gu',
          )
        : null,
    )
  }
  return verbPattern.get(c)!
}

/** Marks quoted text and button names so that their praise is not counted. */
export function markNames(text: string, c: Compiled): string {
  let t = text.replace(
    /(^|[\s(:\-–—])["“”„«»'‘’]([^"“”„«»\n]{1,40}?)["“”„«»'‘’](?=$|[\s).,!?:;،؛])/gu,
    (_, pre: string, inner: string) => `${pre}${OPEN}${inner}${CLOSE}`,
  )
  const click = clickPattern(c)
  if (click)
    t = t.replace(click, (_, pre, verb, gap, name: string) => `${pre}${verb}${gap}${OPEN}${name.trimEnd()}${CLOSE} `)
  return t
    .replace(
      /\b([Tt]he|[Aa])\s+(\p{Lu}[\p{L}'!]*(?:\s+[\p{L}'!]+){0,2})\s+(button|link|tab)\b/gu,
      `$1 ${OPEN}$2${CLOSE} $3`,
    )
    .replace(/\b([Pp]rzycisk\p{L}*)\s+(\p{Lu}[\p{L}'!]*(?:\s+\p{Lu}[\p{L}'!]*){0,2})/gu, `$1 ${OPEN}$2${CLOSE}`)
}

const TOKEN =
  /\uE001|\uE002|\p{N}+\/\p{N}+|[\p{L}\p{N}]+(?:'[\p{L}]+)*|\p{Extended_Pictographic}|[?!]*\?[?!]+|[?!]+\?|[.,;:!?،؛\n]+|\s[-–—]\s/gu

export function tokens(text: string, c: Compiled): Token[] {
  const folded = fold(markNames(text, c))
    .replace(/n't\b/g, ' not')
    .replace(/\bcannot\b/g, 'can not')
  return [...folded.matchAll(TOKEN)].map(([s]): Token => {
    if (s === OPEN || s === CLOSE) return { t: 'q', open: s === OPEN }
    if (/^[?!]{2,}$/.test(s)) return { t: 'x' }
    if (/^[\p{L}\p{N}]/u.test(s)) return { t: 'w', w: s }
    if (/^\p{Extended_Pictographic}/u.test(s)) return { t: 'e', v: emojiValue(s) }
    return { t: 'b' }
  })
}

/** The longest phrase of the language starting at token i: its length and value. */
function phraseAt(toks: Token[], i: number, c: Compiled): { n: number; value: number | 'but' } | undefined {
  outer: for (const p of c.phrases) {
    for (let j = 0; j < p.words.length; j++) {
      const k = toks[i + j]
      if (k?.t !== 'w') continue outer
      const pw = p.words[j]!
      const match = (w: string) => (pw.endsWith('*') ? w.startsWith(pw.slice(0, -1)) : w === pw)
      if (!(match(k.w) || (j === 0 && forms(k.w, c).some(match)))) continue outer
    }
    return { n: p.words.length, value: p.value }
  }
  return undefined
}

const inSet = (w: string, set: Set<string>, c: Compiled) => forms(w, c).some((f) => set.has(f))

export interface Tally {
  /** Sum of praise (≥ 0) and of complaints (≤ 0), each weighted by its place in the answer. */
  pos: number
  neg: number
  /** pos + neg, complaints weighing more; ironic praise discounted. */
  total: number
}

/** Praise and complaint in one answer. */
export function tally(text: string, lang: string): Tally {
  const c = language(lang)
  const toks = tokens(text, c)
  let pos = 0
  let neg = 0
  let weight = 1 // 2 after "but"
  let clausePos = 0
  let clauseNeg = 0
  let clauseBoost = 1 // 2 for a clause with "though"
  let scope = 0 // content words a negation still covers
  let scopeContent = false
  let scopeNeutral = false
  let mult = 1 // "very", "a bit" before the next sentiment word
  let too = false
  let quoted = false

  const add = (v: number) => {
    const x = v * mult * weight
    mult = 1
    if (x > 0) clausePos += x
    else clauseNeg += x
  }
  const closeScope = () => {
    if (scope && scopeContent && !scopeNeutral) add(NEGATED_ACTION)
    scope = 0
  }
  const endClause = () => {
    closeScope()
    too = false
    mult = 1
    pos += clausePos * clauseBoost
    neg += clauseNeg * clauseBoost
    clausePos = clauseNeg = 0
    clauseBoost = 1
  }
  const contrast = () => {
    endClause()
    weight = 2
  }
  const valued = (v: number) => {
    if (scope) {
      v = v > 0 ? -v : -v * NEGATED_COMPLAINT
      scope = 0
    }
    if (too) {
      v = Math.min(v, -1)
      too = false
    }
    add(v)
  }
  const value = (w: string) => valueIn(w, c, lang)

  for (let i = 0; i < toks.length; i++) {
    const k = toks[i]!
    if (k.t === 'q') {
      quoted = k.open
      continue
    }
    if (k.t === 'b' || k.t === 'x') {
      if (k.t === 'x') add(-0.8)
      if (!quoted) endClause()
      continue
    }
    if (k.t === 'e') {
      add(k.v)
      continue
    }
    const ph = phraseAt(toks, i, c)
    if (ph) {
      i += ph.n - 1
      if (ph.value === 'but') contrast()
      else if (!(quoted && ph.value > 0)) valued(ph.value)
      continue
    }
    const w = k.w
    if (quoted) {
      // A quoted name's praise is a button's; a quoted error message is still a complaint.
      const v = value(w)
      if (v < 0) add(v)
      continue
    }
    if (inSet(w, c.but, c)) {
      contrast()
      continue
    }
    if (inSet(w, c.though, c)) {
      clauseBoost = 2
      continue
    }
    if (inSet(w, c.not, c)) {
      // A second negator inside the first one's reach is the same negation ("ani razu się nie
      // zawiesiło", "אף פעם לא", "never did not"): its scope starts again.
      if (!scope) scopeContent = scopeNeutral = false
      scope = 3
      continue
    }
    if (c.too.has(w)) {
      too = true
      continue
    }
    const next = toks[i + 1]
    if ((c.up.has(w) || c.down.has(w)) && next?.t === 'w' && value(next.w) !== 0) {
      mult *= c.up.has(w) ? 1.5 : 0.5
      continue
    }
    const v = value(w)
    if (v !== 0) {
      valued(v)
      continue
    }
    // Egyptian and Levantine negate a verb around it: "ماعرفتش" (I could not), "مابيشتغلش".
    const circum = lang === 'ar' ? /^ما?([\u0620-\u064A]{2,})ش$/.exec(w)?.[1] : undefined
    if (circum && !inSet(circum, c.notNeutral, c)) {
      const inner = value(circum)
      if (inner) valued(inner > 0 ? -inner : -inner * NEGATED_COMPLAINT)
      else add(NEGATED_ACTION)
      continue
    }
    if (c.stop.has(w) || /^\p{N}+$/u.test(w)) continue
    if (scope) {
      if (!scopeContent && inSet(w, c.notNeutral, c)) scopeNeutral = true
      scopeContent = true
      if (scope === 1) closeScope()
      else scope--
    }
    if (too) {
      add(-1)
      too = false
    }
  }
  endClause()
  const head = fold(text).trim()
  const ironic = neg < 0 && c.ironic.some((o) => head.startsWith(o))
  const p = ironic ? pos * IRONIC_PRAISE : pos
  return { pos, neg, total: p + COMPLAINT_WEIGHT * neg }
}
