/** A JSON column's value; null when empty or unreadable. */
export function json<T = any>(text: string | null | undefined): T | null {
  try {
    return text ? (JSON.parse(text) as T) : null
  } catch {
    return null
  }
}
