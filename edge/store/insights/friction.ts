/**
 * @module store/insights/friction: where visitors rage-click, dead-click and hit errors on click,
 * and the forms they leave, from raw events (bots left out): drill-downs no rollup holds.
 */
import { HUMAN, type Clause } from '../filters'

/** No filter: everyone. */
export const EVERYONE: Clause = { sql: '', args: [] }

export interface Hotspot {
  type: string
  page: string
  path: string | null
  text: string | null
  events: number
  visitors: number
}

export interface AbandonedForm {
  page: string
  form: string | null
  lastField: string | null
  visitors: number
}

/** Where visitors rage-click, dead-click and hit errors on click: the worst spots first. */
export async function frictionHotspots(
  db: D1Database,
  site: string,
  from: number,
  limit = 50,
  f = EVERYONE,
): Promise<Hotspot[]> {
  const { results } = await db
    .prepare(
      `SELECT type, url AS page, json_extract(props, '$.path') AS path, json_extract(props, '$.text') AS text,
              count(*) AS events, count(DISTINCT visitor) AS visitors
       FROM events WHERE site = ? AND type IN ('rage_click', 'dead_click', 'error_click') AND ts >= ? AND ${HUMAN()}${f.sql}
       GROUP BY type, page, path ORDER BY visitors DESC, events DESC LIMIT ?`,
    )
    .bind(site, from, ...f.args, limit)
    .all<Hotspot>()
  return results
}

/**
 * Forms left unsubmitted, by form and the field visitors stopped at. A form the snippet reported
 * when the tab was hidden, and that the visitor submitted on coming back (`form_submit`, same
 * page and form), was not abandoned: it is left out.
 */
export async function abandonedForms(
  db: D1Database,
  site: string,
  from: number,
  limit = 20,
  f = EVERYONE,
): Promise<AbandonedForm[]> {
  const { results } = await db
    .prepare(
      `SELECT url AS page, json_extract(props, '$.form') AS form, json_extract(props, '$.last') AS lastField,
              count(DISTINCT visitor) AS visitors
       FROM events WHERE site = ? AND type = 'form_abandon' AND ts >= ? AND ${HUMAN()}${f.sql}
         AND NOT EXISTS (SELECT 1 FROM events s INDEXED BY events_by_visitor
           WHERE s.site = events.site AND s.visitor = events.visitor AND s.ts >= events.ts
             AND s.type = 'form_submit' AND s.url = events.url
             AND json_extract(s.props, '$.form') IS json_extract(events.props, '$.form'))
       GROUP BY page, form, lastField ORDER BY visitors DESC LIMIT ?`,
    )
    .bind(site, from, ...f.args, limit)
    .all<AbandonedForm>()
  return results
}
