/**
 * @module saved-views: what a saved view is (`POST /v1/admin/sites/:key/views`). Pure. A view is
 * a name the team reads and the dashboard's URL state without its site (the view is the site's):
 * section, period, segment, the segment compared, journey, hotspot, the visitors behind a number,
 * the funnel asked, and the breakdown and retention asked (dashboard/url.ts). It keeps no visitor: the visitor open
 * and the user searched for are personal data, which an erasure must not leave behind in a view.
 */
import * as v from 'valibot'
import { DEVICES, HOST, VISITOR_KINDS } from './filters'
import { dimensionOf, eventOf } from './breakdown'

/** The periods and retention windows the dashboard offers (url.ts): a view it could not show is refused. */
export const VIEW_DAYS = [1, 7, 30, 90] as const
export const VIEW_WEEKS = [4, 8, 12, 26] as const
/** Saved views a site may keep. */
export const MAX_VIEWS = 200

const text = (max: number) => v.pipe(v.string('must be a string'), v.maxLength(max, `is longer than ${max} characters`))
const oneOf = (list: readonly number[]) =>
  v.pipe(
    v.number(`must be ${list.slice(0, -1).join(', ')} or ${list.at(-1)}`),
    v.check((n) => list.includes(n), `must be ${list.slice(0, -1).join(', ')} or ${list.at(-1)}`),
  )

const Segment = v.strictObject(
  {
    referrer: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.toLowerCase(),
        v.regex(HOST, 'must be a host name (like google.com) or direct'),
      ),
    ),
    device: v.optional(v.picklist(DEVICES, 'must be mobile, tablet or desktop')),
    visitor: v.optional(v.picklist(VISITOR_KINDS, 'must be new or returning')),
    segment: v.optional(v.pipe(v.string('must be a string'), v.regex(/^[\w-]{1,64}$/, 'must be a segment id'))),
  },
  'must be an object of referrer, device, visitor and segment',
)

const EVENT = 'must be an event type (pageview, click…) or track:NAME'

/** The dashboard's state (url.ts's View without the site, the visitor open and the user searched for). */
export const ViewState = v.strictObject(
  {
    view: v.optional(v.picklist(['insights', 'settings'], 'must be insights or settings')),
    days: v.optional(oneOf(VIEW_DAYS)),
    segment: v.optional(Segment),
    /** The segment compared in funnels (null: none; {}: everyone). */
    vs: v.optional(v.nullable(Segment)),
    from: v.optional(text(2048)),
    goal: v.optional(text(200)),
    spot: v.optional(text(4096)),
    who: v.optional(text(4096)),
    /** The ad hoc funnel asked, in `GET /v1/insights/funnels`'s own `steps=` and `window=` ('': none). */
    steps: v.optional(text(4096)),
    window: v.optional(v.pipe(text(4), v.regex(/^\d*$/, 'must be a number of days'))),
    breakdown: v.optional(
      v.strictObject(
        {
          event: v.pipe(
            v.string(EVENT),
            v.check((s) => eventOf(s) !== undefined, EVENT),
          ),
          by: v.pipe(
            v.string('must be a string'),
            v.check(
              (s) => dimensionOf(s) !== undefined,
              'must be page, source, device, country, language, segment or prop:NAME',
            ),
          ),
          top: v.pipe(
            v.number('must be a whole number from 1 to 50'),
            v.integer('must be a whole number from 1 to 50'),
            v.minValue(1, 'must be a whole number from 1 to 50'),
            v.maxValue(50, 'must be a whole number from 1 to 50'),
          ),
        },
        'must be an object {event, by, top}',
      ),
    ),
    retention: v.optional(
      v.strictObject(
        {
          event: v.pipe(
            v.string(EVENT),
            v.check((s) => s === 'any' || eventOf(s) !== undefined, `must be any, or ${EVENT.slice(8)}`),
          ),
          weeks: oneOf(VIEW_WEEKS),
        },
        'must be an object {event, weeks}',
      ),
    ),
  },
  'must be an object (the dashboard’s view)',
)
export type ViewState = v.InferOutput<typeof ViewState>

/** A view to save: its name (1–80 characters, trimmed) and its state. */
export const ViewInput = v.strictObject(
  {
    name: v.pipe(
      v.string('must be a string'),
      v.trim(),
      v.nonEmpty('must not be empty'),
      v.maxLength(80, 'is longer than 80 characters'),
    ),
    state: ViewState,
  },
  'body must be a JSON object {name, state}',
)
