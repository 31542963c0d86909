/**
 * The survey UI's own words, built in for the languages our first sites write (sites need not
 * translate "Send"); a site's `labels` win. One string per language, in the order of `W`:
 * close, send, next, thanks, other, nps ends, csat ends, the five faces (worst first).
 * (Separated by `|`: a list of 14 words costs fewer bytes as one string.)
 */
export const WORDS: { [lang: string]: string } = {
  en: 'Close|Send|Next|Thank you!|Other|Not likely|Very likely|Not at all|Very much|Very bad|Bad|Okay|Good|Very good',
  pl: 'Zamknij|Wyślij|Dalej|Dziękujemy!|Inne|Mało prawdopodobne|Bardzo prawdopodobne|Wcale|Bardzo|Bardzo źle|Źle|Tak sobie|Dobrze|Bardzo dobrze',
  he: 'סגירה|שליחה|הבא|תודה רבה!|אחר|לא סביר|סביר מאוד|בכלל לא|מאוד|גרוע מאוד|גרוע|בסדר|טוב|מצוין',
  ar: 'إغلاق|إرسال|التالي|شكرًا لك!|أخرى|غير مرجّح|مرجّح جدًا|إطلاقًا|كثيرًا جدًا|سيئ جدًا|سيئ|مقبول|جيد|ممتاز',
}

/** Indexes into a language's words. */
export const W = { close: 0, send: 1, next: 2, thanks: 3, other: 4, npsLow: 5, csatLow: 7, faces: 9 } as const

/** The built-in words of a language (by its primary subtag), else English. */
export const wordsOf = (lang: string): string[] => (WORDS[lang.toLowerCase().split('-')[0]!] || WORDS.en!).split('|')
