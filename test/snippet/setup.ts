/**
 * happy-dom as the browsers the snippet mostly meets: its Request has no `keepalive` (Chromium,
 * Safari and Firefox 133+ do), and the snippet would hand every final batch to sendBeacon,
 * which happy-dom sends with its own fetch to the network. send.test.ts covers the browsers
 * without it.
 */
if (!('keepalive' in Request.prototype))
  Object.defineProperty(Request.prototype, 'keepalive', { configurable: true, get: () => false })
