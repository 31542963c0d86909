/**
 * @module went: where a visitor went after a funnel step they stopped at, as the funnel's "then"
 * names it. Pure. Only what a visitor chose to do counts: a page, a custom event, a step of a
 * funnel, a click, a form left or sent, a survey answered or closed. What the page or the snippet
 * sends on its own (identify, survey_shown, slot_shown, consent, vitals, page_leave, stall, error,
 * u_turn, and any other type) is passed over for the next event that counts; so is a click on a
 * link within the site, as the page it opens says where they went.
 */

/** Clicks, each the visitor's choice whatever verdict it also got. */
export const CLICK_TYPES = ['click', 'rage_click', 'dead_click', 'error_click'] as const

/** The event types that count as where a visitor went. */
export const WENT_TYPES = [
  'pageview',
  'track',
  'step',
  ...CLICK_TYPES,
  'form_abandon',
  'form_submit',
  'survey_answer',
  'survey_comment',
  'survey_dismiss',
] as const

/** An event as stored, in the fields nextLabel names it by. */
export interface NextEvent {
  type: string
  name: string | null
  url: string
  /** A step event's step. */
  step: string | null
  /** A click's element, as the hotspots name it (store/filters.ts, elementSql). */
  element: string | null
  /** A form event's form (its id or name; '' for neither). */
  form: string | null
}

/**
 * Where a visitor went, as a label whose kind comes before the first colon: `page:/pricing`,
 * `track:signup_started`, `step:onboarding/done` (as the ad hoc steps write them),
 * `click:button “Upgrade”`, `form_abandon:signup`, `form_submit:signup`, `survey_answer:nps`
 * (an answer or a comment), `survey_dismiss:nps`; null: nothing that counts followed.
 */
export function nextLabel(e: NextEvent | null, page: (url: string) => string): string | null {
  if (!e) return null
  if (e.type === 'pageview') return `page:${page(e.url)}`
  if (e.type === 'track') return `track:${e.name ?? ''}`
  if (e.type === 'step') return `step:${e.name ?? ''}/${e.step ?? ''}`
  if ((CLICK_TYPES as readonly string[]).includes(e.type)) return `click:${e.element ?? ''}`
  if (e.type === 'form_abandon' || e.type === 'form_submit') return `${e.type}:${e.form ?? ''}`
  if (e.type === 'survey_comment') return `survey_answer:${e.name ?? ''}`
  return `${e.type}:${e.name ?? ''}`
}
