/** A virtual clock for outbox tests: timers run only when the test moves time forward. */
export const settle = () => new Promise<void>((r) => setImmediate(r))

export function virtualClock(start = 1_700_000_000_000) {
  let now = start
  const timers: { at: number; fn: () => void }[] = []
  return {
    now: () => now,
    timer: (fn: () => void, ms: number) => void timers.push({ at: now + ms, fn }),
    /** Runs every timer due within ms, letting promises settle in between. */
    async advance(ms: number) {
      const end = now + ms
      for (;;) {
        await settle()
        timers.sort((a, b) => a.at - b.at)
        const t = timers[0]
        if (!t || t.at > end) break
        timers.shift()
        now = t.at
        t.fn()
      }
      now = end
      await settle()
    },
  }
}
