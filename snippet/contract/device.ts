/**
 * The device class from a user agent: coarse on purpose (tablet, mobile, else desktop). Shared:
 * the worker marks events and profiles with it, and a first page decides its slots with it.
 */
const TABLET = /ipad|tablet|playbook|silk|kindle|(android(?!.*mobile))/i
const MOBILE = /mobi|iphone|ipod|android.*mobile|windows phone|blackberry|opera mini/i

export function deviceClass(userAgent: string): 'tablet' | 'mobile' | 'desktop' {
  return TABLET.test(userAgent) ? 'tablet' : MOBILE.test(userAgent) ? 'mobile' : 'desktop'
}
