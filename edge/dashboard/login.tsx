/** @module dashboard/login: the admin token, asked for once per tab. */
import type { ComponentChild } from 'preact'
import { useState } from 'preact/hooks'
import { t } from './i18n'

export function Login({
  onToken,
  error,
  languageSwitch,
}: {
  onToken: (t: string) => void
  error?: string
  languageSwitch?: ComponentChild
}) {
  const [value, setValue] = useState('')
  return (
    <form
      class="login"
      onSubmit={(e) => {
        e.preventDefault()
        if (value.trim()) onToken(value.trim())
      }}
    >
      <h1>ciel</h1>
      {languageSwitch}
      <label>
        {t('adminToken')}
        <input
          type="password"
          autoComplete="current-password"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          required
        />
      </label>
      <button type="submit">{t('openDashboard')}</button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <p class="hint">{t('tokenHint')}</p>
    </form>
  )
}
