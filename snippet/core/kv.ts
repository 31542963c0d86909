/**
 * Small key/value access to localStorage that never throws (Safari private mode, disabled
 * storage, quota), with an in-memory stand-in when the visitor's consent forbids writing.
 */
export interface Kv {
  get(k: string): string | null
  set(k: string, v: string): void
  del(k: string): void
}

export function memoryKv(): Kv {
  const m = new Map<string, string>()
  return { get: (k) => m.get(k) ?? null, set: (k, v) => void m.set(k, v), del: (k) => void m.delete(k) }
}

export function localKv(): Kv {
  const mem = memoryKv()
  const ls = (): Storage | null => {
    try {
      return localStorage
    } catch {
      return null
    }
  }
  return {
    get(k) {
      try {
        return ls()?.getItem(k) ?? mem.get(k)
      } catch {
        return mem.get(k)
      }
    },
    set(k, v) {
      mem.set(k, v)
      try {
        ls()?.setItem(k, v)
      } catch {}
    },
    del(k) {
      mem.del(k)
      try {
        ls()?.removeItem(k)
      } catch {}
    },
  }
}
