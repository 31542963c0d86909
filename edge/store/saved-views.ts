/**
 * @module store/saved-views: a site's saved views (migration 0015). A save is one statement that
 * writes the whole view or nothing: a name already taken or a site at its limit writes no row.
 */
import type { ViewState } from '../domain/saved-views'
import { json } from './json'

export interface SavedView {
  id: string
  name: string
  state: ViewState
  /** Who saved it: `admin` or `key:<id>`. */
  by: string
  createdAt: number
}

const viewRow = (r: Record<string, any>): SavedView => ({
  id: r.id,
  name: r.name,
  state: json<ViewState>(r.state) ?? {},
  by: r.by,
  createdAt: r.created_at,
})

const newId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('')

/** The site's views, by name. */
export async function listViews(db: D1Database, site: string): Promise<SavedView[]> {
  const { results } = await db
    .prepare('SELECT * FROM saved_views WHERE site = ? ORDER BY name COLLATE NOCASE, created_at')
    .bind(site)
    .all<Record<string, any>>()
  return results.map(viewRow)
}

export async function getView(db: D1Database, site: string, id: string): Promise<SavedView | null> {
  const r = await db
    .prepare('SELECT * FROM saved_views WHERE site = ? AND id = ?')
    .bind(site, id)
    .first<Record<string, any>>()
  return r ? viewRow(r) : null
}

/** Saves a view; or says why not: its name is taken, or the site keeps `max` views already. */
export async function saveView(
  db: D1Database,
  site: string,
  view: { name: string; state: ViewState; by: string },
  now: number,
  max: number,
): Promise<SavedView | 'taken' | 'full'> {
  const id = newId()
  const r = await db
    .prepare(
      `INSERT INTO saved_views (site, id, name, state, by, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE (SELECT count(*) FROM saved_views WHERE site = ?1) < ?7
       ON CONFLICT DO NOTHING`,
    )
    .bind(site, id, view.name, JSON.stringify(view.state), view.by, now, max)
    .run()
  if ((r.meta.changes ?? 0) > 0) return { id, ...view, createdAt: now }
  const taken = await db
    .prepare('SELECT 1 AS taken FROM saved_views WHERE site = ? AND name = ?')
    .bind(site, view.name)
    .first()
  return taken ? 'taken' : 'full'
}

/** Deletes a view of the site; false when the site has no such view. */
export async function deleteView(db: D1Database, site: string, id: string): Promise<boolean> {
  const r = await db.prepare('DELETE FROM saved_views WHERE site = ? AND id = ?').bind(site, id).run()
  return (r.meta.changes ?? 0) > 0
}
