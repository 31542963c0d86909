/**
 * @module store/insights/events: custom events (`track`): names with counts and visitors, and
 * the top 5 values of each prop (at most 20 props) of the top names. Prop values are rolled up by
 * day and device only (roll_props): under a referrer, new/returning or named-segment filter the
 * planner sends them to raw events (slower over long windows).
 */
import { batch, query } from '../batch'
import { filterSql, HUMAN } from '../filters'
import { plan, type RollWindow } from '../planner'
import { whereOf, withRows } from './rows'

export interface TrackRow {
  name: string
  events: number
  visitors: number
}
export interface PropRow {
  name: string
  key: string
  value: string
  events: number
}
export interface CustomEvents {
  names: TrackRow[]
  props: PropRow[]
}

/** The top 5 values per prop and 20 props per name, of rows `values` (name, key, val, events). */
const topValues = (values: string) => `SELECT name, key, value, events FROM (
    SELECT name, key, val AS value, events, row_number() OVER (PARTITION BY name, key ORDER BY events DESC, val) AS r,
      dense_rank() OVER (PARTITION BY name ORDER BY key) AS k
    FROM (${values}))
  WHERE r <= 5 AND k <= 20 ORDER BY name, key, events DESC, value`

export async function customEvents(db: D1Database, site: string, w: RollWindow, limit = 20): Promise<CustomEvents> {
  const p = await plan(db, site, w)
  const where = whereOf(p, 'x')
  // roll_tracks answers every filter.
  const names = query<TrackRow>(
    db,
    `${withRows(p, { tracks: true })} SELECT name, sum(events) AS events, count(DISTINCT visitor) AS visitors
      FROM tracks x WHERE 1${where.sql} GROUP BY name ORDER BY events DESC, name LIMIT ${limit}`,
    site,
    ...where.args,
  )
  const props =
    p.source('props') === 'roll_props'
      ? query<PropRow>(
          db,
          `${withRows(p, { tracks: true, props: true })},
              top_names AS (SELECT name FROM tracks x WHERE 1${where.sql} GROUP BY name
                ORDER BY sum(events) DESC, name LIMIT ${limit}),
              prop_values AS (SELECT name, key, value AS val, sum(events) AS events FROM props x
                WHERE name IN (SELECT name FROM top_names)${where.sql} GROUP BY name, key, value)
            ${topValues('SELECT * FROM prop_values')}`,
          site,
        )
      : rawProps(db, site, w, limit)
  const [nameRows, propRows] = await batch(db, [names, props])
  return { names: nameRows, props: propRows }
}

/** The props of the top custom events from raw events (scalar props only: a nested object is not a value to count). */
function rawProps(db: D1Database, site: string, w: RollWindow, limit: number) {
  const f = filterSql(w.filter, site, w.from, w.to)
  const where = `events.site = ? AND events.type = 'track' AND events.ts >= ? AND events.ts < ? AND ${HUMAN()}${f.sql}`
  const args = [site, w.from, w.to, ...f.args]
  return query<PropRow>(
    db,
    topValues(`SELECT events.name AS name, p.key AS key, count(*) AS events,
            CASE p.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(p.value AS TEXT) END AS val
          FROM events, json_each(events.props) p
          WHERE ${where} AND p.type IN ('text', 'integer', 'real', 'true', 'false')
            AND events.name IN (SELECT events.name FROM events WHERE ${where}
                                GROUP BY events.name ORDER BY count(*) DESC, events.name LIMIT ${limit})
          GROUP BY events.name, p.key, val`),
    ...args,
    ...args,
  )
}
