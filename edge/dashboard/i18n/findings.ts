/**
 * @module dashboard/i18n/findings: what the worker finds and sends as data, said here in the
 * dashboard's four languages: an experiment's verdict (`verdictFacts`), why an answer alerted
 * (`reasonFacts`), why a model is missing (`messageFacts`) and its leakage warning, what a
 * hotspot's clicks did (`did`) and the segment a view is narrowed to. The API's English
 * sentences stay for its other readers. Numbers come in already written in the reader's locale;
 * arm, event, goal and segment names are `<bdi>` elements (`tx`).
 */
import type { Message } from '../i18n'

const en = {
  // personalisation.tsx: the verdict (edge/domain/verdict.ts)
  vdMismatch:
    'Sample ratio mismatch (p = {p}): the arms did not get the visitors the split sends them, so something other than chance decides who is counted where (a redirect, bots, a page reporting the wrong arm). Find the cause before acting on these results.',
  vdNoExposure: 'No visitors exposed yet.',
  vdWinner: '{arm} beats {control}: {lift}; expected loss if you ship it {loss}.',
  vdStop: 'You can stop.',
  vdRivals: 'Keep running to tell it from {rivals}.',
  vdGuardrail: 'But {event} rose: {lift}; check that before you ship it.',
  vdControlWins: '{control} beats {arms}: keep {control}. You can stop.',
  vdNoDifference: 'No variant changes the rate by {lift} or more: {arms}. You can stop.',
  vdNoConversions: 'Keep running: no conversions yet.',
  vdNeeded: {
    one: 'Keep running: about {n} more visitor per arm to detect a {lift} lift.',
    other: 'Keep running: about {n} more visitors per arm to detect a {lift} lift.',
  },
  vdNeededAt: {
    one: 'Keep running: about {n} more visitor per arm to detect a {lift} lift (at {rate} for {control}).',
    other: 'Keep running: about {n} more visitors per arm to detect a {lift} lift (at {rate} for {control}).',
  },
  vdCame: 'Keep running: the visitors a {lift} lift needs have come, so any difference is likely smaller.',
  vdSoFar: 'So far {arm} {lift}.',
  vdArmLift: '{arm} {lift}',
  noEstimate: 'no estimate',
  // surveys.tsx: why an answer alerted (edge/domain/alerts.ts)
  'why:nps': 'NPS {score} (a detractor: 0–6)',
  'why:csat': 'CSAT {score} of 5',
  'why:emoji': 'face {score} of 5',
  'why:rule': 'the survey’s rule on {q}',
  // propensity.tsx: why a model is missing (edge/domain/forward.ts)
  'model:untrained': 'Not trained yet: models are retrained every hour from the events in D1.',
  'model:untested': 'Trained before models were tested forward; the next hourly run retrains it.',
  'model:goalChanged':
    "The funnel's goal changed to '{goal}' since the last training; the next hourly run retrains it.",
  'model:tooFewSteps': 'This funnel needs at least two steps.',
  // The API's own English sentences (domain/forward.ts), word for word.
  trainTooLittle:
    'Too little data: at the training cutoffs ({from} to {to}) {counts}; a model needs at least {min} of each.',
  measureTooLittle:
    'Too little data to measure: at the holdout cutoff ({cutoff}) {counts}; measuring needs at least {min} of each.',
  countsFunnel: "{positives} visitors reached '{goal}' within {days} and {negatives} did not",
  countsChurn: '{positives} returning visitors did not come back within {days} and {negatives} did',
  leakWarning:
    'AUC {auc} at the holdout cutoff is at least {threshold}: check for leakage (a feature that is only known once the outcome has happened).',
  // friction.tsx: what a hotspot's clicks did (edge/domain/hotspots.ts)
  didOneClick: '1 click',
  didClicks: '{n} clicks in {time}',
  didUnanswered: '{clicks}, none of them answered',
  didQuiet: '{clicks}, nothing changed on the page for {time}',
  didMoved: '{clicks}, nothing answered for {time} (only what changes by itself changed on the page)',
  // The segment a view is narrowed to (overview, funnels, the visitors behind a number).
  segNamed: 'segment {segment}',
  segFrom: 'from {referrer}',
  segDirect: 'direct',
  segEveryone: 'everyone',
  segNew: 'new visitors',
  segReturning: 'returning visitors',
  // propensity.tsx: a model's feature that is a value of the visitor's first page
  'feature:entry.source': 'came from {value}',
  'feature:entry.medium': 'medium {value}',
} satisfies Record<string, Message>

type Catalogue = Partial<Record<keyof typeof en, Message>>

const pl: Catalogue = {
  vdArmLift: '{arm}: {lift}',
  vdMismatch:
    'Niezgodność proporcji próby (p = {p}): warianty nie dostały odwiedzających, których przydziela im podział, więc o tym, kto gdzie jest liczony, decyduje coś innego niż przypadek (przekierowanie, boty, strona zgłaszająca zły wariant). Znajdź przyczynę, zanim zaczniesz działać na tych wynikach.',
  vdNoExposure: 'Żaden odwiedzający nie zobaczył jeszcze wariantu.',
  vdWinner: '{arm} wygrywa z {control}: {lift}; oczekiwana strata po wdrożeniu {loss}.',
  vdStop: 'Możesz zakończyć eksperyment.',
  vdRivals: 'Kontynuuj, by odróżnić go od: {rivals}.',
  vdGuardrail: 'Ale wskaźnik {event} wzrósł: {lift}; sprawdź to przed wdrożeniem.',
  vdControlWins: '{control} wygrywa z: {arms}. Zostaw {control}. Możesz zakończyć eksperyment.',
  vdNoDifference: 'Żaden wariant nie zmienia współczynnika o {lift} lub więcej: {arms}. Możesz zakończyć eksperyment.',
  vdNoConversions: 'Kontynuuj: nie ma jeszcze konwersji.',
  vdNeeded: {
    one: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzającego na wariant, by wykryć wzrost o {lift}.',
    few: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzających na wariant, by wykryć wzrost o {lift}.',
    many: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzających na wariant, by wykryć wzrost o {lift}.',
    other: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzającego na wariant, by wykryć wzrost o {lift}.',
  },
  vdNeededAt: {
    one: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzającego na wariant, by wykryć wzrost o {lift} (współczynnik {control}: {rate}).',
    few: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzających na wariant, by wykryć wzrost o {lift} (współczynnik {control}: {rate}).',
    many: 'Kontynuuj: potrzeba jeszcze około {n} odwiedzających na wariant, by wykryć wzrost o {lift} (współczynnik {control}: {rate}).',
    other:
      'Kontynuuj: potrzeba jeszcze około {n} odwiedzającego na wariant, by wykryć wzrost o {lift} (współczynnik {control}: {rate}).',
  },
  vdCame:
    'Kontynuuj: przyszło już tylu odwiedzających, ilu potrzeba do wykrycia wzrostu o {lift}, więc ewentualna różnica jest zapewne mniejsza.',
  vdSoFar: 'Na razie {arm}: {lift}.',
  noEstimate: 'brak oszacowania',
  'why:nps': 'NPS {score} (krytyk: 0–6)',
  'why:csat': 'CSAT {score} na 5',
  'why:emoji': 'buźka {score} na 5',
  'why:rule': 'reguła ankiety dla {q}',
  'model:untrained': 'Jeszcze nie wytrenowany: modele są trenowane co godzinę na zdarzeniach z D1.',
  'model:untested':
    'Wytrenowany, zanim modele sprawdzano na późniejszych danych; najbliższe cogodzinne trenowanie go odświeży.',
  'model:goalChanged':
    'Od ostatniego trenowania cel lejka zmienił się na „{goal}”; najbliższe cogodzinne trenowanie go odświeży.',
  'model:tooFewSteps': 'Ten lejek potrzebuje co najmniej dwóch kroków.',
  trainTooLittle:
    'Za mało danych w punktach odcięcia do nauki (od {from} do {to}): {counts}. Model potrzebuje co najmniej {min} w każdej grupie.',
  measureTooLittle:
    'Za mało danych do pomiaru w punkcie odcięcia testu ({cutoff}): {counts}. Pomiar potrzebuje co najmniej {min} w każdej grupie.',
  countsFunnel: 'odwiedzający, którzy dotarli do {goal} w ciągu {days}: {positives}; którzy nie dotarli: {negatives}',
  countsChurn: 'powracający odwiedzający, którzy nie wrócili w ciągu {days}: {positives}; którzy wrócili: {negatives}',
  leakWarning:
    'AUC {auc} w punkcie odcięcia testu wynosi co najmniej {threshold}: sprawdź, czy nie ma wycieku (cechy znanej dopiero po tym, jak wynik już nastąpił).',
  didOneClick: '1 kliknięcie',
  didClicks: {
    one: '{n} kliknięcie w ciągu {time}',
    few: '{n} kliknięcia w ciągu {time}',
    many: '{n} kliknięć w ciągu {time}',
    other: '{n} kliknięcia w ciągu {time}',
  },
  didUnanswered: '{clicks}, żadne nie wywołało reakcji',
  didQuiet: '{clicks}, nic się nie zmieniło na stronie przez {time}',
  didMoved: '{clicks}, brak reakcji przez {time} (zmieniało się tylko to, co zmienia się samo)',
  segNamed: 'segment {segment}',
  segFrom: 'z {referrer}',
  segDirect: 'wejścia bezpośrednie',
  segEveryone: 'wszyscy',
  segNew: 'nowi odwiedzający',
  segReturning: 'powracający odwiedzający',
  'feature:entry.source': 'przyszedł z {value}',
  'feature:entry.medium': 'medium {value}',
}

const he: Catalogue = {
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

const ar: Catalogue = {
  vdMismatch:
    'عدم تطابق نسبة العينة (p = {p}): لم تحصل النسخ على الزوار الذين يرسلهم إليها التقسيم، فشيء غير الصدفة يقرر من يُحتسب أين (إعادة توجيه، روبوتات، صفحة تبلّغ عن النسخة الخطأ). ابحث عن السبب قبل أن تتصرف بناءً على هذه النتائج.',
  vdNoExposure: 'لم يتعرّض أي زائر للتجربة بعد.',
  vdWinner: '{arm} تتفوق على {control}: {lift}؛ الخسارة المتوقعة إن اعتمدتها: {loss}.',
  vdStop: 'يمكنك الإيقاف.',
  vdRivals: 'واصل التشغيل لتمييزها عن {rivals}.',
  vdGuardrail: 'لكن {event} ارتفع: {lift}؛ تحقق من ذلك قبل اعتمادها.',
  vdControlWins: '{control} تتفوق على {arms}: أبقِ {control}. يمكنك الإيقاف.',
  vdNoDifference: 'لا تغيّر أي نسخة المعدل بمقدار {lift} أو أكثر: {arms}. يمكنك الإيقاف.',
  vdNoConversions: 'واصل التشغيل: لا تحويلات بعد.',
  vdNeeded: 'واصل التشغيل: الزوار الإضافيون اللازمون لكل نسخة لاكتشاف تحسّن بنسبة {lift}: نحو {n}.',
  vdNeededAt:
    'واصل التشغيل: الزوار الإضافيون اللازمون لكل نسخة لاكتشاف تحسّن بنسبة {lift} (عند معدل {rate} لـ{control}): نحو {n}.',
  vdCame: 'واصل التشغيل: وصل الزوار الذين يحتاجهم تحسّن بنسبة {lift}، فأي فرق على الأرجح أصغر.',
  vdSoFar: 'حتى الآن {arm}: {lift}.',
  vdArmLift: '{arm}: {lift}',
  noEstimate: 'لا تقدير',
  'why:nps': 'NPS {score} (منتقد: 0–6)',
  'why:csat': 'CSAT {score} من 5',
  'why:emoji': 'وجه {score} من 5',
  'why:rule': 'قاعدة الاستبيان على {q}',
  'model:untrained': 'لم يُدرَّب بعد: يُعاد تدريب النماذج كل ساعة من الأحداث في D1.',
  'model:untested': 'دُرّب قبل أن تُختبر النماذج على بيانات لاحقة؛ التشغيل التالي كل ساعة يعيد تدريبه.',
  'model:goalChanged': 'تغيّر هدف مسار التحويل إلى {goal} منذ آخر تدريب؛ التشغيل التالي كل ساعة يعيد تدريبه.',
  'model:tooFewSteps': 'يحتاج مسار التحويل هذا إلى خطوتين على الأقل.',
  trainTooLittle:
    'بيانات قليلة جدًا عند نقاط قطع التدريب ({from} إلى {to}): {counts}. يحتاج النموذج إلى {min} على الأقل من كل منهما.',
  measureTooLittle:
    'بيانات قليلة جدًا للقياس عند نقطة قطع الاختبار ({cutoff}): {counts}. يحتاج القياس إلى {min} على الأقل من كل منهما.',
  countsFunnel: 'زوار وصلوا إلى {goal} خلال {days}: {positives}؛ ولم يصلوا: {negatives}',
  countsChurn: 'زوار عائدون لم يعودوا خلال {days}: {positives}؛ عادوا: {negatives}',
  leakWarning:
    'قيمة AUC {auc} عند نقطة قطع الاختبار لا تقل عن {threshold}: تحقق من وجود تسرّب (خاصية لا تُعرف إلا بعد وقوع النتيجة).',
  didOneClick: 'نقرة واحدة',
  didClicks: 'النقرات: {n} خلال {time}',
  didUnanswered: '{clicks}، لم تلقَ أي منها استجابة',
  didQuiet: '{clicks}، لم يتغير شيء في الصفحة لمدة {time}',
  didMoved: '{clicks}، لم يستجب شيء لمدة {time} (تغيّر فقط ما يتغير من تلقاء نفسه)',
  segNamed: 'الشريحة {segment}',
  segFrom: 'من {referrer}',
  segDirect: 'دخول مباشر',
  segEveryone: 'الجميع',
  segNew: 'زوار جدد',
  segReturning: 'زوار عائدون',
  'feature:entry.source': 'جاء من {value}',
  'feature:entry.medium': 'الوسيط {value}',
}

export const findingsText = { en, pl, he, ar }
