/**
 * @module dashboard/table: every table of the dashboard. A caption ending in its "Download CSV"
 * button (csv.ts), a header row, one row per item whose first cell names the row, and, for an
 * empty list, a sentence instead of an empty table.
 */
import type { ComponentChildren } from 'preact'
import { DownloadCsv } from './csv'

export interface Column<R> {
  /** The column's header (a table whose columns have none has no header row). */
  head?: ComponentChildren
  cell(row: R, index: number): ComponentChildren
  /** A cell of sentences (a list of what happened next) wraps between its words, so the columns after it stay in sight. */
  wrap?: boolean
}

export interface TableProps<R> {
  caption: ComponentChildren
  /** The CSV file's name (default: made from the caption's first words); false: no download. */
  csv?: string | false
  columns: Column<R>[]
  rows: readonly R[]
  rowKey(row: R, index: number): string | number
  /** The first cell of each row heads the row (`<th scope="row">`); default true. */
  rowHeads?: boolean
  /** A row's class and data attributes. */
  rowProps?(row: R): { class?: string; [data: `data-${string}`]: string }
  /** Rows after the items (a baseline to compare them with). */
  after?: ComponentChildren
  /** Said, after the caption, instead of a table without rows (none: the table shows, empty). */
  empty?: ComponentChildren
  class?: string
  captionClass?: string
  /** In a box that scrolls sideways when wider than the screen (default: true; a cell never breaks inside a word). */
  scroll?: boolean
}

/**
 * A row's name is the site's own text (a page, a source, an event, a segment), in whatever
 * language and direction it was written: isolated (`<bdi>`, whose dir is auto) so that a Hebrew
 * name reads right to left on an English page, and a path left to right on a Hebrew one.
 */
const isolated = (x: ComponentChildren) => (typeof x === 'string' ? <bdi>{x}</bdi> : x)

export function Table<R>(p: TableProps<R>) {
  if (!p.rows.length && p.empty)
    return (
      <p class="note">
        <strong>{p.caption}:</strong> {p.empty}
      </p>
    )
  const heads = p.rowHeads ?? true
  const table = (
    <table class={p.class}>
      <caption class={p.captionClass}>
        {p.caption}
        {p.csv !== false && (
          <>
            {' '}
            <DownloadCsv name={p.csv} />
          </>
        )}
      </caption>
      {p.columns.some((c) => c.head !== undefined) && (
        <thead>
          <tr>
            {p.columns.map((c, i) => (
              <th scope="col" key={i}>
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>
        {p.rows.map((r, i) => (
          <tr key={p.rowKey(r, i)} {...p.rowProps?.(r)}>
            {p.columns.map((c, j) =>
              j === 0 && heads ? (
                <th scope="row" key={j}>
                  {isolated(c.cell(r, i))}
                </th>
              ) : (
                <td key={j} class={c.wrap ? 'wrap' : undefined}>
                  {c.cell(r, i)}
                </td>
              ),
            )}
          </tr>
        ))}
        {p.after}
      </tbody>
    </table>
  )
  return p.scroll === false ? table : <div class="scroll">{table}</div>
}
