/**
 * @module store/batch: statements run together in one D1 round trip (`db.batch`), each with its
 * own row type. D1's `batch<T>` gives every result one type; a query here carries its own.
 */

/** A prepared statement and the type of the rows it answers. */
export interface Query<Row> {
  readonly statement: D1PreparedStatement
  /** Never set: the row type, for inference. */
  readonly row?: Row
}

/** The statement `sql` with `args` bound, whose rows are `Row`s. */
export const query = <Row>(db: D1Database, sql: string, ...args: unknown[]): Query<Row> => ({
  statement: db.prepare(sql).bind(...args),
})

type RowsOf<Qs extends readonly Query<unknown>[]> = { [K in keyof Qs]: Qs[K] extends Query<infer Row> ? Row[] : never }

/** Runs the queries in one round trip; answers each one's rows, in order. */
export async function batch<const Qs extends readonly Query<unknown>[]>(
  db: D1Database,
  queries: Qs,
): Promise<RowsOf<Qs>> {
  const results = await db.batch(queries.map((q) => q.statement))
  return results.map((r) => r.results) as RowsOf<Qs>
}
