/**
 * @module store/insights/paged-visitors: a page of the visitors behind a number, and how many
 * it counts, both from one query text, so the list read from the rows a number is counted from
 * is that number (its `total`). Run in one batch, so the page and the total see the same rows.
 */

/** A page of a number's visitors. */
export interface VisitorsPage {
  /** The page's visitor ids, in order. */
  ids: string[]
  /** How many visitors the number counts. */
  total: number
  /**
   * What those visitors did that the number counts when it counts something else (sessions,
   * pageviews, events): its sum over all of them (undefined: the number counts visitors).
   */
  measure?: number
}

/**
 * `counted` is `WITH …, counted AS (…)`: one row per visitor, in a column `visitor`, read with
 * `args` (the site is ?1; the page's limit and offset are numbered after the last of them). The
 * most recently seen first, or, given `latest` (a column of counted), the latest by it first.
 * `measured`: counted has a column `m`, each visitor's share of what the number counts (its sum
 * is the page's `measure`).
 */
export async function pagedVisitors(
  db: D1Database,
  counted: string,
  args: unknown[],
  page: { limit: number; offset: number },
  latest?: string,
  measured = false,
): Promise<VisitorsPage> {
  const n = args.length
  const order = latest
    ? `FROM counted c ORDER BY c.${latest} DESC, c.visitor`
    : `FROM counted c LEFT JOIN visitors v ON v.site = ?1 AND v.id = c.visitor ORDER BY v.last_seen DESC, c.visitor`
  const [list, count] = await db.batch([
    db
      .prepare(`${counted} SELECT c.visitor AS id ${order} LIMIT ?${n + 1} OFFSET ?${n + 2}`)
      .bind(...args, page.limit, page.offset),
    db
      .prepare(`${counted} SELECT count(*) AS n${measured ? ', coalesce(sum(m), 0) AS m' : ''} FROM counted`)
      .bind(...args),
  ])
  const counts = count!.results[0] as { n: number; m?: number } | undefined
  return {
    ids: (list!.results as { id: string }[]).map((r) => r.id),
    total: counts?.n ?? 0,
    ...(measured && { measure: counts?.m ?? 0 }),
  }
}
