/**
 * Erasure reaches every table that can hold a visitor: the registry it walks
 * (store/personal-data.ts) names each table of D1 and of the visitor shard that has a visitor or
 * user column, so a migration adding one fails here until erasure knows what to do with it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { env, runInDurableObject } from 'cloudflare:test'
import { PERSONAL_DATA, type Holding } from '../../edge/store/personal-data'

/** Column names that say they hold a visitor or user id. */
const PERSONAL = /(^|_)(visitor|user)(_id)?$|^alias$/
type Schema = { table: string; columns: string[] }[]

/** Tables with a visitor or user column that the registry does not name with that column, as `table.column`. */
function unnamed(schema: Schema, store: Holding['store']): string[] {
  return schema.flatMap(({ table, columns }) => {
    const h = PERSONAL_DATA.find((x) => x.store === store && x.name === table)
    return columns
      .filter((c) => PERSONAL.test(c) && !h?.visitor.includes(c) && !h?.user?.includes(c))
      .map((c) => `${table}.${c}`)
  })
}
/** Holdings the schema does not have (a table renamed or dropped), as `table.column`. */
const stale = (schema: Schema, store: Holding['store']) =>
  PERSONAL_DATA.filter((h) => h.store === store).flatMap((h) => {
    const t = schema.find((x) => x.table === h.name)
    if (!t) return [h.name]
    return [...h.visitor, ...(h.user ?? [])].filter((c) => !t.columns.includes(c)).map((c) => `${h.name}.${c}`)
  })

const TABLES =
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'"

async function d1Schema(): Promise<Schema> {
  const { results } = await env.DB.prepare(TABLES).all<{ name: string }>()
  return Promise.all(
    results.map(async ({ name }) => {
      const cols = await env.DB.prepare('SELECT name FROM pragma_table_info(?)').bind(name).all<{ name: string }>()
      return { table: name, columns: cols.results.map((c) => c.name) }
    }),
  )
}

async function shardSchema(): Promise<Schema> {
  // The shard makes its tables when it starts.
  return runInDurableObject(env.VISITORS.getByName('acme:0'), (_, state) => {
    const tables = state.storage.sql.exec<{ name: string }>(TABLES).toArray()
    return tables.map(({ name }) => ({
      table: name,
      columns: state.storage.sql
        .exec<{ name: string }>('SELECT name FROM pragma_table_info(?)', name)
        .toArray()
        .map((c) => c.name),
    }))
  })
}

describe('what erasure reaches', () => {
  afterEach(async () => {
    await env.DB.prepare('DROP TABLE IF EXISTS notes').run()
  })

  it('names every D1 table with a visitor or user column, and nothing the schema lacks', async () => {
    const schema = await d1Schema()
    expect(schema.map((t) => t.table)).toContain('alerts')
    expect(unnamed(schema, 'd1')).toEqual([])
    expect(stale(schema, 'd1')).toEqual([])
    // A migration adding such a table is caught.
    await env.DB.prepare('CREATE TABLE notes (site TEXT, author_user_id TEXT, visitor TEXT, text TEXT)').run()
    expect(unnamed(await d1Schema(), 'd1')).toEqual(['notes.author_user_id', 'notes.visitor'])
  })

  it("names every table of a visitor shard's storage", async () => {
    const schema = await shardSchema()
    expect(schema.map((t) => t.table)).toContain('profiles')
    expect(unnamed(schema, 'shard')).toEqual([])
    expect(stale(schema, 'shard')).toEqual([])
  })
})
