/**
 * The user agents tests send as, in every environment: a desktop browser's and a phone's (people
 * to the worker: edge/domain/bots.ts, a desktop and a mobile device), and a crawler's (a bot).
 */
export const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36'
export const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1'
export const CRAWLER_UA = 'Googlebot/2.1'
