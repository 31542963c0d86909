/**
 * @module store/insights/friction: where visitors rage-click, dead-click and hit errors on click,
 * and the forms they leave, from raw events (bots left out): drill-downs no rollup holds.
 */
import { evidenceOf, line, summarise, type Did, type Evidence } from '../../domain/hotspots'
import { normalisePath, renames, type PathRules } from '../../domain/paths'
import { elementSql, HUMAN, pathSql, type Clause } from '../filters'
import { renamedCte } from '../named'

/** No filter: everyone. */
export const EVERYONE: Clause = { sql: '', args: [] }

/** The signals a hotspot counts. */
const CLICKS = `type IN ('rage_click', 'dead_click', 'error_click')`

/** One element of one page where visitors met friction: its counts, and what its clicks did. */
export interface Hotspot {
  /** The page as the site's path rules name it (no query, no fragment). */
  page: string
  /** The element's identity (store/filters.ts, elementSql): the same whatever selector named it. */
  element: string
  /** Its short path and text, as its latest click saw them. */
  path: string | null
  text: string | null
  rage: number
  dead: number
  error: number
  events: number
  visitors: number
  /** What its clicks did (median episode), and the same in one line (domain/hotspots.ts). */
  did: Did | null
  line: string | null
}

export interface AbandonedForm {
  page: string
  form: string | null
  lastField: string | null
  visitors: number
}

/** The raw paths (no query, no fragment) of the period's rage, dead and error clicks. */
async function clickPaths(db: D1Database, site: string, from: number, f: Clause): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT ${pathSql('url')} AS path FROM events
       WHERE site = ? AND ${CLICKS} AND ts >= ? AND ${HUMAN()}${f.sql}`,
    )
    .bind(site, from, ...f.args)
    .all<{ path: string }>()
  return results.map((r) => r.path)
}

/** The page of the events row's URL: renamed by the CTE `renamed`, else its path. */
const PAGE = `coalesce((SELECT page FROM renamed WHERE raw = ${pathSql('url')}), ${pathSql('url')})`

/**
 * Where visitors rage-click, dead-click and hit errors on click, one row per element of a page
 * (however many URLs, UTM tags and selectors it was reached by): the worst spots first.
 */
export async function frictionHotspots(
  db: D1Database,
  site: string,
  from: number,
  limit = 50,
  f = EVERYONE,
  rules: PathRules = {},
): Promise<Hotspot[]> {
  // [raw path, page] for the raw paths the rules rename (few: the others are their own page).
  const names = renames(await clickPaths(db, site, from, f), rules)
  const evidence = (type: string) =>
    `json_group_array(json_array(props ->> '$.clicks', props ->> '$.ms', props ->> '$.quiet', props ->> '$.moved'))
       FILTER (WHERE type = '${type}' AND props ->> '$.ms' IS NOT NULL)`
  const { results } = await db
    .prepare(
      `WITH ${renamedCte(1)}
       SELECT page, element, sum(type = 'rage_click') AS rage, sum(type = 'dead_click') AS dead,
              sum(type = 'error_click') AS error, count(*) AS events, count(DISTINCT visitor) AS visitors,
              max(ts) AS last, props ->> '$.path' AS path, props ->> '$.text' AS text,
              ${evidence('dead_click')} AS deadDid, ${evidence('rage_click')} AS rageDid
       FROM (SELECT visitor, type, ts, props, ${PAGE} AS page, ${elementSql()} AS element FROM events
             WHERE site = ?2 AND ${CLICKS} AND ts >= ?3 AND ${HUMAN()}${f.sql})
       GROUP BY page, element ORDER BY visitors DESC, events DESC, last DESC LIMIT ?${4 + f.args.length}`,
    )
    .bind(JSON.stringify(names), site, from, ...f.args, limit)
    .all<Omit<Hotspot, 'did' | 'line'> & { last: number; deadDid: string; rageDid: string }>()
  return results.map(({ last: _, deadDid, rageDid, ...h }) => {
    const did = summarise(records(deadDid), records(rageDid))
    return { ...h, did, line: line(did) }
  })
}

/** The evidence records of a json_group_array of [clicks, ms, quiet, moved]. */
const records = (rows: string): Evidence[] =>
  (JSON.parse(rows) as unknown[][]).flatMap(([clicks, ms, quiet, moved]) => {
    const e = evidenceOf({ clicks, ms, quiet, moved })
    return e ? [e] : []
  })

/**
 * The condition that an events row (alias `e`) is a rage, dead or error click on `element` of
 * `page` (as `rules` name pages): the visitors behind a hotspot. With its arguments.
 */
export async function hotspotClause(
  db: D1Database,
  site: string,
  from: number,
  hotspot: { page: string; element: string },
  rules: PathRules = {},
): Promise<Clause> {
  const raw = (await clickPaths(db, site, from, EVERYONE)).filter((p) => normalisePath(p, rules) === hotspot.page)
  return {
    sql: ` AND e.${CLICKS} AND ${pathSql('e.url')} IN (SELECT value FROM json_each(?)) AND ${elementSql('e.props')} = ?`,
    args: [JSON.stringify(raw), hotspot.element],
  }
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
