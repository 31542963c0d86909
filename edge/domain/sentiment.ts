/**
 * @module sentiment: what written survey answers say, offline, for en, pl, he and ar: positive,
 * neutral or negative per answer, and the themes (words and two-word phrases, stop words left
 * out) of many answers. Pure. The worker puts this behind one interface with Workers AI
 * (jobs/sentiment.ts); this one is the default, and what `npm start` uses.
 *
 * A bare word list reads "not bad" as negative and, without knowing Arabic's and Hebrew's
 * attached prefixes (ال, و, ב, ה…), misses most words. So: letters normalised (Arabic alef and
 * ta marbuta forms, diacritics, Hebrew points), attached prefixes tried off, prefix stems for
 * inflection (Polish endings), a negation that flips the next three words of its clause ("not",
 * "nie", "לא", "ليس", "without", "bez", "בלי", "بدون"), and the clause after "but" ("ale", "אבל",
 * "لكن") counting double, where mixed answers usually make their point. Measured on a labelled
 * set (test/edge/sentiment/labelled.json; docs/surveys.md).
 */

export type Polarity = 'positive' | 'neutral' | 'negative'

/** Words: `stem*` matches any word starting with it, a bare entry the word itself. */
interface Lexicon {
  pos: string
  neg: string
  /** Flip the next three words. */
  not: string
  /** The rest counts double. */
  but: string
  /** Left out of themes. */
  stop: string
  /** Prefixes that attach to words (tried off, longest first). */
  prefixes?: string
}

const LEXICONS: { [lang: string]: Lexicon } = {
  en: {
    pos: 'love* like liked great excellent amazing awesome best good fast* reliable perfect* easy easier simple clean helpful useful save* saves recommend* works work working nice happy fantastic brilliant smooth* intuitive quick* well',
    neg: 'hate* terrible awful horrible bad worse worst slow* bug* buggy crash* broke* broken fail* error* confus* expensive lost lose* useless annoying frustrat* complain* problem* issue* difficult hard poor* ugly disappoint* stuck',
    not: 'not no never nothing without hardly cannot nobody',
    but: 'but however though although yet',
    stop: 'a an the and or of to in on for with at by from is are was were be been it its this that these those i me my we our you your they them he she his her as so if just very really too also about up out there here what which who when how all any some more most much can could would should will do does did have has had not no am one get got than then into',
  },
  pl: {
    pos: 'super świetn* niezawodn* nieźle doskonał* wygodn* najlepsz* prost* intuicyjn* polecam oszczędza* genialn* lubię lubi* pomocn* szybk* szybko dobr* łatw* ładn* działa* udał* fajn* rewelac* przydatn* zadowolon* dzięk*',
    neg: 'okropn* zawiesza* drog* błęd* błąd* niejasn* mylą* wolne wolno woln* nienawidz* fataln* zepsu* strac* bezużyteczn* źle złe zły zła problem* strasznie słab* kiepsk* trudn* irytuj* rozczarow* awari* beznadziejn*',
    not: 'nie nigdy bez ani brak',
    but: 'ale lecz jednak natomiast chociaż choć',
    stop: 'i w we z ze na do to jest są się nie że o od po za dla jak ale lub czy a mi mnie mój moja nasz nasza ten ta te tym tego ich jego jej już tylko bardzo też co tak być był była było by przez przy pod nad jako który która które',
  },
  he: {
    pos: 'מעולה מהיר* אמין* נהדר* טוב טובה טובים טובות מצוין* מצוינ* אוהב* פשוט* נקי* קל קלה מועיל* חוסך* חוסכת מדהים* ממליץ* ממליצה עובד עובדת יפה יפים נוח* מושלם* שימושי* אהבתי תודה',
    neg: 'נורא* קורס* יקר* מבלבל* איטי* באג* שונא* נכשל* גרוע* שבור* איבד* חסר בעיה בעיות תלונה תלונות רע רעה מאכזב* מעצבן* קשה תקלה תקלות',
    not: 'לא אין בלי אף ללא אינו אינה מעולם',
    but: 'אבל אך למרות',
    stop: 'של את על עם זה זו זאת הוא היא הם הן אני אנחנו אתם אתה לי לנו יש גם כל מה מי או אם כי רק עוד כבר מאוד הכי שלנו שלי שלכם אחרי לפני כמו בזה בשביל',
    prefixes: 'וה וב ול וש שה שב כש מה לה ו ה ש ב כ ל מ',
  },
  ar: {
    pos: 'رائع* سريع* موثوق* ممتاز* افضل مثالي* احب* بسيط* نظيف* سهل* مفيد* يوفر* مذهل* انصح* جيد* جميل* يعمل تعمل شكرا مريح* رايع*',
    neg: 'سيي* سيء* سيئ* فظيع* يتعطل* تعطل* معطل* غالي* مربك* بطيء* بطيي* اخطاء خطا اكره* فشل* فقد* عديم* مشكل* شكاو* صعب* مزعج* سيء مخيب*',
    not: 'لا لم لن ليس ليست غير بدون عدم',
    but: 'لكن ولكن لكنه لكنها بينما',
    stop: 'في من على الى عن مع هذا هذه ذلك تلك هو هي هم انا نحن انت ما ماذا او ثم قد كل بعض كان كانت يكون التي الذي لي لنا به بها جدا ايضا فقط عند بعد قبل',
    prefixes: 'وال بال فال كال لل ال و ف ب ل س',
  },
}

const words = (s: string) => s.split(' ').filter(Boolean)
/** A lexicon's lists, compiled once: exact words and prefix stems. */
interface Compiled {
  exact: Map<string, number>
  stems: [string, number][]
  not: Set<string>
  but: Set<string>
  stop: Set<string>
  prefixes: string[]
}
const compiled = new Map<string, Compiled>()
function lexicon(lang: string): Compiled {
  const key = LEXICONS[lang] ? lang : 'en'
  let c = compiled.get(key)
  if (!c) {
    const l = LEXICONS[key]!
    c = {
      exact: new Map(),
      stems: [],
      not: new Set(words(normalise(l.not))),
      but: new Set(words(normalise(l.but))),
      stop: new Set(),
      prefixes: [],
    }
    for (const [list, value] of [
      [l.pos, 1],
      [l.neg, -1],
    ] as const)
      for (const w of words(normalise(list)))
        if (w.endsWith('*')) c.stems.push([w.slice(0, -1), value])
        else c.exact.set(w, value)
    c.stems.sort((a, b) => b[0].length - a[0].length)
    c.stop = new Set(words(normalise(l.stop)))
    c.prefixes = words(normalise(l.prefixes ?? ''))
    compiled.set(key, c)
  }
  return c
}

/** Lower case, one form per letter: Arabic alef and ta marbuta forms, Hebrew final letters; no diacritics or points. */
export function normalise(text: string): string {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .replace(/n['’]t\b/g, ' not')
      // Arabic and Hebrew diacritics, each a combining mark removed on its own.
      // eslint-disable-next-line no-misleading-character-class
      .replace(/[\u064B-\u0652\u0640\u0591-\u05C7]/g, '')
      .replace(/[أإآ]/g, 'ا')
      .replace(/ى/g, 'ي')
      .replace(/ة/g, 'ه')
      .replace(/[םןץףך]/g, (c) => 'מנצפכ'['םןץףך'.indexOf(c)]!)
  )
}

const primary = (lang: string) => lang.toLowerCase().split('-')[0]!

/** The word's value (+1, -1, 0), trying it whole, then without an attached prefix. */
function valueOf(word: string, c: Compiled): number {
  for (const w of [
    word,
    ...c.prefixes.filter((p) => word.startsWith(p) && word.length - p.length >= 2).map((p) => word.slice(p.length)),
  ]) {
    const exact = c.exact.get(w)
    if (exact !== undefined) return exact
    for (const [stem, value] of c.stems) if (w.startsWith(stem)) return value
  }
  return 0
}

/** Is `word` (or it without an attached prefix) in the set? */
const isIn = (word: string, set: Set<string>, c: Compiled) =>
  set.has(word) || c.prefixes.some((p) => word.startsWith(p) && set.has(word.slice(p.length)))

/** The answer's score: above 0 positive, below 0 negative. */
export function sentimentScore(text: string, lang: string, simple = false): number {
  const c = lexicon(primary(lang))
  let total = 0
  let weight = 1
  for (const clause of normalise(text).split(/[.,;:!?،؛\n]+/)) {
    let flip = 0
    for (const w of clause.match(/[\p{L}\p{N}]+/gu) ?? []) {
      if (!simple && isIn(w, c.but, c)) {
        weight = 2
        flip = 0
        continue
      }
      if (!simple && isIn(w, c.not, c)) {
        flip = 3
        continue
      }
      const v = simple ? (c.exact.get(w) ?? c.stems.find(([s]) => w.startsWith(s))?.[1] ?? 0) : valueOf(w, c)
      total += (flip > 0 ? -v : v) * weight
      if (flip > 0) flip--
    }
  }
  return total
}

/** Positive, neutral or negative, by the offline lexicon (`simple`: a bare word list, for comparison). */
export function polarity(text: string, lang: string, simple = false): Polarity {
  const s = sentimentScore(text, lang, simple)
  return s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral'
}

/**
 * The most frequent themes of many answers: two-word phrases (seen at least twice) first, then
 * words, stop words of each answer's language left out; at most `n`.
 */
export function themes(answers: { text: string; lang: string }[], n = 10): { theme: string; n: number }[] {
  const count = new Map<string, number>()
  const pairs = new Map<string, number>()
  for (const a of answers) {
    const c = lexicon(primary(a.lang))
    const seen = new Set<string>()
    for (const clause of normalise(a.text).split(/[.,;:!?،؛\n]+/)) {
      // Phrases are the words left next to each other once stop words are out ("export is slow": "export slow").
      const ws = (clause.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !c.stop.has(w) && w.length >= 3)
      ws.forEach((w, i) => {
        if (!seen.has(w)) count.set(w, (count.get(w) ?? 0) + 1)
        seen.add(w)
        const next = ws[i + 1]
        if (next && !seen.has(`${w} ${next}`)) {
          seen.add(`${w} ${next}`)
          pairs.set(`${w} ${next}`, (pairs.get(`${w} ${next}`) ?? 0) + 1)
        }
      })
    }
  }
  const ranked = (m: Map<string, number>) =>
    [...m].filter(([, k]) => k >= 2).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  const out: { theme: string; n: number }[] = []
  for (const [theme, k] of ranked(pairs)) if (out.length < n) out.push({ theme, n: k })
  // A word already inside a phrase adds nothing unless it is more frequent on its own.
  for (const [theme, k] of ranked(count))
    if (out.length < n && !out.some((o) => o.theme.split(' ').includes(theme) && o.n >= k)) out.push({ theme, n: k })
  return out.sort((a, b) => b.n - a.n)
}
