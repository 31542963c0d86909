/**
 * @module dashboard/load: the one way a part of the dashboard loads what it shows. `useLoad`
 * runs a loader whenever its key changes, aborting the request it replaces, and says whether it
 * is loading and why it failed; an answer is only ever shown under the key it was asked for.
 * `invalidate()` reloads everything shown, after a change that may touch any of it (an
 * erasure, a save), so no part has to count rounds for another.
 */
import { createContext } from 'preact'
import { useContext, useEffect, useMemo, useState } from 'preact/hooks'
import { adminClient, insight, messageOf, type Admin, type InsightAnswers, type InsightPath, type Query } from './api'

/** The admin token the dashboard was opened with. */
export const Token = createContext('')
export const useToken = () => useContext(Token)
/** The admin API, with the dashboard's token. */
export function useAdmin(): Admin {
  const token = useToken()
  return useMemo(() => adminClient(token), [token])
}

export interface Loaded<T> {
  /** The answer for the current key (kept while the same key reloads), or null. */
  data: T | null
  /** Why the last load for the current key failed ('' if it did not). */
  error: string
  loading: boolean
  /** Loads the current key again. */
  reload(): void
  /** Shows `data` for the current key at once (what a save answered). */
  set(data: T): void
}

const shown = new Set<() => void>()

/** Reloads everything shown. */
export function invalidate() {
  for (const reload of shown) reload()
}

interface State<T> {
  key: string
  data: T | null
  error: string
  loading: boolean
}

/**
 * Loads with `load` (null: nothing to load yet) whenever `key` changes: `key` names everything
 * the loader reads. The request of a key left behind is aborted and its answer dropped.
 */
export function useLoad<T>(load: ((signal: AbortSignal) => Promise<T>) | null, key: string): Loaded<T> {
  const [state, setState] = useState<State<T>>({ key, data: null, error: '', loading: !!load })
  const [again, setAgain] = useState(0)
  const active = !!load
  useEffect(() => {
    if (!load) return
    const abort = new AbortController()
    setState((s) => ({ key, data: s.key === key ? s.data : null, error: '', loading: true }))
    load(abort.signal).then(
      (data) => abort.signal.aborted || setState({ key, data, error: '', loading: false }),
      (e) => abort.signal.aborted || setState({ key, data: null, error: messageOf(e), loading: false }),
    )
    return () => abort.abort()
  }, [key, again, active])
  useEffect(() => {
    const reload = () => setAgain((n) => n + 1)
    shown.add(reload)
    return () => void shown.delete(reload)
  }, [])
  const current = state.key === key
  return {
    data: current ? state.data : null,
    error: current ? state.error : '',
    loading: active && (!current || state.loading),
    reload: () => setAgain((n) => n + 1),
    set: (data) => setState({ key, data, error: '', loading: false }),
  }
}

/** One insight of the site (`/v1/insights/<path>`); `query` null: nothing to load yet. */
export function useInsight<P extends InsightPath>(path: P, query: Query | null): Loaded<InsightAnswers[P]> {
  const token = useToken()
  return useLoad(
    query && token ? (signal) => insight(token, path, query, signal) : null,
    JSON.stringify([token, path, query]),
  )
}
