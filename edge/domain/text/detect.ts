/**
 * @module text/detect: the language of an answer written without one: Hebrew and Arabic by their
 * script; among Latin-script answers Polish by its letters and common words, Arabic typed in Latin
 * letters by digits standing for letters ("7elw", "3ala") and common words, Hebrew typed in Latin
 * letters by common words; English otherwise.
 */
import { fold } from './fold'

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length
const set = (s: string) => new Set(s.split(' '))

const POLISH = set(
  'nie jest sie się i w na do ze że to z za bardzo mnie mi jak ale czy co tak juz już tylko dla po od przez mozna można dziala działa dzieki dzięki fajnie gdzie dlaczego znowu jestem mam moge mogę byl był byla była jestesmy są sa tego tym ten ta moj mój nic zle źle dobrze szybko wolno',
)
const ENGLISH = set(
  'the is it to and i not for with this that you my we of in on was are be can do does have but just so too very what where why how its it’s no our your they when there an at',
)
const ARABIZI = set(
  'mesh mish msh awy awi el ya w 3ala bas wallah shukran kteer 7elw enta inta ana leh lesh fe fi mafi mafish',
)
const HEBREW_LATIN = set(
  'ze lo ani achla sababa ma eifo eich ha yakar midai oved tov mamash beseder toda ken aval lehazmin',
)

/** 'he', 'ar', 'pl' or 'en' by the text alone; 'und' when it has no letters (emoji, numbers). */
export function guessLang(text: string): string {
  const he = count(text, /[\u05D0-\u05EA]/g)
  const ar = count(text, /[\u0620-\u064A]/g)
  const latin = count(text, /\p{Script=Latin}/gu)
  if (he + ar > 0 && he + ar >= latin) return he >= ar ? 'he' : 'ar'
  if (!latin) return 'und'
  const words = fold(text).match(/[\p{L}\p{N}']+/gu) ?? []
  const hits = (s: Set<string>) => words.filter((w) => s.has(w)).length
  const score = {
    en: hits(ENGLISH) + 0.5,
    pl: hits(POLISH) + 3 * count(text, /[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/g),
    ar: hits(ARABIZI) + 2 * words.filter((w) => /\p{L}[2356789]|[2356789]\p{L}/u.test(w)).length,
    he: hits(HEBREW_LATIN),
  }
  const [best, s] = Object.entries(score).sort((a, b) => b[1] - a[1])[0]!
  // Two signs at least for a language typed in another's letters.
  return (best === 'ar' || best === 'he') && s < 2 ? 'en' : best
}
