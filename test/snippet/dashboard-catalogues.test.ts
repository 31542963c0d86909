/**
 * The dashboard's catalogues (edge/dashboard/i18n.ts and i18n/*.ts in English, i18n/pl.ts,
 * he.ts, ar.ts and i18n/pl|he|ar/*.ts, each language a chunk of its own) against the English one: a
 * message missing in Polish, Hebrew or Arabic shows English in the middle of the page, and a
 * placeholder a translation misspells or drops shows as "{step}" or loses the number it names.
 */
import { describe, expect, it } from 'vitest'
import { catalogueOf, LOCALES, type Message } from '../../edge/dashboard/i18n'

const names = (m: Message | undefined, form?: string): Set<string> => {
  const texts = m === undefined ? [] : typeof m === 'string' ? [m] : form ? [m.other] : Object.values(m)
  return new Set(texts.join(' ').match(/\{\w+\}/g) ?? [])
}
/** The same in every language: a sentence's full stop around its text, and survey kinds' acronyms. */
const NEUTRAL = new Set(['sentence', 'inSegment', 'kind:nps', 'kind:csat', 'surveyNps'])
/** Placeholders a translation may leave out: {n} in a plural form that says the number in words ("one visitor"). */
const MAY_DROP: Record<string, string[]> = { '*': ['{n}'], 'reason:atMost': ['{what}'] }

/**
 * The glossary of docs/translation.md: where the English names a concept, each language says it
 * with its one word for it (any inflection), not a synonym a reader would take for another thing.
 */
const GLOSSARY: [RegExp, Record<string, RegExp>][] = [
  [/\bvisitors?\b/i, { pl: /odwiedzając/i, he: /מבקר/, ar: /زائر|زوار/ }],
  [/\bsessions?\b/i, { pl: /sesj/i, he: /ביקור/, ar: /جلس/ }],
  [/\bpage ?views?\b/i, { pl: /odsłon/i, he: /צפי/, ar: /مشاهد/ }],
  [/\bfunnels?\b/i, { pl: /lej/i, he: /משפ/, ar: /مسار/ }],
  [/\bsegments?\b/i, { pl: /segm/i, he: /פלח|פלחי/, ar: /شريح|شرائح/ }],
  [/\bsurveys?\b/i, { pl: /ankie/i, he: /סקר/, ar: /استبيان/ }],
  [/\bexperiments?\b/i, { pl: /eksperyment/i, he: /ניסוי/, ar: /تجرب|تجارب/ }],
  [/\b(variants?|arms?)\b/i, { pl: /wariant/i, he: /וריאנט/, ar: /نسخ/ }],
  [/\bholdout(?! cutoff)|\bheld out/i, { pl: /wyłączon/i, he: /מוחרג/, ar: /مستبعد/ }],
  [/\bguardrail/i, { pl: /ochronn/i, he: /מגן/, ar: /الحماية/ }],
  [/\bcohorts?\b/i, { pl: /kohort/i, he: /קוהורט/, ar: /أفواج|فوج/ }],
  [/\brage\b/i, { pl: /wściek/i, he: /זעם/, ar: /غضب/ }],
  [/\bdead click/i, { pl: /martw/i, he: /מת/, ar: /بلا استجابة/ }],
  [/\bfriction\b/i, { pl: /frustr|trudno/i, he: /תסכול/, ar: /إحباط/ }],
]
const words = (m: Message | undefined) =>
  (m === undefined ? '' : typeof m === 'string' ? m : Object.values(m).join(' ')).replace(/\{\w+\}/g, '')

// Each language's chunk, fetched as the dashboard fetches it.
const catalogues = Object.fromEntries(await Promise.all(LOCALES.map(async (l) => [l, await catalogueOf(l)] as const)))
const en = catalogues.en!
describe.each(LOCALES.filter((l) => l !== 'en'))('the %s catalogue', (l) => {
  const c = catalogues[l]!
  it('has every English message (or it would show English)', () => {
    expect(Object.keys(en).filter((k) => !(k in c) && !NEUTRAL.has(k))).toEqual([])
  })
  it('uses only the placeholders the English message fills in', () => {
    const bad = Object.keys(c).filter((k) =>
      [...names(c[k as keyof typeof c])].some((x) => !names(en[k as keyof typeof en]).has(x)),
    )
    expect(bad).toEqual([])
  })
  it('keeps every value the English message shows, in its general plural form', () => {
    const dropped = Object.keys(c).flatMap((k) => {
      const mine = names(c[k as keyof typeof c], 'other')
      const may = [...MAY_DROP['*']!, ...(MAY_DROP[k] ?? [])]
      return [...names(en[k as keyof typeof en], 'other')]
        .filter((x) => !mine.has(x) && !may.includes(x))
        .map((x) => `${k} ${x}`)
    })
    expect(dropped).toEqual([])
  })
  it('names each concept of the glossary with its one word (docs/translation.md)', () => {
    const off = GLOSSARY.flatMap(([english, by]) =>
      Object.keys(c)
        .filter((k) => english.test(words(en[k as keyof typeof en])) && !by[l]!.test(words(c[k as keyof typeof c])))
        .map((k) => `${k}: ${words(c[k as keyof typeof c])}`),
    )
    expect(off).toEqual([])
  })
  it('gives a plural message a general form, and only forms the language has', () => {
    const forms = new Set(new Intl.PluralRules(l).resolvedOptions().pluralCategories as string[])
    const bad = Object.entries(c).filter(
      ([, m]) => typeof m !== 'string' && (!m?.other || Object.keys(m).some((f) => !forms.has(f))),
    )
    expect(bad.map(([k]) => k)).toEqual([])
  })
})
