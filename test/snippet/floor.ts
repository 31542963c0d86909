/**
 * The browser floor (README, "Privacy and consent"): Chrome/Edge 80, Firefox 74, Safari 13.1.
 * What snippet code must not use, for a source scan (browser-floor.test.ts) and a scan of the
 * built chunks with their bundled packages (e2e/old-browsers.test.ts).
 */
/** Built-ins newer than the floor: name, pattern, and the first Chrome / Firefox / Safari with it. */
export const NEWER: [string, RegExp, string][] = [
  ['Object.hasOwn', /\bhasOwn\s*\(/, 'Chrome 93, Firefox 92, Safari 15.4'],
  ['Array/String.prototype.at', /\.at\s*\(/, 'Chrome 92, Firefox 90, Safari 15.4'],
  ['String.prototype.replaceAll', /\.replaceAll\s*\(/, 'Chrome 85, Firefox 77, Safari 13.1'],
  ['structuredClone', /\bstructuredClone\b/, 'Chrome 98, Firefox 94, Safari 15.4'],
  ['AbortSignal.timeout / any', /\bAbortSignal\s*\.\s*(timeout|any)\b/, 'Chrome 103, Firefox 100, Safari 16'],
  ['Promise.any', /\bPromise\s*\.\s*any\b/, 'Chrome 85, Firefox 79, Safari 14'],
  ['Promise.withResolvers', /\bwithResolvers\b/, 'Chrome 119, Firefox 121, Safari 17.4'],
  ['Array.prototype.findLast(Index)', /\.findLast(Index)?\s*\(/, 'Chrome 97, Firefox 104, Safari 15.4'],
  [
    'Array.prototype.toSorted / toReversed / toSpliced / with',
    /\.(toSorted|toReversed|toSpliced|with)\s*\(/,
    'Chrome 110, Firefox 115, Safari 16',
  ],
  ['Object.groupBy / Map.groupBy', /\bgroupBy\b/, 'Chrome 117, Firefox 119, Safari 17.4'],
  ['Array.fromAsync', /\bfromAsync\b/, 'Chrome 121, Firefox 115, Safari 16.4'],
  ['crypto.randomUUID', /\brandomUUID\b/, 'Chrome 92, Firefox 95, Safari 15.4'],
  ['WeakRef / FinalizationRegistry', /\b(WeakRef|FinalizationRegistry)\b/, 'Chrome 84, Firefox 79, Safari 14.1'],
  ['BigInt', /\bBigInt\b|\b\d+n\b/, 'Chrome 67, Firefox 68, Safari 14'],
  ['String.prototype.isWellFormed / toWellFormed', /\b(isWellFormed|toWellFormed)\b/, 'Chrome 111, Firefox 119'],
  ['Element.prototype.replaceChildren', /\.replaceChildren\s*\(/, 'Chrome 86, Firefox 78, Safari 14'],
  ['Element.prototype.checkVisibility', /\.checkVisibility\s*\(/, 'Chrome 105, Firefox 106, Safari 17.4'],
  ['HTMLDialogElement.showModal / popovers', /\.(showModal|showPopover|togglePopover)\s*\(/, 'Safari 15.4 / 17'],
  ['new EventTarget()', /\bnew\s+EventTarget\b/, 'Chrome 64, Firefox 59, Safari 14'],
  ['scheduler.postTask / yield', /\bscheduler\s*\./, 'Chrome 94, Firefox 142, no Safari'],
]

/** Code without comments (they may name a built-in to say why it is not used) or string contents. */
export const code = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, '')) // keeps line numbers
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''")

/**
 * `file:line  name (first browsers)` for every use of a built-in newer than the floor. Minified
 * output has no comments: scan it whole (`strip` = identity), strings included.
 */
export function newerBuiltIns(files: { name: string; text: string }[], strip = code): string[] {
  const found: string[] = []
  for (const { name, text } of files)
    strip(text)
      .split('\n')
      .forEach((line, i) => {
        for (const [what, re, since] of NEWER) if (re.test(line)) found.push(`${name}:${i + 1}  ${what} (${since})`)
      })
  return found
}
