/** What each test app shows in the hero slot: the demo site's hero rule gives a newsletter visitor `integrations`. */
export const HEADLINES: Record<string, string> = { integrations: 'Works with Slack', pricing: 'Plans from $0' }
export const DEFAULT = 'Default headline'
/** The slot's options: the variants the apps have, and the test pages' wait (pages.ts). */
export const HERO = { variants: ['pricing', 'integrations'], wait: 3000 }
export const headline = (v: string | undefined) => (v && HEADLINES[v]) || DEFAULT
/** The pages of the Next.js-style layout, in the order the nav button visits them. */
export const ROUTES = ['home', 'pricing', 'docs']
