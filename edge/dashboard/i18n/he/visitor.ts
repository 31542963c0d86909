/** @module dashboard/i18n/he/visitor: the words of one visitor's timeline, in Hebrew (English: i18n/visitor.ts). */
import type { Words } from '../../i18n'
import type { visitorText } from '../visitor'

export const visitor: Words<typeof visitorText> = {
  vSeenRange: '{from} – {to}, {sessions}',
  openVisitor: 'פתיחת המבקר {id}',
  visitorTitle: 'מבקר {id}',
  vNotIdentified: 'לא מזוהה',
  vTraits: 'מאפיינים',
  vSeen: 'נראה',
  vSegments: 'פלחים',
  vFrom: 'מ-{source}',
  vUnknown: 'מקור לא ידוע',
  vBot: 'בוט (לא נכלל בתובנות)',
  vChance: 'סיכוי להמיר',
  vChanceTo: '{pct} להגיע אל {goal} ({funnel})',
  vLanded: 'דף הכניסה',
  vNoInterest: 'עדיין לא חושבו תחומי עניין (הנושאים מוגדרים לפי הדפים: ראו {readme}).',
  vAnswers: 'תשובות לסקרים',
  vNoAnswer: 'אין תשובה.',
  vFriction: 'תסכול שנצפה',
  vNone: 'אין.',
  'friction:u_turn': 'פניות פרסה',
  'friction:stall': 'שלבים שנתקעו בהם',
  vTimeline: 'ציר זמן',
  vNewest: '{shown} האירועים החדשים מתוך {n}.',
  vEvents: { one: 'אירוע אחד.', other: '{n} אירועים.' },
  vSession: 'ביקור מ-{start}',
  vSessionEvents: { one: '(אירוע אחד)', other: '({n} אירועים)' },
  vErase: 'מחיקת המבקר הזה',
}
