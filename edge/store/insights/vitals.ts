/**
 * @module store/insights/vitals: recent web vitals values from raw events (bots left out), the
 * newest 2,000 per metric at most: no rollup holds them.
 */
import { HUMAN } from '../filters'
import { EVERYONE } from './friction'

export async function vitalValues(db: D1Database, site: string, from: number, f = EVERYONE) {
  const { results } = await db
    .prepare(
      `SELECT name, json_extract(props, '$.value') AS value FROM events
       WHERE site = ? AND type = 'vitals' AND ts >= ? AND ${HUMAN()}${f.sql} ORDER BY ts DESC LIMIT 10000`,
    )
    .bind(site, from, ...f.args)
    .all<{ name: string; value: unknown }>()
  const by: { [metric: string]: number[] } = {}
  for (const r of results)
    if (typeof r.value === 'number') (by[r.name] ??= []).length < 2000 && by[r.name]!.push(r.value)
  return by
}
