/** @module dashboard/i18n/ar/visitor: the words of one visitor's timeline, in Arabic (English: i18n/visitor.ts). */
import type { Words } from '../../i18n'
import type { visitorText } from '../visitor'

export const visitor: Words<typeof visitorText> = {
  openVisitor: 'فتح الزائر {id}',
  visitorTitle: 'الزائر {id}',
  vNotIdentified: 'غير معرَّف',
  vTraits: 'السمات',
  vSeen: 'الظهور',
  vSeenRange: '{from} – {to}، {sessions}',
  vSegments: 'الشرائح',
  vFrom: 'من {source}',
  vUnknown: 'مصدر غير معروف',
  vBot: 'روبوت (مستبعد من الرؤى)',
  vChance: 'احتمال التحويل',
  vChanceTo: '{pct} للوصول إلى {goal} ({funnel})',
  vLanded: 'صفحة الدخول',
  vNoInterest: 'لم تُحتسب اهتمامات بعد (تحمل الصفحات مواضيع: راجع {readme}).',
  vAnswers: 'إجابات الاستبيانات',
  vNoAnswer: 'لا إجابة.',
  vFriction: 'الإحباط الذي واجهه',
  vNone: 'لا شيء.',
  'friction:u_turn': 'عودات فورية',
  'friction:stall': 'خطوات تعثّر عندها',
  vTimeline: 'الخط الزمني',
  vNewest: 'أحدث {shown} من أصل {n} من الأحداث.',
  vEvents: 'الأحداث: {n}.',
  vSession: 'جلسة من {start}',
  vSessionEvents: '(الأحداث: {n})',
  vErase: 'محو هذا الزائر',
}
