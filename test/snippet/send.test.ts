/**
 * The last send as the page goes away. Firefox before 133 ignores `fetch(…, {keepalive: true})`
 * without an error: the request dies with the page. Where Request has no `keepalive`, that
 * batch goes by sendBeacon (the browser delivers it after the page is gone).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { httpSend } from '../../snippet/core/send'

const URL = 'https://edge.example/v1/events'
const body = '{"site":"s","events":[]}'

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

/** A browser whose fetch has `keepalive` or not (test/snippet/setup.ts gives happy-dom one). */
function browser(keepalive: boolean) {
  const had = Object.getOwnPropertyDescriptor(Request.prototype, 'keepalive')!
  if (!keepalive) delete (Request.prototype as any).keepalive
  const fetch = vi.fn(async () => new Response('{"accepted":0,"duplicates":0}'))
  vi.stubGlobal('fetch', fetch)
  const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true)
  return { fetch, beacon, restore: () => Object.defineProperty(Request.prototype, 'keepalive', had) }
}

describe('the batch sent as the page goes away', () => {
  it('goes by sendBeacon where fetch has no keepalive (Firefox before 133)', async () => {
    const b = browser(false)
    try {
      expect(await httpSend(URL)(body, true)).toEqual({ status: -1 })
      expect(b.beacon).toHaveBeenCalledWith(URL, body)
      expect(b.fetch).not.toHaveBeenCalled()
    } finally {
      b.restore()
    }
  })

  it('goes by fetch with keepalive where the browser has it, and gets its answer', async () => {
    const b = browser(true)
    expect((await httpSend(URL)(body, true)).status).toBe(200)
    expect(b.fetch).toHaveBeenCalledWith(URL, expect.objectContaining({ keepalive: true, body }))
    expect(b.beacon).not.toHaveBeenCalled()
  })

  it('an ordinary send uses fetch either way (it reads the answer)', async () => {
    const b = browser(false)
    try {
      expect((await httpSend(URL)(body, false)).status).toBe(200)
      expect(b.beacon).not.toHaveBeenCalled()
    } finally {
      b.restore()
    }
  })
})
