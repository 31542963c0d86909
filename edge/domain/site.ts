/**
 * @module site: the one schema of a site (valibot): its name, allowed origins, the public
 * config served to pages, and private settings. The admin API validates every save with it
 * (a 400 naming the field), so no stored config can break a page or an endpoint; the same
 * schema prints the JSON Schema editors use (`GET /v1/schema/site`, `npm run schema`). Pure.
 */
import * as v from 'valibot'
import type { SiteConfig } from '../../snippet/core/wire'
import { describe } from './issues'
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

/** An origin is scheme://host[:port], as browsers send it in the Origin header. */
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
)

const Topic = v.pipe(
  v.string('must be a topic'),
  v.regex(/^[\w -]{1,40}$/, 'must be 1-40 letters, digits, spaces, - or _'),
)
const PathPrefix = v.pipe(v.string(), v.regex(/^\/\S{0,499}$/, 'must be a URL path starting with /'))
/** CSS selectors run in visitors' browsers: keep them short and plain. */
const Selector = v.pipe(
  v.string('must be a CSS selector'),
  v.check(
    (s) => s.trim().length > 0 && s.length <= 200 && !/[{}<]/.test(s),
    'must be a CSS selector (at most 200 characters)',
  ),
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

const Slot = v.strictObject(
  {
    id: Key,
    byInterest: v.optional(
      v.record(
        Topic,
        v.pipe(v.string('must name a variant'), v.regex(/^[\w-]{1,64}$/, ID_MSG)),
        'must map topics to variant names',
      ),
    ),
  },
  'must be an object with an id',
)

const Trigger = v.pipe(
  v.strictObject(
    {
      event: v.optional(v.pipe(text(40), v.regex(/^[a-z][a-z0-9_]*$/, 'must be an event type'))),
      name: v.optional(text(200)),
      path: v.optional(PathPrefix),
    },
    'must be an object',
  ),
  v.check(
    (t) => t.event !== undefined || t.name !== undefined || t.path !== undefined,
    'needs an event, a name or a path',
  ),
)

const Survey = v.strictObject(
  {
    id: Key,
    kind: v.picklist(['nps', 'csat', 'text'], 'must be nps, csat or text'),
    question: text(300),
    followUp: v.optional(text(300)),
    trigger: v.optional(Trigger),
    labels: v.optional(
      v.strictObject(
        {
          low: v.optional(text(60)),
          high: v.optional(text(60)),
          send: v.optional(text(60)),
          close: v.optional(text(60)),
          thanks: v.optional(text(60)),
        },
        'may hold low, high, send, close and thanks',
      ),
    ),
  },
  'must be an object',
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
      slots: v.optional(listOf(Slot, 50)),
      surveys: v.optional(listOf(Survey, 50)),
    },
    'must be an object',
  ),
  v.check((c) => JSON.stringify(c).length <= 64 * 1024, 'is larger than 64 KB'),
)

/** Private settings: never served to pages. */
export const SettingsSchema = v.strictObject(
  {
    /** Days raw events are kept (rollups stay); default 90. */
    retentionDays: v.optional(int(1, 3650)),
    /** Events a day the site may store; beyond it ingest answers 429 until midnight UTC. */
    eventsPerDay: v.optional(int(1, 1_000_000_000)),
    /** `ciel('identify', id, traits, hash)` links a visitor only with a valid HMAC of the id. */
    verifyIdentity: v.optional(bool),
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

/** A site definition as given to `PUT /v1/admin/sites/:key` or in demo-site/sites.json. */
export function validateSite(key: string, body: unknown): Result<SiteInput> {
  if (!ID.test(key)) return { ok: false, error: "site key may only contain letters, digits, '-' and '_' (1-64)" }
  const r = v.safeParse(SiteInputSchema, body)
  if (!r.success) return { ok: false, error: describe(r.issues) }
  const { name, origins, config, settings } = r.output
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
