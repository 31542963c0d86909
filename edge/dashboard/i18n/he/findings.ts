/** @module dashboard/i18n/he/findings: what the worker finds and sends as data, in Hebrew (English: i18n/findings.ts). */
import type { Words } from '../../i18n'
import type { findingsText } from '../findings'

export const findings: Words<typeof findingsText> = {
  vdMismatch:
    'אי-התאמה ביחס המדגם (p = {p}): הגרסאות לא קיבלו את המבקרים שהחלוקה שולחת אליהן, כך שמשהו מלבד המקרה קובע מי נספר היכן (הפניה, בוטים, דף שמדווח על הגרסה הלא נכונה). מצאו את הסיבה לפני שפועלים לפי התוצאות האלה.',
  vdNoExposure: 'אף מבקר עוד לא נחשף.',
  vdWinner: '{arm} מנצחת את {control}: {lift}; ההפסד הצפוי אם תשיקו אותה: {loss}.',
  vdStop: 'אפשר לעצור.',
  vdRivals: 'המשיכו להריץ כדי להבדיל בינה לבין {rivals}.',
  vdGuardrail: 'אבל {event} עלה: {lift}; בדקו זאת לפני ההשקה.',
  vdControlWins: '{control} מנצחת את {arms}: השאירו את {control}. אפשר לעצור.',
  vdNoDifference: 'אף גרסה לא משנה את השיעור ב-{lift} או יותר: {arms}. אפשר לעצור.',
  vdNoConversions: 'המשיכו להריץ: עדיין אין המרות.',
  vdNeeded: {
    one: 'המשיכו להריץ: צריך עוד כמבקר אחד לכל גרסה כדי לזהות שיפור של {lift}.',
    other: 'המשיכו להריץ: צריך עוד כ-{n} מבקרים לכל גרסה כדי לזהות שיפור של {lift}.',
  },
  vdNeededAt: {
    one: 'המשיכו להריץ: צריך עוד כמבקר אחד לכל גרסה כדי לזהות שיפור של {lift} (בשיעור של {rate} ב-{control}).',
    other: 'המשיכו להריץ: צריך עוד כ-{n} מבקרים לכל גרסה כדי לזהות שיפור של {lift} (בשיעור של {rate} ב-{control}).',
  },
  vdCame: 'המשיכו להריץ: המבקרים ששיפור של {lift} דורש כבר הגיעו, כך שהפער, אם יש, כנראה קטן יותר.',
  vdSoFar: 'עד כה {arm}: {lift}.',
  vdArmLift: '{arm}: {lift}',
  noEstimate: 'אין הערכה',
  'why:nps': 'NPS {score} (מבקר שלילי: 0–6)',
  'why:csat': 'CSAT {score} מתוך 5',
  'why:emoji': 'פרצופון {score} מתוך 5',
  'why:rule': 'הכלל של הסקר על {q}',
  'model:untrained': 'עדיין לא אומן: המודלים מאומנים מחדש בכל שעה מהאירועים ב-D1.',
  'model:untested': 'אומן לפני שהמודלים נבדקו קדימה; הריצה השעתית הבאה תאמן אותו מחדש.',
  'model:goalChanged': 'יעד המשפך השתנה ל-{goal} מאז האימון האחרון; הריצה השעתית הבאה תאמן אותו מחדש.',
  'model:tooFewSteps': 'המשפך הזה צריך לפחות שני שלבים.',
  trainTooLittle: 'מעט מדי נתונים בנקודות החיתוך של האימון ({from} עד {to}): {counts}. מודל צריך לפחות {min} מכל סוג.',
  measureTooLittle:
    'מעט מדי נתונים למדידה בנקודת החיתוך של הבדיקה ({cutoff}): {counts}. מדידה צריכה לפחות {min} מכל סוג.',
  countsFunnel: 'הגיעו אל {goal} בתוך {days}: {positives}; לא הגיעו: {negatives}',
  countsChurn: 'מבקרים חוזרים שלא חזרו בתוך {days}: {positives}; שחזרו: {negatives}',
  leakWarning:
    'AUC {auc} בנקודת החיתוך של הבדיקה הוא לפחות {threshold}: בדקו אם יש דליפה (מאפיין שידוע רק אחרי שהתוצאה כבר קרתה).',
  didOneClick: 'הקלקה אחת',
  didClicks: { one: 'הקלקה אחת בתוך {time}', other: '{n} הקלקות בתוך {time}' },
  didUnanswered: '{clicks}, אף אחת לא נענתה',
  didQuiet: '{clicks}, שום דבר לא השתנה בדף במשך {time}',
  didMoved: '{clicks}, שום דבר לא נענה במשך {time} (השתנה רק מה שמשתנה מעצמו)',
  segNamed: 'פלח {segment}',
  segFrom: 'מ-{referrer}',
  segDirect: 'ישירות',
  segEveryone: 'כולם',
  segNew: 'מבקרים חדשים',
  segReturning: 'מבקרים חוזרים',
  'feature:entry.source': 'הגיע מ-{value}',
  'feature:entry.medium': 'ערוץ {value}',
}
