/**
 * @module dashboard/i18n: the dashboard in the team's language: English, Polish, Hebrew or Arabic
 * (the first users' languages). Chosen from the browser (navigator.languages) unless the reader
 * picked one with the switch (kept in localStorage); Hebrew and Arabic are written right to left.
 * `t(key, params)` finds the message, picks the plural form with Intl.PluralRules and formats
 * numbers with Intl, all in the chosen language. A message missing in a catalogue is English.
 * English is here, in the dashboard's own chunk; each other language is a chunk of its own
 * (i18n/pl.ts, he.ts, ar.ts), fetched by `loadLocale` only for a reader who is shown it.
 */

import { settingsText } from './i18n/settings'
import { surveyEditorText } from './i18n/survey-editor'
import { problemText } from './i18n/problems'
import { viewsText } from './i18n/views'
import { insightsText } from './i18n/insights'
import { formsText } from './i18n/forms'
import { findingsText } from './i18n/findings'
import { visitorText } from './i18n/visitor'
import { drillText } from './i18n/drill'

export const LOCALES = ['en', 'pl', 'he', 'ar'] as const
export type Locale = (typeof LOCALES)[number]

/** Each language's own name, for the switch. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', pl: 'Polski', he: 'עברית', ar: 'العربية' }

const RTL: ReadonlySet<Locale> = new Set(['he', 'ar'])
export const direction = (l: Locale) => (RTL.has(l) ? 'rtl' : 'ltr')

/** A message; or its plural forms (Intl.PluralRules categories) chosen by the `n` parameter. */
export type Message = string | ({ other: string } & Partial<Record<Intl.LDMLPluralRule, string>>)

const en = {
  site: 'Site',
  period: 'Period',
  language: 'Language',
  views: 'Views',
  insights: 'Insights',
  settings: 'Settings',
  signOut: 'Sign out',
  copyLink: 'Copy link',
  linkCopied: 'Link copied.',
  copyThisLink: 'Copy this link: {link}',
  // Saved views (saved-views.tsx); {name} is the team's own text.
  saveView: 'Save view',
  viewName: 'Name of this view',
  save: 'Save',
  savedViews: 'Saved views',
  noSavedViews: 'No saved views yet.',
  viewSaved: 'Saved “{name}”.',
  viewDeleted: 'Deleted “{name}”.',
  deleteView: 'Delete “{name}”',
  adminToken: 'Admin token',
  openDashboard: 'Open the dashboard',
  tokenHint: "The token is the worker's ADMIN_TOKEN secret (locally: .dev.vars).",
  lastDays: { one: 'Last day', other: 'Last {n} days' },
  segment: 'Segment',
  everyone: 'Everyone',
  loading: 'Loading…',
  couldNotLoad: 'Could not load {site}: {error}',
  tryAgain: 'Try again',
  segmentIs: 'Segment: {label}.',
  visitors: 'Visitors',
  sessions: 'Sessions',
  pageviews: 'Pageviews',
  rageClicks: 'Rage clicks',
  deadClicks: 'Dead clicks',
  abandonedForms: 'Abandoned forms',
  lastReceived: 'Last event received {ago}.',
  botEvents: { one: '{n} event from bots left out.', other: '{n} events from bots left out.' },
  noneLost: 'No event was reported lost.',
  trends: 'Trends',
  funnels: 'Funnels',
  traffic: 'Pages and sources',
  customEvents: 'Custom events',
  breakdown: 'Breakdown',
  retention: 'Retention',
  journeys: 'Journeys',
  friction: 'Friction hotspots',
  surveys: 'What visitors say',
  personalisation: 'Personalisation',
  propensity: 'Who will convert',
  vitals: 'Page speed (75th percentile)',
  noChange: 'no change',
  isNew: 'new',
  noData: 'no data',
  noDataBefore: 'no data before',
  points: { one: '{sign}{n} point', other: '{sign}{n} points' },
  soFar: '{label} (so far)',
  days: { one: '{n} day', other: '{n} days' },
  seconds: '{n} s',
  minutes: '{n} min',
  hours: '{n} h',
  // Table columns and captions.
  colVisitor: 'Visitor',
  colUser: 'User',
  colFirstSeen: 'First seen',
  colLastSeen: 'Last seen',
  colInterests: 'Interests',
  colEvents: 'Events',
  colShare: 'Share',
  colPage: 'Page',
  colElement: 'Element',
  colErrorClicks: 'Error clicks',
  colClicksDid: 'What the clicks did',
  colForm: 'Form',
  colLastField: 'Last field touched',
  colMoments: 'Moments before the click',
  colStep: 'Step',
  colReached: 'Reached',
  colLost: 'Lost since previous',
  colTimeFrom: 'Time from previous',
  colStopped: 'Stopped here, then',
  colStalled: 'Stalled',
  colPath: 'Path',
  colLeft: 'Left there',
  colVariant: 'Variant',
  colExposed: 'Exposed',
  colConversions: 'Conversions',
  colRate: 'Rate (95% interval)',
  colExpectedLoss: 'Expected loss',
  colLift: 'Lift vs holdout',
  colChance: 'Chance',
  colFurthest: 'Furthest step',
  colSaid: 'Said',
  colDid: 'Did',
  colViews: 'Views',
  colSource: 'Source',
  colMedium: 'Medium',
  colCampaign: 'Campaign',
  colEvent: 'Event',
  colTimes: 'Times',
  colTopValues: 'Top values of its props',
  colThisPeriod: 'This period',
  colBefore: 'Before',
  colTopic: 'Topic',
  colScore: 'Score',
  colDay: 'Day',
  colHour: 'Hour',
  capHotspots: 'Hotspots',
  capFormsLeft: 'Forms left unsubmitted',
  capPaths: 'Most frequent paths',
  capDropOff: 'Drop-off at each step',
  capCalibration: 'Calibration: chance said against share that did',
  capAtRisk: 'At risk: in the funnel, least likely to finish',
  capByScore: 'Answers by score',
  capPerQuestion: 'Answers per question',
  capTopPages: 'Top pages',
  capEntryPages: 'Entry pages',
  capReferrers: 'Referrers',
  capUtm: 'UTM campaigns',
  // The segment's filters.
  any: 'any',
  device: 'Device',
  mobile: 'mobile',
  tablet: 'tablet',
  desktop: 'desktop',
  all: 'all',
  newVisitors: 'new',
  returning: 'returning',
  referrer: 'Referrer',
  apply: 'Apply',
  // Empty states.
  noEventOf: 'No {event} event in this period.',
  noClicks: 'No rage, dead or error clicks yet.',
  noPageviewYet: 'No pageview in this period yet.',
  noExperiment: "No experiment in this site's slots.",
  noCohort: 'No visitor was first seen in these weeks.',
  noSurvey: "No survey in this site's config.",
  noPageview: 'No pageview in this period: install the tag (see the README) or widen the period.',
  nothingYet: 'Nothing in either period yet.',
  noVisitor: 'No visitor yet.',
  noVitals: 'No web vitals reported yet.',
  compareWith: 'Compare with',
  stopComparing: 'Stop comparing',
  // Explore: a funnel asked in a form (adhoc-funnel.tsx).
  askFunnel: 'Ask a funnel',
  askFunnelHint:
    'Steps in order, each done within the window from the first: a page (a path, /plans/:plan or /docs/*), a custom event or a step of a funnel.',
  askStep: 'Step {n}',
  askKind: 'kind',
  askKindPage: 'a page view of the path',
  askKindTrack: 'a custom event named',
  askKindStep: 'a funnel step (funnel/step)',
  askUp: 'Up',
  askDown: 'Down',
  askRemove: 'Remove',
  askAddStep: 'Add a step',
  askWindow: 'Conversion window (days, default 7)',
  askShow: 'Show the funnel',
  askSaveName: 'Funnel name',
  askSave: 'Save as funnel',
  askSaved: 'Saved as funnel “{id}” (version {version}).',
  askNameNeeded: 'Give the funnel a name (letters, digits, - or _)',
  askNameTaken: 'The site has a funnel “{id}” already: choose another name',
  askNoComma: 'Must not contain a comma',
  askNothingYet: 'Choose the steps, then Show the funnel.',
  askedFunnel: 'Asked funnel',
  // Settings: experiments (experiment-form.tsx).
  expLegend: 'Experiments',
  expNoSlot: 'No slot yet: add one under Slots, then an experiment on it.',
  expNew: 'Add an experiment to slot {slot}',
  expNewForm: 'New experiment on slot {slot}',
  expForm: 'Experiment {id} on slot {slot}',
  expId: 'Experiment id (letters, digits, - or _)',
  expCreateNote: "Saved stopped: start it with its switch once the slot's pages carry its variants.",
  expRunning: 'Experiment {id} is running',
  expOn: 'Running',
  expOff: 'Stopped',
  expArms: 'Arms: variants, comma-separated (the default content is an arm too)',
  expArmsOnly: 'Arms: variants, comma-separated',
  expGoalType: 'Goal event type',
  expGoalName: 'Goal name',
  expGoalStep: 'Goal step',
  expGuardType: 'Guardrail event type (must not rise)',
  expGuardName: 'Guardrail name',
  expGuardStep: 'Guardrail step',
  expWindow: 'Window: a conversion counts within (days, default 14)',
  expHoldout: 'Holdout (0–0.5)',
  expLift: 'Smallest lift worth detecting (0.1 is 10%)',
  expAllocation: 'Allocation',
  expSplit: 'fixed split',
  expBandit: 'bandit: more traffic to what converts',
  expCreate: 'Create it, stopped',
  expCancel: 'Cancel',
  expSave: 'Save {id}',
  before: 'before: {n}',
  capCohorts: 'Weekly cohorts: share active in each week after the first',
  colFirstWeek: 'First seen (week of)',
  week: 'Week {n}',
  downloadCsv: 'Download CSV',
  numbersByDay: 'Numbers by day',
  numbersByHour: 'Numbers by hour',
} satisfies Record<string, Message>

/**
 * The longer texts live per part of the dashboard in i18n/*.ts (English; the other languages' in
 * i18n/pl|he|ar/*.ts); the words shared by every view are above.
 */
const PARTS = [
  settingsText,
  surveyEditorText,
  problemText,
  viewsText,
  insightsText,
  formsText,
  findingsText,
  visitorText,
  drillText,
] as const
const EN = Object.assign({}, en, ...PARTS) as typeof en &
  typeof settingsText &
  typeof surveyEditorText &
  typeof problemText &
  typeof viewsText &
  typeof insightsText &
  typeof formsText &
  typeof findingsText &
  typeof visitorText &
  typeof drillText

export type Key = keyof typeof EN
/** A language's messages: those of English it has (a missing one shows in English). */
export type Catalogue = Partial<Record<Key, Message>>
/** A language's messages of one part of the dashboard, whose English is `T` (i18n/pl/settings.ts…). */
export type Words<T> = Partial<Record<keyof T, Message>>

/** Each other language's chunk: rollup makes a file of each import (dist/public/dashboard/he-[hash].js). */
const CHUNKS: Record<Exclude<Locale, 'en'>, () => Promise<{ catalogue: Catalogue }>> = {
  pl: () => import('./i18n/pl'),
  he: () => import('./i18n/he'),
  ar: () => import('./i18n/ar'),
}
/** The catalogues fetched so far: English from the start. */
const CATALOGUES: Partial<Record<Locale, Catalogue>> = { en: EN }

async function fetchCatalogue(l: Locale): Promise<Catalogue> {
  return (CATALOGUES[l] ??= (await CHUNKS[l as Exclude<Locale, 'en'>]()).catalogue)
}

/** A language's messages as written (English is the fallback `t` uses for a message missing there). */
export const catalogueOf = (l: Locale): Promise<Catalogue> => fetchCatalogue(l)

/**
 * Fetches `l`'s catalogue, once, before `setLocale(l)` shows it. False when its chunk could not
 * be fetched (offline, a deploy replaced it): the page is then best shown in English, and the
 * next call tries again.
 */
export async function loadLocale(l: Locale): Promise<boolean> {
  try {
    await fetchCatalogue(l)
    return true
  } catch {
    return false
  }
}

/**
 * The Intl locale numbers and dates are written in. Arabic keeps Western digits: the charts'
 * axes and the tables beside them then read the same, as in most Arabic software dashboards.
 * English is written as the reader's browser writes it (`english`): a British reader's 1 December
 * is 01/12/2026, not the 12/1/2026 of plain `en` (American).
 */
const FORMAT_LOCALE: Record<Locale, string> = { en: 'en', pl: 'pl', he: 'he', ar: 'ar-u-nu-latn' }

let current: Locale = 'en'
/** The browser's own English (en-GB, en-AU, en-IN…), else plain `en`. */
let english = 'en'

/** The first English of the browser's languages (`en-GB`), as Intl names it; else `en`. */
function englishOf(languages: readonly string[]): string {
  for (const tag of languages) {
    if (!/^en(-|$)/i.test(tag)) continue
    try {
      return Intl.getCanonicalLocales(tag)[0]!
    } catch {
      // Not a tag Intl reads: the next one.
    }
  }
  return 'en'
}

/** The Intl locale of the language shown (numbers, dates, relative times). */
export const formatLocale = (): string => (current === 'en' ? english : FORMAT_LOCALE[current])

/** Whether the language shown is written right to left. */
export const isRtl = () => RTL.has(current)

const isLocale = (x: unknown): x is Locale => LOCALES.includes(x as Locale)

/**
 * The language to show: the one picked with the switch, else the first of the browser's
 * languages ("he-IL" is Hebrew) the dashboard has, else English.
 */
export function pickLocale(languages: readonly string[], picked?: string | null): Locale {
  if (isLocale(picked)) return picked
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0]
    // "iw" is Hebrew's old code, still sent by some systems.
    const l = base === 'iw' ? 'he' : base
    if (isLocale(l)) return l
  }
  return 'en'
}

/**
 * Shows the dashboard in `l` from now on (what `t` and the formatters write), its catalogue
 * fetched first (`loadLocale`; else its messages are English); `browser`: the browser's languages
 * (navigator.languages), whose English, if any, writes English dates and numbers.
 */
export function setLocale(l: Locale, browser: readonly string[] = []): void {
  current = l
  english = englishOf(browser)
}

/** Whether the dashboard has a message `key` (a name it builds, such as `field:holdout`). */
export const isKey = (key: string): key is Key => key in EN

/** The message `key` in the language shown, `{name}`s filled in; numbers are written with Intl. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  const message: Message = CATALOGUES[current]?.[key] ?? EN[key]
  let text: string
  if (typeof message === 'string') text = message
  else {
    const n = params.n
    const form = typeof n === 'number' ? new Intl.PluralRules(formatLocale()).select(n) : 'other'
    text = message[form] ?? message.other
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name]
    if (v === undefined) return whole
    return typeof v === 'number' ? new Intl.NumberFormat(formatLocale()).format(v) : v
  })
}
