/** @module dashboard/i18n/he/findings: what the worker finds and sends as data, in Hebrew (English: i18n/findings.ts). */
import type { Words } from '../../i18n'
import type { findingsText } from '../findings'

export const findings: Words<typeof findingsText> = {
  vdMismatch:
    'אי-התאמה ביחס המדגם (p = {p}): הווריאנטים לא קיבלו את המבקרים שהחלוקה שולחת אליהם, כך שמשהו מלבד המקרה קובע מי נספר היכן (הפניה, בוטים, דף שמדווח על הווריאנט הלא נכון). מצאו את הסיבה לפני שפועלים לפי התוצאות האלה.',
  vdNoExposure: 'אף מבקר עוד לא נחשף.',
  vdWinner: 'יתרון ל-{arm} על פני {control}: {lift}; ההפסד הצפוי בהשקה: {loss}.',
  vdStop: 'אפשר לעצור.',
  vdRivals: 'המשיכו להריץ כדי להבדיל בין הווריאנט הזה לבין {rivals}.',
  vdGuardrail: 'אבל {event} עלה: {lift}; בדקו זאת לפני ההשקה.',
  vdControlWins: 'יתרון ל-{control} על פני {arms}: השאירו את {control}. אפשר לעצור.',
  vdNoDifference: 'אף וריאנט לא משנה את השיעור ב-{lift} או יותר: {arms}. אפשר לעצור.',
  vdNoConversions: 'המשיכו להריץ: עדיין אין המרות.',
  vdNeeded: {
    one: 'המשיכו להריץ: צריך עוד מבקר אחד בערך לכל וריאנט כדי לזהות שיפור של {lift}.',
    other: 'המשיכו להריץ: צריך עוד כ-{n} מבקרים לכל וריאנט כדי לזהות שיפור של {lift}.',
  },
  vdNeededAt: {
    one: 'המשיכו להריץ: צריך עוד מבקר אחד בערך לכל וריאנט כדי לזהות שיפור של {lift} (בשיעור של {rate} ב-{control}).',
    other: 'המשיכו להריץ: צריך עוד כ-{n} מבקרים לכל וריאנט כדי לזהות שיפור של {lift} (בשיעור של {rate} ב-{control}).',
  },
  vdCame: 'המשיכו להריץ: המבקרים ששיפור של {lift} דורש כבר הגיעו, כך שהפער, אם יש, כנראה קטן יותר.',
  vdSoFar: 'עד כה {arm}: {lift}.',
  vdArmLift: '{arm}: {lift}',
  noEstimate: 'אין הערכה',
  'why:nps': 'NPS {score} (מלעיז: 0–6)',
  'why:csat': 'CSAT {score} מתוך 5',
  'why:emoji': 'פרצופון {score} מתוך 5',
  'why:rule': 'הכלל של הסקר על {q}',
  'model:untrained': 'עדיין לא אומן: המודלים מאומנים מחדש בכל שעה מהאירועים ב-D1.',
  'model:untested': 'אומן לפני שהמודלים נבדקו על נתונים מאוחרים יותר; הריצה השעתית הבאה תאמן אותו מחדש.',
  'model:goalChanged': 'יעד המשפך השתנה ל"{goal}" מאז האימון האחרון; הריצה השעתית הבאה תאמן אותו מחדש.',
  'model:tooFewSteps': 'המשפך הזה צריך לפחות שני שלבים.',
  trainTooLittle: 'מעט מדי נתונים בנקודות החיתוך של האימון ({from} עד {to}): {counts}. מודל צריך לפחות {min} מכל סוג.',
  measureTooLittle:
    'מעט מדי נתונים למדידה בנקודת החיתוך של הבדיקה ({cutoff}): {counts}. מדידה צריכה לפחות {min} מכל סוג.',
  countsFunnel: 'מבקרים שהגיעו אל {goal} בתוך {days}: {positives}; שלא הגיעו: {negatives}',
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
