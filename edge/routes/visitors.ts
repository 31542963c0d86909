/**
 * @module routes/visitors: one visitor, for the site's team.
 *   GET    /v1/visitors/:id?site=KEY          who they are, their profile, their newest events (read)
 *   DELETE /v1/visitors/:id?site=KEY          erase one visitor (erase)
 *   DELETE /v1/visitors?site=KEY&user=USER_ID erase every visitor ever identified as that user
 *
 * Erasure writes tombstones first (nothing of theirs is stored again, replays included), wipes
 * their Durable Objects, then deletes their events a page at a time: the answer says how many
 * remain, and the caller repeats the request until `remaining` is 0.
 */
import { Hono, type Context } from 'hono'
import type { App } from '../env'
import * as v from 'valibot'
import { queryOf, refuse, textParam } from '../http'
import { countEvents, getVisitor, listEvents } from '../store/visitors'
import { erasePage, tombstone, visitorsOfUser, withLinked } from '../store/erasure'
import { topInterests } from '../domain/visitors'
import { segmentsOf } from '../domain/segments'
import { allow } from '../middleware/auth'
import { namedSite } from '../middleware/site'
import { shardOf, shardsOf } from '../state/visitors'

async function erase(c: Context<App>, ids: string[]) {
  const site = c.get('site').key
  const all = await withLinked(c.env.DB, site, ids)
  const now = Date.now()
  const fresh = await tombstone(c.env.DB, site, all, now)
  // Their state in the visitor shards goes too, unsent batches included; a tombstone stays, so
  // a replayed batch is acknowledged and dropped.
  const shards = shardsOf(c.env, site)
  const byShard = new Map<number, string[]>()
  for (const v of fresh) byShard.set(shardOf(v), [...(byShard.get(shardOf(v)) ?? []), v])
  const unsent = await Promise.all([...byShard].map(([i, vs]) => shards[i]!.erase(vs, now)))
  const page = await erasePage(c.env.DB, site, all)
  return { ...page, erased: page.erased + unsent.reduce((a, b) => a + b, 0) }
}

const Query = v.object({ site: textParam('site'), user: textParam('user') })

export const visitors = new Hono<App>()
  .get('/:id', queryOf(Query), namedSite(), allow('read'), async (c) => {
    const { key: site, config } = c.get('site')
    const v = await getVisitor(c.env.DB, site, c.req.param('id'))
    if (!v) refuse(404, `no visitor '${c.req.param('id')}' on site '${site}'`)
    const filter = { visitor: v.id }
    const [events, total] = await Promise.all([
      listEvents(c.env.DB, site, { ...filter, limit: 100 }),
      countEvents(c.env.DB, site, filter),
    ])
    const { interests, profile, ...rest } = v
    const now = Date.now()
    // Which of the site's segments the visitor is in now (rules over the profile).
    const segments = profile ? segmentsOf(config.segments, profile, now) : []
    return c.json({ ...rest, interests: topInterests(interests, now, 20), profile, segments, total, events })
  })
  .delete('/:id', queryOf(Query), namedSite(), allow('erase'), async (c) => {
    const page = await erase(c, [c.req.param('id')])
    return c.json(page)
  })
  .delete('/', queryOf(Query), namedSite(), allow('erase'), async (c) => {
    const user = c.req.valid('query').user
    if (!user) refuse(400, 'say whom to erase: DELETE /v1/visitors/VISITOR_ID or ?user=USER_ID', { path: 'user' })
    const ids = await visitorsOfUser(c.env.DB, c.get('site').key, user)
    const page = await erase(c, ids)
    return c.json({ user, ...page })
  })
