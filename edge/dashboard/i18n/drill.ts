/**
 * @module dashboard/i18n/drill: what the visitors behind a trend's point, a breakdown's row, a
 * retention cell, an entry page or a custom event are called (the buttons that open them, the
 * dialog's title, and what they did when the number counts sessions, pageviews or events), in
 * the dashboard's four languages. Buttons name the count in brackets in Polish, Hebrew and
 * Arabic, which keeps the noun in one form whatever the number.
 */
import type { Message } from '../i18n'

const en = {
  // behind.tsx: the dialog's title
  drSessionsOf: 'Visitors behind the sessions of {bucket}',
  drPageviewsOf: 'Visitors behind the pageviews of {bucket}',
  drFrictionOf: 'Visitors behind the friction signals of {bucket}',
  drCompletedOf: 'Visitors who completed “{funnel}”, {bucket}',
  drAnsweredOf: 'Visitors who answered NPS, {bucket}',
  drEventOf: 'Visitors behind {event}',
  drRowOf: 'Visitors behind {event} where {by} is {value}',
  drOtherOf: 'Visitors behind {event} with another {by} than the top {top}',
  drCohort: 'Visitors first seen the week of {week}',
  drCohortWeek: 'Visitors first seen the week of {week}, active in week {n}',
  drEntry: 'Visitors whose session began on {page}',
  drAnsweredDay: 'Visitors who answered “{survey}” on {day}',
  // behind.tsx: what the listed visitors did, where the number counts that
  drBehind: '{visitors} behind {what}',
  drSessions: { one: '{n} session', other: '{n} sessions' },
  drPageviews: { one: '{n} pageview', other: '{n} pageviews' },
  drSignals: { one: '{n} friction signal', other: '{n} friction signals' },
  drAnswers: { one: '{n} answer', other: '{n} answers' },
  drEvents: { one: '{n} event', other: '{n} events' },
  // trends.tsx, breakdown.tsx, retention.tsx, traffic.tsx: the buttons
  drShowSessions: {
    one: 'Show the visitor behind the session of {bucket}',
    other: 'Show the visitors behind the {n} sessions of {bucket}',
  },
  drShowPageviews: {
    one: 'Show the visitor behind the pageview of {bucket}',
    other: 'Show the visitors behind the {n} pageviews of {bucket}',
  },
  drShowFriction: {
    one: 'Show the visitor behind the friction signal of {bucket}',
    other: 'Show the visitors behind the {n} friction signals of {bucket}',
  },
  drShowCompleted: {
    one: 'Show the visitor who completed {funnel}, {bucket}',
    other: 'Show the {n} visitors who completed {funnel}, {bucket}',
  },
  drShowAnswered: 'Show who answered NPS, {bucket} (NPS {score})',
  drShowRow: { one: 'Show the visitor behind {value}', other: 'Show the {n} visitors behind {value}' },
  drShowOther: {
    one: 'Show the visitor behind the other values',
    other: 'Show the {n} visitors behind the other values',
  },
  drShowEvent: { one: 'Show the visitor behind {event}', other: 'Show the {n} visitors behind {event}' },
  drShowCohort: {
    one: 'Show the visitor first seen the week of {week}',
    other: 'Show the {n} visitors first seen the week of {week}',
  },
  drShowCohortWeek: {
    one: 'Show the visitor of the week of {week} active in week {k}',
    other: 'Show the {n} visitors of the week of {week} active in week {k}',
  },
  drShowEntry: {
    one: 'Show the visitor whose session began on {page}',
    other: 'Show the {n} visitors whose session began on {page}',
  },
  // score-trend.tsx: a survey's score by day, its answers opening who gave them
  drColAnswers: 'Answers',
  drShowAnsweredDay: { one: 'Show who gave the answer of {day}', other: 'Show who gave the {n} answers of {day}' },
} satisfies Record<string, Message>

type Words = Partial<Record<keyof typeof en, Message>>

const pl: Words = {
  drSessionsOf: 'Odwiedzający, od których pochodzą sesje — {bucket}',
  drPageviewsOf: 'Odwiedzający, od których pochodzą odsłony — {bucket}',
  drFrictionOf: 'Odwiedzający, od których pochodzą sygnały frustracji — {bucket}',
  drCompletedOf: 'Odwiedzający, którzy ukończyli „{funnel}” — {bucket}',
  drAnsweredOf: 'Odwiedzający, którzy odpowiedzieli na NPS — {bucket}',
  drEventOf: 'Odwiedzający, od których pochodzą zdarzenia {event}',
  drRowOf: 'Odwiedzający, od których pochodzą zdarzenia {event}, gdzie {by} to {value}',
  drOtherOf: 'Odwiedzający, od których pochodzą zdarzenia {event} z inną wartością {by} niż pierwsze {top}',
  drCohort: 'Odwiedzający widziani pierwszy raz w tygodniu od {week}',
  drCohortWeek: 'Odwiedzający widziani pierwszy raz w tygodniu od {week}, aktywni w tygodniu {n}',
  drEntry: 'Odwiedzający, których sesja zaczęła się na {page}',
  drAnsweredDay: 'Odwiedzający, którzy odpowiedzieli na „{survey}” — {day}',
  drBehind: '{visitors} (razem {what})',
  drSessions: { one: '{n} sesja', few: '{n} sesje', many: '{n} sesji', other: '{n} sesji' },
  drPageviews: { one: '{n} odsłona', few: '{n} odsłony', many: '{n} odsłon', other: '{n} odsłony' },
  drSignals: {
    one: '{n} sygnał frustracji',
    few: '{n} sygnały frustracji',
    many: '{n} sygnałów frustracji',
    other: '{n} sygnału frustracji',
  },
  drAnswers: { one: '{n} odpowiedź', few: '{n} odpowiedzi', many: '{n} odpowiedzi', other: '{n} odpowiedzi' },
  drEvents: { one: '{n} zdarzenie', few: '{n} zdarzenia', many: '{n} zdarzeń', other: '{n} zdarzenia' },
  drShowSessions: 'Pokaż odwiedzających, od których pochodzą sesje z {bucket} ({n})',
  drShowPageviews: 'Pokaż odwiedzających, od których pochodzą odsłony z {bucket} ({n})',
  drShowFriction: 'Pokaż odwiedzających, od których pochodzą sygnały frustracji z {bucket} ({n})',
  drShowCompleted: 'Pokaż odwiedzających, którzy ukończyli {funnel} — {bucket} ({n})',
  drShowAnswered: 'Pokaż, kto odpowiedział na NPS — {bucket} (NPS {score})',
  drShowRow: 'Pokaż odwiedzających dla wartości {value} ({n})',
  drShowOther: 'Pokaż odwiedzających dla pozostałych wartości ({n})',
  drShowEvent: 'Pokaż odwiedzających, od których pochodzą zdarzenia {event} ({n})',
  drShowCohort: 'Pokaż odwiedzających widzianych pierwszy raz w tygodniu od {week} ({n})',
  drShowCohortWeek: 'Pokaż odwiedzających z tygodnia od {week} aktywnych w tygodniu {k} ({n})',
  drShowEntry: 'Pokaż odwiedzających, których sesja zaczęła się na {page} ({n})',
  drColAnswers: 'Odpowiedzi',
  drShowAnsweredDay: 'Pokaż, kto udzielił odpowiedzi z {day} ({n})',
}

const he: Words = {
  drSessionsOf: 'המבקרים שמאחורי הביקורים של {bucket}',
  drPageviewsOf: 'המבקרים שמאחורי הצפיות בדפים של {bucket}',
  drFrictionOf: 'המבקרים שמאחורי אותות התסכול של {bucket}',
  drCompletedOf: 'מבקרים שהשלימו את "{funnel}", {bucket}',
  drAnsweredOf: 'מבקרים שענו על NPS, {bucket}',
  drEventOf: 'המבקרים שמאחורי {event}',
  drRowOf: 'המבקרים שמאחורי {event} שבהם {by}: {value}',
  drOtherOf: 'המבקרים שמאחורי {event} עם ערך {by} שאינו בין {top} המובילים',
  drCohort: 'מבקרים שנראו לראשונה בשבוע של {week}',
  drCohortWeek: 'מבקרים שנראו לראשונה בשבוע של {week} והיו פעילים בשבוע {n}',
  drEntry: 'מבקרים שהביקור שלהם התחיל ב-{page}',
  drAnsweredDay: 'מבקרים שענו על "{survey}" ב-{day}',
  drBehind: '{visitors} מאחורי {what}',
  drSessions: { one: 'ביקור אחד', other: '{n} ביקורים' },
  drPageviews: { one: 'צפייה אחת בדף', other: '{n} צפיות בדפים' },
  drSignals: { one: 'אות תסכול אחד', other: '{n} אותות תסכול' },
  drAnswers: { one: 'תשובה אחת', other: '{n} תשובות' },
  drEvents: { one: 'אירוע אחד', other: '{n} אירועים' },
  drShowSessions: 'הצגת המבקרים שמאחורי הביקורים של {bucket} ({n})',
  drShowPageviews: 'הצגת המבקרים שמאחורי הצפיות בדפים של {bucket} ({n})',
  drShowFriction: 'הצגת המבקרים שמאחורי אותות התסכול של {bucket} ({n})',
  drShowCompleted: 'הצגת המבקרים שהשלימו את {funnel}, {bucket} ({n})',
  drShowAnswered: 'הצגת מי שענו על NPS, {bucket} (NPS {score})',
  drShowRow: 'הצגת המבקרים שמאחורי {value} ({n})',
  drShowOther: 'הצגת המבקרים שמאחורי הערכים האחרים ({n})',
  drShowEvent: 'הצגת המבקרים שמאחורי {event} ({n})',
  drShowCohort: 'הצגת המבקרים שנראו לראשונה בשבוע של {week} ({n})',
  drShowCohortWeek: 'הצגת המבקרים מהשבוע של {week} שהיו פעילים בשבוע {k} ({n})',
  drShowEntry: 'הצגת המבקרים שהביקור שלהם התחיל ב-{page} ({n})',
  drColAnswers: 'תשובות',
  drShowAnsweredDay: 'הצגת מי שנתנו את התשובות של {day} ({n})',
}

const ar: Words = {
  drSessionsOf: 'الزوار أصحاب جلسات {bucket}',
  drPageviewsOf: 'الزوار أصحاب مشاهدات الصفحات في {bucket}',
  drFrictionOf: 'الزوار أصحاب إشارات الإحباط في {bucket}',
  drCompletedOf: 'الزوار الذين أكملوا «{funnel}»، {bucket}',
  drAnsweredOf: 'الزوار الذين أجابوا عن NPS، {bucket}',
  drEventOf: 'الزوار أصحاب أحداث {event}',
  drRowOf: 'الزوار أصحاب أحداث {event} حيث {by}: {value}',
  drOtherOf: 'الزوار أصحاب أحداث {event} بقيمة {by} من خارج أعلى {top}',
  drCohort: 'الزوار الذين ظهروا أول مرة في أسبوع {week}',
  drCohortWeek: 'الزوار الذين ظهروا أول مرة في أسبوع {week} ونشطوا في الأسبوع {n}',
  drEntry: 'الزوار الذين بدأت جلستهم في {page}',
  drAnsweredDay: 'الزوار الذين أجابوا عن «{survey}» في {day}',
  drBehind: '{visitors} ({what})',
  drSessions: 'الجلسات: {n}',
  drPageviews: 'مشاهدات الصفحات: {n}',
  drSignals: 'إشارات الإحباط: {n}',
  drAnswers: 'الإجابات: {n}',
  drEvents: 'الأحداث: {n}',
  drShowSessions: 'عرض الزوار أصحاب جلسات {bucket} ({n})',
  drShowPageviews: 'عرض الزوار أصحاب مشاهدات الصفحات في {bucket} ({n})',
  drShowFriction: 'عرض الزوار أصحاب إشارات الإحباط في {bucket} ({n})',
  drShowCompleted: 'عرض الزوار الذين أكملوا {funnel}، {bucket} ({n})',
  drShowAnswered: 'عرض من أجابوا عن NPS، {bucket} (NPS {score})',
  drShowRow: 'عرض الزوار أصحاب القيمة {value} ({n})',
  drShowOther: 'عرض الزوار أصحاب القيم الأخرى ({n})',
  drShowEvent: 'عرض الزوار أصحاب أحداث {event} ({n})',
  drShowCohort: 'عرض الزوار الذين ظهروا أول مرة في أسبوع {week} ({n})',
  drShowCohortWeek: 'عرض زوار أسبوع {week} النشطين في الأسبوع {k} ({n})',
  drShowEntry: 'عرض الزوار الذين بدأت جلستهم في {page} ({n})',
  drColAnswers: 'الإجابات',
  drShowAnsweredDay: 'عرض من قدّموا إجابات {day} ({n})',
}

export const drillText = { en, pl, he, ar }
