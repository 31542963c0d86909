import { describe, expect, it } from 'vitest'
import { memoryKv } from '../../snippet/core/kv'
import { SESSION_IDLE_MS, forgetIds, sessionId, visitorId } from '../../snippet/core/ids'
import { uid } from '../../snippet/core/uid'

describe('visitor and session ids', () => {
  it('keeps the visitor id on the device', () => {
    const kv = memoryKv()
    const v = visitorId(kv)
    expect(visitorId(kv)).toBe(v)
    forgetIds(kv)
    expect(visitorId(kv)).not.toBe(v)
  })

  it('keeps the session while the visitor is active, however long', () => {
    const kv = memoryKv()
    let t = 1_700_000_000_000
    const s = sessionId(kv, t)
    for (let i = 0; i < 10; i++) expect(sessionId(kv, (t += SESSION_IDLE_MS - 1000))).toBe(s)
  })

  it('starts a new session after 30 minutes idle', () => {
    const kv = memoryKv()
    const t = 1_700_000_000_000
    const s = sessionId(kv, t)
    expect(sessionId(kv, t + SESSION_IDLE_MS + 1)).not.toBe(s)
  })

  it('makes ids that sort by creation time and never repeat', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => uid(1_700_000_000_000 + i))
    expect(new Set(ids).size).toBe(2000)
    expect([...ids].sort()).toEqual(ids)
  })
})
