/**
 * @module selector: whether a CSS selector list is one browsers accept, checked without a DOM
 * (the worker has none) when a site config is saved. Pure.
 *
 * A conservative grammar, so that what passes parses in every engine the snippet supports:
 * type, `*`, `#id`, `.class`, `[attr]`, `[attr op value]` (op `= ~= |= ^= $= *=`, an `i`/`s` flag),
 * the combinators ` > + ~`, lists, and the common pseudo-classes (`:not()`, `:is()`, `:where()`,
 * `:has()`, `:nth-child(2n+1)`, …). No namespaces, pseudo-elements or unknown pseudo-classes
 * (browsers throw on those, or never match a click with them).
 */

const SIMPLE = new Set(
  (
    'active any-link checked default disabled empty enabled first-child first-of-type focus focus-visible ' +
    'focus-within hover indeterminate in-range invalid last-child last-of-type link only-child only-of-type ' +
    'optional out-of-range placeholder-shown read-only read-write required root target valid visited'
  ).split(' '),
)
/** Functional pseudo-classes taking a selector list (`:has` a relative one). */
const LISTS = new Set(['not', 'is', 'where', 'has'])
const NTH = new Set(['nth-child', 'nth-last-child', 'nth-of-type', 'nth-last-of-type'])
const AN_B = /^(odd|even|[+-]?\d*n(\s*[+-]\s*\d+)?|[+-]?\d+)$/i

// An identifier's characters: letters, digits, -, _, anything past ASCII, and escapes (`\31 `, `\:`).
const ESCAPE = String.raw`\\(?:[0-9a-fA-F]{1,6}[ \t\n\r\f]?|[^\n\r\f0-9a-fA-F])`
const IDENT = new RegExp(String.raw`^(?:-?(?:[A-Za-z_\u0080-\uffff]|${ESCAPE})|--)(?:[\w\u0080-\uffff-]|${ESCAPE})*`)
const STRING = /^("(?:[^"\\\n\r\f]|\\[^])*"|'(?:[^'\\\n\r\f]|\\[^])*')/

class Bad extends Error {}

/** What is wrong with `text` as a selector list, or '' when nothing is. */
export function selectorProblem(text: string): string {
  let i = 0
  const rest = () => text.slice(i)
  const fail = (what: string): never => {
    throw new Bad(`${what} at character ${i + 1}`)
  }
  const space = () => {
    const m = /^[ \t\n\r\f]*/.exec(rest())![0]
    i += m.length
    return m.length > 0
  }
  const take = (re: RegExp) => {
    const m = re.exec(rest())
    if (m) i += m[0].length
    return m?.[0]
  }
  const ident = (what: string) => take(IDENT) ?? fail(`expected ${what}`)

  function attribute() {
    space()
    ident('an attribute name')
    space()
    if (take(/^[~|^$*]?=/)) {
      space()
      if (!take(STRING) && !take(IDENT)) fail('expected a value (a word or a quoted string)')
      space()
      if (take(/^[is](?![\w-])/i)) space()
    }
    if (!take(/^\]/)) fail("expected ']'")
  }

  /** The text up to the `)` closing the one just opened (strings and nesting respected). */
  function argument(): string {
    const start = i
    let depth = 1
    while (i < text.length) {
      const quoted = take(STRING)
      if (quoted) continue
      const c = text[i]!
      if (c === '\\') i += 2
      else {
        if (c === '(') depth++
        else if (c === ')' && --depth === 0) return text.slice(start, i++)
        i++
      }
    }
    return fail("expected ')'")
  }

  function pseudo() {
    if (text[i] === ':') fail('pseudo-elements (::) never match a click')
    const name = ident('a pseudo-class name').toLowerCase()
    if (!take(/^\(/)) {
      if (!SIMPLE.has(name)) fail(`unknown pseudo-class ':${name}'`)
      return
    }
    const at = i
    const arg = argument()
    if (LISTS.has(name)) return void nested(arg, at, name === 'has')
    if (NTH.has(name)) {
      const [, anb, of] = /^\s*(.*?)(?:\s+of\s+(.*))?\s*$/is.exec(arg)!
      if (!AN_B.test(anb!.trim())) fail(`':${name}()' needs a position like 2n+1, odd or 3`)
      if (of !== undefined && name.startsWith('nth-') && name.endsWith('child')) nested(of, at + arg.indexOf(of), false)
      else if (of !== undefined) fail(`':${name}()' takes no 'of'`)
      return
    }
    if (name === 'lang') {
      if (!/^\s*([\w*-]+|"[^"]*"|'[^']*')(\s*,\s*([\w*-]+|"[^"]*"|'[^']*'))*\s*$/.test(arg))
        fail("':lang()' needs a language like en")
      return
    }
    if (name === 'dir') {
      if (!/^\s*(ltr|rtl)\s*$/i.test(arg)) fail("':dir()' needs ltr or rtl")
      return
    }
    fail(`unknown pseudo-class ':${name}()'`)
  }

  /** A selector list inside a pseudo-class's parentheses. */
  function nested(arg: string, at: number, relative: boolean) {
    const problem = selectorProblemOf(arg, relative)
    if (problem) throw new Bad(problem.replace(/at character (\d+)/, (_, n) => `at character ${at + Number(n)}`))
  }

  /** A compound selector: false when there was none here. */
  function compound(): boolean {
    const start = i
    if (!take(/^\*/)) take(IDENT)
    for (;;) {
      const c = text[i]
      if (c === '#') (i++, ident('an id after #'))
      else if (c === '.') (i++, ident('a class name after .'))
      else if (c === '[') (i++, attribute())
      else if (c === ':') (i++, pseudo())
      else break
    }
    return i > start
  }

  function complex(relative: boolean) {
    space()
    if (relative && take(/^[>+~]/)) space()
    if (!compound()) fail(i >= text.length ? 'expected a selector' : `unexpected '${text[i]}'`)
    for (;;) {
      const spaced = space()
      if (take(/^[>+~]/)) {
        space()
        if (!compound()) fail('expected a selector after a combinator')
      } else if (i < text.length && text[i] !== ',' && text[i] !== ')') {
        if (!spaced) fail(`unexpected '${text[i]}'`)
        if (!compound()) fail(`unexpected '${text[i]}'`)
      } else return
    }
  }

  function selectorProblemOf(s: string, relative: boolean): string {
    const outer = [text, i] as const
    text = s
    i = 0
    try {
      complex(relative)
      while (take(/^,/)) complex(relative)
      if (i < text.length) fail(`unexpected '${text[i]}'`)
      return ''
    } catch (e) {
      if (e instanceof Bad) return e.message
      throw e
    } finally {
      ;[text, i] = outer
    }
  }

  return selectorProblemOf(text, false)
}
