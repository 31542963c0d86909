/**
 * @module site: the one schema of a site (valibot): its name, allowed origins, the public
 * config served to pages, and private settings. The admin API validates every save with it
 * (a 400 naming the field), so no stored config can break a page or an endpoint; the same
 * schema prints the JSON Schema editors use (`GET /v1/schema/site`, `npm run schema`). Pure.
 */
import * as v from 'valibot'
import type { SiteConfig, SurveyConfig, Text } from '../../snippet/contract/wire'
import { circleProblem, refsProblem, Rule, RuleOrSegment, type RuleProblem } from './segments'
import { firstVisitRules } from './landing'
import { END, questionsOf } from '../../snippet/contract/survey-model'
import { keysPath, messageOf, pathOf, problemOf, type Problem } from './issues'
import { selectorProblem } from './selector'
import { webhookTargetProblem } from './webhook-target'
import type { Result } from './batch'

const ID = /^[\w-]{1,64}$/
const ID_MSG = "must be 1-64 letters, digits, '-' or '_'"
const Key = v.pipe(v.string(ID_MSG), v.regex(ID, ID_MSG))

const text = (max: number) =>
  v.pipe(
    v.string(`must be a non-empty string of at most ${max} characters`),
    v.check((s) => s.trim().length > 0 && s.length <= max, `must be a non-empty string of at most ${max} characters`),
  )
const int = (min: number, max: number) =>
  v.pipe(
    v.number(`must be a whole number from ${min} to ${max}`),
    v.integer(`must be a whole number from ${min} to ${max}`),
    v.minValue(min, `must be a whole number from ${min} to ${max}`),
    v.maxValue(max, `must be a whole number from ${min} to ${max}`),
  )
const bool = v.boolean('must be true or false')
/** A list of objects with unique `id`s (so rules and reports can name them). */
const listOf = <T extends v.GenericSchema<unknown, { id: string }>>(item: T, max: number) =>
  v.pipe(
    v.array(item, 'must be an array'),
    v.maxLength(max, `may hold at most ${max} items`),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return
      const seen = new Set<string>()
      dataset.value.forEach((x, i) => {
        if (seen.has(x.id))
          addIssue({
            message: `uses the id '${x.id}' twice`,
            path: [{ type: 'array', origin: 'value', input: dataset.value, key: i, value: x }],
          })
        seen.add(x.id)
      })
    }),
  )

/**
 * An origin is scheme://host[:port], as browsers send it in the Origin header; `*.` as the
 * whole first label stands for any subdomain, at any depth (middleware/cors.ts matches it).
 */
const Origin = v.pipe(
  v.string('must be an origin like https://example.com'),
  v.check((s) => {
    try {
      const u = new URL(s)
      return /^https?:$/.test(u.protocol) && u.origin === s.replace(/\/$/, '')
    } catch {
      return false
    }
  }, 'must be an origin like https://example.com'),
  v.transform((s) => new URL(s).origin),
  // A wildcard covers the subdomains of a registrable-looking name (two labels at least), never a TLD.
  v.check(
    (s) => !s.includes('*') || /^https?:\/\/\*(\.[a-z0-9-]+){2,}(:\d+)?$/.test(s),
    'may use * only as a whole first label, like https://*.example.com',
  ),
)

const Topic = v.pipe(
  v.string('must be a topic'),
  v.regex(/^[\w -]{1,40}$/, 'must be 1-40 letters, digits, spaces, - or _'),
)
const PathPrefix = v.pipe(v.string(), v.regex(/^\/\S{0,499}$/, 'must be a URL path starting with /'))
/** CSS selectors run in visitors' browsers: short, and ones every browser parses (a bad one would throw there). */
const Selector = v.pipe(
  v.string('must be a CSS selector'),
  v.maxLength(200, 'must be a CSS selector of at most 200 characters'),
  v.rawCheck(({ dataset, addIssue }) => {
    const problem = dataset.typed && selectorProblem(dataset.value)
    if (problem) addIssue({ message: `must be a valid CSS selector like 'button.buy' or '[data-track]' (${problem})` })
  }),
)

/** A link a visitor may follow: http(s) only (never `javascript:`). */
const WebUrl = v.pipe(
  v.string('must be an http(s) URL'),
  v.check((s) => {
    try {
      return s.length <= 2000 && /^https?:$/.test(new URL(s).protocol)
    } catch {
      return false
    }
  }, 'must be an http(s) URL'),
)

const Capture = v.strictObject(
  {
    clicks: v.optional(
      v.union([bool, v.pipe(v.array(Selector), v.maxLength(50))], 'must be true, false or a list of CSS selectors'),
    ),
    rage: v.optional(
      v.strictObject(
        { clicks: v.optional(int(2, 20)), ms: v.optional(int(100, 5000)), px: v.optional(int(1, 500)) },
        'must be an object',
      ),
    ),
    deadMs: v.optional(int(500, 30_000)),
    vitals: v.optional(bool),
    topics: v.optional(
      v.record(
        PathPrefix,
        v.pipe(v.array(Topic, 'must be a list of topics'), v.maxLength(10)),
        'must map URL path prefixes to lists of topics',
      ),
    ),
  },
  'must be an object',
)

const Funnel = v.strictObject(
  {
    id: Key,
    steps: v.pipe(
      listOf(
        v.strictObject({ id: text(200), maxSeconds: v.optional(int(1, 30 * 86_400)) }, 'must be an object with an id'),
        50,
      ),
      v.minLength(1, 'must list at least one step'),
    ),
  },
  'must be an object with an id and steps',
)

const Variant = v.pipe(v.string('must name a variant'), v.regex(/^[\w-]{1,64}$/, ID_MSG))

const Segment = v.strictObject(
  { id: Key, description: v.optional(text(300)), rule: Rule },
  'must be an object with an id and a rule',
)

/** An event a visitor does: its type (`step`, `track`, `rage_click`, ...), name and step. */
const EventMatch = v.strictObject(
  {
    type: v.pipe(
      text(40),
      v.regex(/^[a-z][a-z0-9_]*$/, "must be an event type (lower-case letters, digits and '_', like rage_click)"),
    ),
    name: v.optional(text(200)),
    step: v.optional(text(200)),
  },
  'must be an object with an event type',
)

/** A list of variant names, each once. */
const Variants = v.pipe(
  v.array(Variant, 'must be a list of variants'),
  v.minLength(1, 'must list at least one variant'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    const i = dataset.value.findIndex((x, j) => dataset.value.indexOf(x) !== j)
    if (i >= 0) addIssue({ message: `names '${dataset.value[i]}' twice`, path: pathTo(dataset.value, [i]) })
  }),
)

const Experiment = v.pipe(
  v.strictObject(
    {
      id: Key,
      variants: v.pipe(Variants, v.maxLength(10, 'may hold at most 10 variants')),
      control: v.optional(bool),
      goal: EventMatch,
      guardrail: v.optional(EventMatch),
      minimumLift: v.optional(
        v.pipe(
          v.number('must be a relative lift from 0.01 to 10 (0.1 is 10%)'),
          v.minValue(0.01, 'must be a relative lift from 0.01 to 10 (0.1 is 10%)'),
          v.maxValue(10, 'must be a relative lift from 0.01 to 10 (0.1 is 10%)'),
        ),
      ),
      windowDays: v.optional(int(1, 365)),
      holdout: v.optional(
        v.pipe(
          v.number('must be a share from 0 to 0.5'),
          v.minValue(0, 'must be a share from 0 to 0.5'),
          v.maxValue(0.5, 'must be a share from 0 to 0.5'),
        ),
      ),
      allocation: v.optional(v.picklist(['split', 'thompson'], 'must be split or thompson')),
      weights: v.optional(
        v.array(
          v.pipe(v.number('must be a number'), v.minValue(0, 'must not be negative')),
          'must be a list of numbers',
        ),
      ),
      audience: v.optional(RuleOrSegment),
      on: v.optional(bool),
    },
    'must be an object',
  ),
  v.check((x) => x.control !== false || x.variants.length >= 2, 'needs two arms: two variants, or one and the default'),
  v.check(
    (x) =>
      !x.weights ||
      (x.weights.length === x.variants.length + (x.control === false ? 0 : 1) && x.weights.some((w) => w > 0)),
    'weights must give one number per arm (the default first, unless control is false)',
  ),
)

const Slot = v.pipe(
  v.strictObject(
    {
      id: Key,
      variants: v.optional(v.pipe(Variants, v.maxLength(50, 'may hold at most 50 variants'))),
      rules: v.optional(
        v.pipe(
          v.array(
            v.strictObject({ when: RuleOrSegment, variant: Variant }, 'must be {when, variant}'),
            'must be a list of rules',
          ),
          v.maxLength(50, 'may hold at most 50 rules'),
        ),
      ),
      experiment: v.optional(Experiment),
      byInterest: v.optional(v.record(Topic, Variant, 'must map topics to variant names')),
    },
    'must be an object with an id',
  ),
  // A slot that lists its variants is only ever asked to show one of them.
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed || !dataset.value.variants) return
    const slot = dataset.value
    const known = new Set(slot.variants)
    const named: Key[][] = [
      ...(slot.experiment?.variants ?? []).map((_, j) => ['experiment', 'variants', j]),
      ...(slot.rules ?? []).map((_, j) => ['rules', j, 'variant']),
      ...Object.keys(slot.byInterest ?? {}).map((t) => ['byInterest', t]),
    ]
    for (const at of named) {
      const path = pathTo(slot, at)
      const name = path.at(-1)!.value as string
      if (!known.has(name))
        return addIssue({
          message: `'${name}' is not one of the slot's variants (${slot.variants!.join(', ')})`,
          path,
        })
    }
  }),
)

const Trigger = v.pipe(
  v.strictObject(
    {
      event: v.optional(v.pipe(text(40), v.regex(/^[a-z][a-z0-9_]*$/, 'must be an event type'))),
      name: v.optional(text(200)),
      path: v.optional(PathPrefix),
      seconds: v.optional(int(1, 3600)),
      scroll: v.optional(int(1, 100)),
    },
    'must be an object',
  ),
  v.check(
    (t) => t.event !== undefined || t.name !== undefined || t.path !== undefined,
    'needs an event, a name or a path',
  ),
)

/** A language code: `en`, `pl`, `he`, `ar`, `pt-BR`. */
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/
const Lang = v.pipe(v.string('must be a language code'), v.regex(LANG, "must be a language code like 'en' or 'pt-BR'"))
/** Text a visitor reads: a string, or a map by language code. */
const Text = (max: number) => {
  const msg = `must be a non-empty string of at most ${max} characters, or a map from language codes to such strings`
  return v.union(
    [
      text(max),
      v.pipe(
        v.record(Lang, text(max), msg),
        v.check((m) => Object.keys(m).length > 0 && Object.keys(m).length <= 20, 'must name 1 to 20 languages'),
      ),
    ],
    msg,
  )
}

const Score = int(0, 10)
const Choice = Key
const Branch = v.strictObject(
  { min: v.optional(Score), max: v.optional(Score), choice: v.optional(Choice), to: Key },
  'must be an object with a test (min, max or choice) and where it goes (to)',
)
const QUESTION_TYPES = ['nps', 'csat', 'emoji', 'single', 'multi', 'text'] as const
const Question = v.strictObject(
  {
    id: Key,
    type: v.picklist(QUESTION_TYPES, 'must be nps, csat, emoji, single, multi or text'),
    text: Text(300),
    required: v.optional(bool),
    options: v.optional(
      v.pipe(
        listOf(v.strictObject({ id: Key, text: Text(200) }, 'must be an object with an id and a text'), 30),
        v.minLength(1, 'must list at least one option'),
      ),
    ),
    other: v.optional(bool),
    low: v.optional(Text(60)),
    high: v.optional(Text(60)),
    branch: v.optional(v.pipe(v.array(Branch, 'must be an array'), v.maxLength(20, 'may hold at most 20 items'))),
    next: v.optional(Key),
  },
  'must be an object',
)
const Negative = v.strictObject(
  { q: Key, min: v.optional(Score), max: v.optional(Score), choice: v.optional(Choice) },
  'must be an object naming a question (q) and a test (min, max or choice)',
)

type Key = string | number
type TestIn = { min?: number; max?: number; choice?: string }
type QuestionIn = TestIn & {
  id: string
  type: string
  options?: { id: string }[]
  other?: boolean
  low?: unknown
  high?: unknown
  branch?: (TestIn & { to: string })[]
  next?: string
}
type SurveyIn = {
  kind?: string
  question?: unknown
  followUp?: unknown
  questions?: QuestionIn[]
  negative?: (TestIn & { q: string })[]
}
const RANGES: { [type: string]: [number, number] } = { nps: [0, 10], csat: [1, 5], emoji: [1, 5] }

/** What is wrong with a test on a question's answer (a branch, an alert rule), and in which field. */
function testProblem(q: QuestionIn, t: TestIn): { at: Key[]; message: string } | null {
  if (t.min === undefined && t.max === undefined && t.choice === undefined)
    return { at: [], message: 'needs a test: min, max or choice' }
  const range = RANGES[q.type]
  for (const f of ['min', 'max'] as const) {
    const n = t[f]
    if (n === undefined) continue
    if (!range) return { at: [f], message: `is for scale questions (nps, csat, emoji); '${q.id}' is ${q.type}` }
    if (n < range[0] || n > range[1])
      return { at: [f], message: `must be from ${range[0]} to ${range[1]} for a ${q.type} question` }
  }
  if (t.choice !== undefined) {
    if (!q.options) return { at: ['choice'], message: `is for choice questions; '${q.id}' is ${q.type}` }
    if (!q.options.some((o) => o.id === t.choice) && !(q.other && t.choice === 'other'))
      return { at: ['choice'], message: `names no option of question '${q.id}' ('${t.choice}')` }
  }
  return null
}

/** The first thing wrong with a survey that its fields alone do not show: where, and what. */
export function surveyProblem(s: SurveyIn): { at: Key[]; message: string } | null {
  const qs = s.questions
  if (!qs) {
    if (s.kind === undefined) return { at: ['kind'], message: 'is missing (or give a list of questions)' }
    if (s.question === undefined) return { at: ['question'], message: 'is missing' }
  } else {
    if (s.kind !== undefined || s.question !== undefined || s.followUp !== undefined)
      return {
        at: ['questions'],
        message: 'cannot go with kind, question or followUp (a survey is one question or a list of them)',
      }
    const ids = qs.map((q) => q.id)
    const target = (to: string, i: number) =>
      to === END || ids.indexOf(to) > i
        ? null
        : ids.includes(to)
          ? `must name a later question or '${END}' ('${to}' comes before: the survey would loop)`
          : `names no question of this survey ('${to}'); use a question id or '${END}'`
    for (const [i, q] of qs.entries()) {
      const choices = q.type === 'single' || q.type === 'multi'
      if (choices && !q.options)
        return { at: ['questions', i, 'options'], message: 'is missing (a choice question lists its options)' }
      if (!choices && (q.options || q.other !== undefined))
        return { at: ['questions', i, q.options ? 'options' : 'other'], message: 'is for choice questions only' }
      if (q.options?.some((o) => o.id === 'other'))
        return { at: ['questions', i, 'options'], message: "uses the id 'other', which names the Other option" }
      if ((q.low !== undefined || q.high !== undefined) && q.type !== 'nps' && q.type !== 'csat')
        return {
          at: ['questions', i, q.low !== undefined ? 'low' : 'high'],
          message: 'is for nps and csat questions only',
        }
      for (const [j, b] of (q.branch ?? []).entries()) {
        const t = testProblem(q, b)
        if (t) return { at: ['questions', i, 'branch', j, ...t.at], message: t.message }
        const m = target(b.to, i)
        if (m) return { at: ['questions', i, 'branch', j, 'to'], message: m }
      }
      const m = q.next === undefined ? null : target(q.next, i)
      if (m) return { at: ['questions', i, 'next'], message: m }
    }
  }
  const all = questionsOf(s as SurveyConfig) as QuestionIn[]
  for (const [j, n] of (s.negative ?? []).entries()) {
    const q = all.find((x) => x.id === n.q)
    if (!q) return { at: ['negative', j, 'q'], message: `names no question of this survey ('${n.q}')` }
    const t = testProblem(q, n)
    if (t) return { at: ['negative', j, ...t.at], message: t.message }
  }
  return null
}

/** Every text of a survey a visitor may read, with where it is. */
function textsOf(s: SurveyConfig): [Key[], Text][] {
  const out: [Key[], Text][] = []
  const add = (at: Key[], t: Text | undefined) => t !== undefined && out.push([at, t])
  add(['question'], s.question)
  add(['followUp'], s.followUp)
  s.questions?.forEach((q, i) => {
    add(['questions', i, 'text'], q.text)
    add(['questions', i, 'low'], q.low)
    add(['questions', i, 'high'], q.high)
    q.options?.forEach((o, j) => add(['questions', i, 'options', j, 'text'], o.text))
  })
  add(['thanks', 'text'], s.thanks?.text)
  add(['thanks', 'link', 'text'], s.thanks?.link?.text)
  for (const [k, t] of Object.entries(s.labels ?? {})) add(['labels', k], t)
  return out
}

/** A valibot issue path to `keys` inside `input` (for checks across fields, reported on the field). */
function pathTo(input: unknown, keys: Key[]): [v.IssuePathItem, ...v.IssuePathItem[]] {
  let at = input as Record<Key, unknown> | undefined
  return keys.map((key) => {
    const value = at?.[key]
    const item = { type: 'object', origin: 'value', input: at, key, value } as unknown as v.IssuePathItem
    at = value as Record<Key, unknown> | undefined
    return item
  }) as [v.IssuePathItem, ...v.IssuePathItem[]]
}

const Survey = v.pipe(
  v.strictObject(
    {
      id: Key,
      kind: v.optional(v.picklist(['nps', 'csat', 'text'], 'must be nps, csat or text')),
      question: v.optional(Text(300)),
      followUp: v.optional(Text(300)),
      questions: v.optional(v.pipe(listOf(Question, 20), v.minLength(1, 'must list at least one question'))),
      thanks: v.optional(
        v.strictObject(
          {
            text: v.optional(Text(300)),
            link: v.optional(
              v.strictObject({ url: WebUrl, text: Text(100) }, 'must be an object with a url and a text'),
            ),
          },
          'may hold text and link',
        ),
      ),
      trigger: v.optional(Trigger),
      on: v.optional(bool),
      audience: v.optional(
        v.strictObject(
          {
            paths: v.optional(v.pipe(v.array(PathPrefix, 'must be a list of URL paths'), v.maxLength(50))),
            minSessions: v.optional(int(1, 100_000)),
            maxSessions: v.optional(int(1, 100_000)),
            segment: v.optional(RuleOrSegment),
          },
          'may hold paths, minSessions, maxSessions and segment',
        ),
      ),
      sample: v.optional(
        v.pipe(
          v.number('must be a number from 0 to 1'),
          v.minValue(0, 'must be a number from 0 to 1'),
          v.maxValue(1, 'must be a number from 0 to 1'),
        ),
      ),
      recontactDays: v.optional(int(1, 3650)),
      negative: v.optional(v.pipe(v.array(Negative, 'must be an array'), v.maxLength(20, 'may hold at most 20 items'))),
      labels: v.optional(
        v.strictObject(
          {
            low: v.optional(Text(60)),
            high: v.optional(Text(60)),
            send: v.optional(Text(60)),
            close: v.optional(Text(60)),
            thanks: v.optional(Text(60)),
            next: v.optional(Text(60)),
            other: v.optional(Text(60)),
          },
          'may hold low, high, send, close, thanks, next and other',
        ),
      ),
    },
    'must be an object',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    const problem = surveyProblem(dataset.value)
    if (problem) addIssue({ message: problem.message, path: pathTo(dataset.value, problem.at) })
  }),
)

/** The public config, served to pages by `GET /v1/config`. */
export const SiteConfigSchema = v.pipe(
  v.strictObject(
    {
      consent: v.optional(v.picklist(['opt-out', 'opt-in', 'cookieless'], 'must be opt-out, opt-in or cookieless')),
      gpc: v.optional(bool),
      dnt: v.optional(bool),
      capture: v.optional(Capture),
      outboxMax: v.optional(int(3, 100_000)),
      funnels: v.optional(listOf(Funnel, 50)),
      segments: v.optional(listOf(Segment, 100)),
      slots: v.optional(listOf(Slot, 50)),
      surveys: v.optional(listOf(Survey, 50)),
      language: v.optional(Lang),
    },
    'must be an object',
  ),
  // A text given by language must have the site's default language: the fallback of every visitor.
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    const lang = dataset.value.language ?? 'en'
    for (const [i, s] of (dataset.value.surveys ?? []).entries())
      for (const [at, t] of textsOf(s))
        if (typeof t === 'object' && !(lang in t))
          return addIssue({
            message: `has no '${lang}' text (the site's default language, config.language)`,
            path: pathTo(dataset.value, ['surveys', i, ...at]),
          })
  }),
  v.check((c) => JSON.stringify(c).length <= 64 * 1024, 'is larger than 64 KB'),
  // Rules are checked against the site's own segments and funnels: a bad one is named.
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    const p = rulesProblem(dataset.value)
    if (p) addIssue({ message: p.message, path: pathTo(dataset.value, p.at) })
  }),
)

/** The first rule of the config that names a segment or funnel the site does not have, or a circle of segments. */
function rulesProblem(c: SiteConfig): RuleProblem | null {
  const segments = c.segments ?? []
  const known = new Set(segments.map((s) => s.id))
  const funnels = new Set((c.funnels ?? []).map((f) => f.id))
  const rules: [Key[], unknown][] = segments.map((s, i) => [['segments', i, 'rule'], s.rule])
  for (const [i, s] of (c.surveys ?? []).entries())
    if (s.audience?.segment !== undefined) rules.push([['surveys', i, 'audience', 'segment'], s.audience.segment])
  for (const [i, slot] of (c.slots ?? []).entries()) {
    for (const [j, r] of (slot.rules ?? []).entries()) rules.push([['slots', i, 'rules', j, 'when'], r.when])
    if (slot.experiment?.audience !== undefined)
      rules.push([['slots', i, 'experiment', 'audience'], slot.experiment.audience])
  }
  for (const [at, rule] of rules) {
    const p = refsProblem(rule, known, funnels)
    if (p) return { at: [...at, ...p.at], message: p.message }
  }
  const circle = circleProblem(segments)
  return circle && { at: ['segments', ...circle.at], message: circle.message }
}

/**
 * What pages get of the config: no segments, no slot rules or experiments (the worker decides;
 * a page gets only what decides a first visit from its landing page, folded: landing.ts), no
 * survey switched off (`on: false`: a page cannot show it, even by asking for it).
 */
export function publicConfig(c: SiteConfig): SiteConfig {
  const off = c.surveys?.some((s) => s.on === false)
  if (!c.segments && !c.slots && !off) return c
  const { segments: _, ...rest } = c
  if (off) rest.surveys = c.surveys!.filter((s) => s.on !== false)
  if (!c.slots) return rest
  // Each slot's id, and how a first visit decides it in the page (no rule travels but the landing's).
  const first = firstVisitRules(c)
  return { ...rest, slots: c.slots.map((s, i) => ({ id: s.id, first: first[i] })) }
}

/** Private settings: never served to pages. */
export const SettingsSchema = v.strictObject(
  {
    /** Days raw events are kept (rollups stay); default 90. */
    retentionDays: v.optional(int(1, 3650)),
    /** Events a day the site may store; beyond it ingest answers 429 until midnight UTC. */
    eventsPerDay: v.optional(int(1, 1_000_000_000)),
    /** `ciel('identify', id, traits, hash)` links a visitor only with a valid HMAC of the id. */
    verifyIdentity: v.optional(bool),
    /**
     * Where negative survey answers are sent at once (POST, signed with the site's webhook
     * secret): `format` `json` (default) or `slack` (a Slack incoming webhook's `{text}`, the JSON
     * beside it). https, to a public host: validateSite checks the address (webhook-target.ts).
     */
    alerts: v.optional(
      v.strictObject(
        {
          url: WebUrl,
          format: v.optional(v.picklist(['json', 'slack'], 'must be json or slack')),
        },
        'must be an object with a url',
      ),
    ),
    /** How insights name pages: `/projects/123` → `/projects/:id`, and the site's own patterns. */
    paths: v.optional(
      v.strictObject(
        {
          patterns: v.optional(
            v.pipe(
              v.array(
                v.pipe(
                  v.string('must be a path pattern like /projects/:id or /docs/*'),
                  v.regex(
                    /^\/[^\s?#*]{0,199}(\*)?$/,
                    'must be a path pattern like /projects/:id or /docs/* (a * only at the end)',
                  ),
                ),
                'must be a list of path patterns',
              ),
              v.maxLength(100, 'may hold at most 100 patterns'),
            ),
          ),
          ids: v.optional(bool),
        },
        'must be an object with patterns and ids',
      ),
    ),
  },
  'must be an object',
)

export const SiteInputSchema = v.strictObject(
  {
    name: v.optional(text(200)),
    origins: v.optional(
      v.pipe(v.array(Origin, 'must be an array of origins'), v.maxLength(50, 'may hold at most 50 origins')),
    ),
    config: v.optional(SiteConfigSchema),
    settings: v.optional(SettingsSchema),
    // Read-only fields of GET /v1/admin/sites/:key, accepted so a read can be written back.
    key: v.optional(v.string()),
    updatedAt: v.optional(v.number()),
    version: v.optional(v.number()),
  },
  'body must be a JSON object',
)

export type Settings = v.InferOutput<typeof SettingsSchema>

export const DEFAULT_SETTINGS = {
  retentionDays: 90,
  eventsPerDay: 10_000_000,
  verifyIdentity: false,
  paths: {} as { patterns?: string[]; ids?: boolean },
}

export interface SiteInput {
  key: string
  name: string
  origins: string[]
  config: SiteConfig
  settings: Settings
}

// The schema's output is the wire type the snippet reads: a compile error here means they drifted.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const _configIsWire: Same<v.InferOutput<typeof SiteConfigSchema>, SiteConfig> = true
void _configIsWire

/**
 * A site definition as given to `PUT /v1/admin/sites/:key` or in demo-site/sites.json: the
 * schema, then `completeSite`. `webhookHosts`: the hosts a webhook may point at although not
 * public (development only).
 */
export function validateSite(key: string, body: unknown, webhookHosts: readonly string[] = []): Result<SiteInput> {
  const r = v.safeParse(SiteInputSchema, body)
  if (!r.success) return { ok: false, ...siteProblem(r.issues) }
  return completeSite(key, r.output, webhookHosts)
}

/** Where rules sit in a config, inside an item of a list (after `config.`). */
const IN_RULE =
  /^(segments\.\d+\.rule|surveys\.\d+\.audience\.segment|slots\.\d+\.(rules\.\d+\.when|experiment\.audience))(\.|$)/

/**
 * What SiteInputSchema says is wrong with a site. A rule can be long and nested: a problem
 * inside one names the segment, slot or survey by its id too (`config slots[0] 'hero':
 * rules[1].when names the unknown segment 'vip'`); `path` is the field's all the same.
 */
export function siteProblem(issues: readonly v.BaseIssue<unknown>[]): Problem {
  const issue = issues[0]!
  const keys = (issue.path ?? []).map((p) => p.key as Key)
  if (keys[0] !== 'config' || !IN_RULE.test(keys.slice(1).join('.'))) return problemOf(issues)
  const [, list, i, ...rest] = keys
  const id = (issue.path![2]!.value as { id?: unknown } | undefined)?.id
  const item = typeof id === 'string' ? `${String(list)}[${i}] '${id}'` : `${String(list)}[${i}]`
  return { error: `config ${item}: ${keysPath(rest)} ${messageOf(issue)}`, path: pathOf(issue.path) }
}

/** A site checked by SiteInputSchema, under `key`, with what the schema cannot check (the key, the webhook's host) and its defaults. */
export function completeSite(
  key: string,
  site: v.InferOutput<typeof SiteInputSchema>,
  webhookHosts: readonly string[] = [],
): Result<SiteInput> {
  if (!ID.test(key))
    return { ok: false, error: "site key may only contain letters, digits, '-' and '_' (1-64)", path: 'key' }
  const { name, origins, config, settings } = site
  const hook = settings?.alerts && webhookTargetProblem(settings.alerts.url, webhookHosts)
  if (hook) return { ok: false, error: `settings.alerts.url ${hook}`, path: 'settings.alerts.url' }
  return {
    ok: true,
    value: {
      key,
      name: name ?? key,
      origins: [...new Set(origins ?? [])],
      config: config ?? {},
      settings: settings ?? {},
    },
  }
}
