/** @module dashboard/i18n/ar/findings: what the worker finds and sends as data, in Arabic (English: i18n/findings.ts). */
import type { Words } from '../../i18n'
import type { findingsText } from '../findings'

export const findings: Words<typeof findingsText> = {
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
