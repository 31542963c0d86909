/**
 * Small key/value access to localStorage that never throws (Safari private mode, disabled
 * storage, quota), mirrored in memory so ids stay stable within the page even then; and a
 * memory-only one for when consent forbids writing to the device.
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
  const m = memoryKv()
  const ls = <T>(f: (s: Storage) => T): T | undefined => {
    try {
      return f(localStorage)
    } catch {}
  }
  return {
    get: (k) => ls((s) => s.getItem(k)) ?? m.get(k),
    set: (k, v) => (m.set(k, v), ls((s) => s.setItem(k, v))),
    del: (k) => (m.del(k), ls((s) => s.removeItem(k))),
  }
}
