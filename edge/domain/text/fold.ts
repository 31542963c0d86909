/**
 * @module text/fold: one spelling per word, so that lists match what people type: lower case;
 * no Arabic or Hebrew diacritics (niqqud, tashkeel, tatweel); one form of Arabic alef, ya, ta
 * marbuta and hamza carriers; Hebrew final letters as inner forms; Polish letters without their
 * diacritics (many people type "dziala" for "działa"); curly quotes and apostrophes as ASCII.
 */

const POLISH: { [c: string]: string } = { ą: 'a', ć: 'c', ę: 'e', ł: 'l', ń: 'n', ó: 'o', ś: 's', ź: 'z', ż: 'z' }
const HEBREW_FINAL = 'ךםןףץ'
const HEBREW_INNER = 'כמנפצ'

export function fold(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[’‘`´]/g, "'")
      .replace(/[“”„«»״]/g, '"')
      .replace(/׳/g, "'")
      .replace(/\u05BE/g, ' ') // maqaf joins words like a hyphen
      // Arabic tashkeel, superscript alef, tatweel; Hebrew cantillation and points: each a mark on its own.
      // eslint-disable-next-line no-misleading-character-class
      .replace(/[\u064B-\u065F\u0670\u0640\u0591-\u05C7]/g, '')
      .replace(/[أإآٱ]/g, 'ا')
      .replace(/ى/g, 'ي')
      .replace(/ة/g, 'ه')
      .replace(/ئ/g, 'ي')
      .replace(/ؤ/g, 'و')
      .replace(/ک/g, 'ك')
      .replace(/ی/g, 'ي')
      .replace(/؟/g, '?')
      .replace(/[ąćęłńóśźż]/g, (c) => POLISH[c]!)
      .replace(/[ךםןףץ]/g, (c) => HEBREW_INNER[HEBREW_FINAL.indexOf(c)]!)
  )
}

/** A folded Hebrew word as it is written: its last letter in final form ("צוותנ" is shown "צוותן"). */
export function hebrewFinal(word: string): string {
  const i = HEBREW_INNER.indexOf(word.slice(-1))
  return i >= 0 && /[\u05D0-\u05EA]/.test(word.slice(-2, -1)) ? word.slice(0, -1) + HEBREW_FINAL[i] : word
}
