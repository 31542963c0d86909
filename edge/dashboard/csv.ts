/**
 * @module dashboard/csv: "Download CSV" for any table of the dashboard. The button sits in the
 * table's caption and writes out the table as shown (header and body rows, one line each), so
 * every table gets the same download with one line of markup and no copy of its data.
 */
import { h } from 'preact'
import { t } from './i18n'

/** A number as the dashboard shows it ("1,234"), without its grouping commas. */
const GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/

/**
 * One CSV field (RFC 4180). Text a spreadsheet would run as a formula (visitor-supplied text such
 * as `=HYPERLINK(…)` in a survey answer) is prefixed with `'`, so it opens as text; text with a
 * `;` is quoted too, as spreadsheets of semicolon locales split fields there (`x;=1+1`).
 */
export function csvField(text: string): string {
  let s = text.replace(/\s+/g, ' ').trim()
  if (GROUPED.test(s)) s = s.replace(/,/g, '')
  else if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?%?$/.test(s)) s = `'${s}`
  return /[",;\n\r\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export const toCsv = (rows: string[][]): string => rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'

/** The cells of a table as shown: header and body rows (the caption and its button left out). */
export const tableRows = (table: HTMLTableElement): string[][] =>
  Array.from(table.rows, (r) => Array.from(r.cells, (c) => c.textContent ?? ''))

/** A file name from a caption: "Top pages" → "top-pages.csv". */
export const fileName = (caption: string) =>
  `${
    caption
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'table'
  }.csv`

/** Saves text as a file through a temporary link (no network). */
export function save(name: string, text: string) {
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** The button: put it in a table's `<caption>`; `name` names the file (else the caption does). */
export function DownloadCsv({ name }: { name?: string }) {
  return h(
    'button',
    {
      type: 'button',
      class: 'csv',
      onClick: (e: MouseEvent) => {
        const table = (e.currentTarget as HTMLElement).closest('table')
        if (!table) return
        const caption = table.caption?.firstChild?.textContent ?? ''
        save(fileName(name ?? caption), toCsv(tableRows(table)))
      },
    },
    t('downloadCsv'),
  )
}
