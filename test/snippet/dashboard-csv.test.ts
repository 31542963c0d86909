/** The dashboard's "Download CSV": every table downloads as shown, safe to open in a spreadsheet. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { h, render } from 'preact'
import { csvField, DownloadCsv, fileName, toCsv } from '../../edge/dashboard/csv'

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('CSV of a dashboard table', () => {
  it('quotes what needs quoting and writes numbers without their grouping commas', () => {
    expect(
      toCsv([
        ['Page', 'Visitors'],
        ['/a, b', '1,234'],
        ['say "hi"\nthere', '45%'],
      ]),
    ).toBe('Page,Visitors\r\n"/a, b",1234\r\n"say ""hi"" there",45%\r\n')
    expect(csvField('-12')).toBe('-12')
    expect(csvField('-3.5%')).toBe('-3.5%')
  })

  it('opens visitor-supplied text that looks like a formula as text', () => {
    expect(csvField('=HYPERLINK("https://evil.example","click")')).toBe(
      `"'=HYPERLINK(""https://evil.example"",""click"")"`,
    )
    expect(csvField('+1 555 0100')).toBe("'+1 555 0100")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
  })

  it('keeps text with a semicolon in one cell, so a spreadsheet of a semicolon locale runs no formula from it', () => {
    // Such a spreadsheet splits unquoted fields at ';': 'x;=1+1' would be 'x' and a formula.
    expect(toCsv([['Answer'], ['x;=1+1'], ['a;b']])).toBe('Answer\r\n"x;=1+1"\r\n"a;b"\r\n')
    expect(csvField('x;=1+1')).toBe('"x;=1+1"')
  })

  it('names the file after the table', () => {
    expect(fileName('Top pages ')).toBe('top-pages.csv')
    expect(fileName('“Où?”')).toBe('o.csv')
    expect(fileName('')).toBe('table.csv')
  })

  it('downloads the table the button sits in, header and rows, without the caption', async () => {
    let saved: Blob | undefined
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => ((saved = b as Blob), 'blob:x'))
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const clicked: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download)
    })
    const root = document.createElement('div')
    document.body.appendChild(root)
    render(
      h('table', null, [
        h('caption', null, ['Top pages ', h(DownloadCsv, { name: undefined })]),
        h('thead', null, h('tr', null, [h('th', null, 'Page'), h('th', null, 'Visitors')])),
        h('tbody', null, [
          h('tr', null, [h('th', null, '/pricing'), h('td', null, '12,000')]),
          h('tr', null, [h('th', null, '/'), h('td', null, '7')]),
        ]),
      ]),
      root,
    )
    ;(root.querySelector('button.csv') as HTMLButtonElement).click()
    expect(clicked).toEqual(['top-pages.csv'])
    expect(saved!.type).toBe('text/csv;charset=utf-8')
    expect(await saved!.text()).toBe('\ufeffPage,Visitors\r\n/pricing,12000\r\n/,7\r\n')
  })
})
