/** @module dashboard/login: the admin token, asked for once per tab. */
import { useState } from 'preact/hooks'

export function Login({ onToken, error }: { onToken: (t: string) => void; error?: string }) {
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
      <label>
        Admin token
        <input
          type="password"
          autoComplete="current-password"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          required
        />
      </label>
      <button type="submit">Open the dashboard</button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <p class="hint">The token is the worker's ADMIN_TOKEN secret (locally: .dev.vars).</p>
    </form>
  )
}
