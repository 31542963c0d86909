/**
 * @module dashboard/language: which language the dashboard is shown in, and the switch that
 * changes it. The choice is kept in localStorage (it is the reader's, not the view's: a link
 * shared with a colleague opens in theirs); `<html lang dir>` follow it, so Hebrew and Arabic
 * mirror the layout (the CSS uses logical properties).
 */
import { direction, LANGUAGE_NAMES, LOCALES, type Locale, pickLocale, setLocale, t } from './i18n'

const PICKED = 'ciel-dashboard-lang'

/** The reader's languages, their browser's first. */
const browserLanguages = (): readonly string[] => navigator.languages ?? [navigator.language]

/** Shows the page in `l`: messages, `<html lang dir>`, and remembers it when picked. */
export function applyLocale(l: Locale, picked = false): void {
  setLocale(l, browserLanguages())
  document.documentElement.lang = l
  document.documentElement.dir = direction(l)
  if (picked)
    try {
      localStorage.setItem(PICKED, l)
    } catch {
      // Storage refused (a private window's quota): the choice lasts as long as the page.
    }
}

/** The language picked before with the switch, else the browser's; applied to the page. */
export function startLocale(): Locale {
  let picked: string | null = null
  try {
    picked = localStorage.getItem(PICKED)
  } catch {
    // No storage: the browser's language.
  }
  const l = pickLocale(browserLanguages(), picked)
  applyLocale(l)
  return l
}

export function LanguageSwitch({ value, onChange }: { value: Locale; onChange: (l: Locale) => void }) {
  return (
    <label class="language">
      {t('language')}{' '}
      <select
        value={value}
        onChange={(e) => {
          const l = e.currentTarget.value as Locale
          applyLocale(l, true)
          onChange(l)
        }}
      >
        {LOCALES.map((l) => (
          // Each language in its own words and direction, whatever the page's.
          <option value={l} key={l} lang={l} dir={direction(l)}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  )
}
