/**
 * @module journeys: the paths visitors take, page → page, up to 5 steps. Pure. A session's
 * pageviews become its pages (normalised, a reload of the same page counted once); a journey
 * starts at the session's first page (or where it first reaches `from`) and, with a `goal`,
 * ends where the goal event happened. Each step keeps its pages (the top 6, the rest as
 * "other pages"), how many sessions left there, and how many of them reached the goal.
 */
export const MAX_STEPS = 5
const PAGES_PER_STEP = 6
export const OTHER = '(other pages)'

export interface SessionPath {
  /** Pages in order (already normalised). */
  pages: string[]
  /** Index in `pages` after which the goal event happened, or -1. */
  goalAfter: number
}

export interface JourneyNode {
  page: string
  sessions: number
  /** Sessions whose journey ended here without going on (with a goal: without reaching it). */
  dropOff: number
  /** With a goal: sessions through this node that reached it. */
  converted: number
}

export interface JourneyReport {
  /** Sessions read (the newest of the period, at most the bound the answer states). */
  sessions: number
  /** Sessions whose journey is shown (those through `from`, when given). */
  journeys: number
  converted: number
  steps: { step: number; sessions: number; dropOff: number; nodes: JourneyNode[] }[]
  links: { step: number; from: string; to: string; sessions: number }[]
  paths: { pages: string[]; sessions: number; converted: number }[]
}

/**
 * The journey of one session: from `from` (or its start), at most 5 pages, cut at the goal.
 * `ended`: the session left after its last page shown, without the goal.
 */
export function journeyOf(
  s: SessionPath,
  from?: string,
): { pages: string[]; converted: boolean; ended: boolean } | null {
  const pages: string[] = []
  /** Original index → index in `pages` (a page seen again at once is one step). */
  const at: number[] = []
  for (const p of s.pages) {
    if (pages[pages.length - 1] !== p) pages.push(p)
    at.push(pages.length - 1)
  }
  const goal = s.goalAfter >= 0 ? (at[Math.min(s.goalAfter, at.length - 1)] ?? -1) : -1
  let start = 0
  if (from !== undefined) {
    start = pages.indexOf(from)
    if (start < 0) return null
  }
  const converted = goal >= start
  const end = Math.min(converted ? goal + 1 : pages.length, start + MAX_STEPS)
  return { pages: pages.slice(start, end), converted, ended: !converted && end === pages.length }
}

export function journeyReport(sessions: SessionPath[], from?: string): JourneyReport {
  const journeys = sessions.map((s) => journeyOf(s, from)).filter((j) => j !== null && j.pages.length > 0) as {
    pages: string[]
    converted: boolean
    ended: boolean
  }[]
  // The pages shown at each step: the most frequent; the rest are "other pages".
  const keep: Set<string>[] = []
  for (let step = 0; step < MAX_STEPS; step++) {
    const n = new Map<string, number>()
    for (const j of journeys) if (j.pages[step] !== undefined) n.set(j.pages[step]!, (n.get(j.pages[step]!) ?? 0) + 1)
    keep.push(
      new Set(
        [...n]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, PAGES_PER_STEP)
          .map(([p]) => p),
      ),
    )
  }
  const name = (step: number, page: string) => (keep[step]!.has(page) ? page : OTHER)
  const nodes = new Map<string, JourneyNode & { step: number }>()
  const links = new Map<string, { step: number; from: string; to: string; sessions: number }>()
  const paths = new Map<string, { pages: string[]; sessions: number; converted: number }>()
  for (const j of journeys) {
    j.pages.forEach((page, step) => {
      const p = name(step, page)
      const key = `${step}\n${p}`
      const node = nodes.get(key) ?? { step, page: p, sessions: 0, dropOff: 0, converted: 0 }
      node.sessions++
      if (j.converted) node.converted++
      const last = step === j.pages.length - 1
      if (last && j.ended) node.dropOff++
      nodes.set(key, node)
      if (!last) {
        const to = name(step + 1, j.pages[step + 1]!)
        const lk = `${step}\n${p}\n${to}`
        const link = links.get(lk) ?? { step, from: p, to, sessions: 0 }
        link.sessions++
        links.set(lk, link)
      }
    })
    const pk = j.pages.join('\n')
    const path = paths.get(pk) ?? { pages: j.pages, sessions: 0, converted: 0 }
    path.sessions++
    if (j.converted) path.converted++
    paths.set(pk, path)
  }
  const steps = Array.from({ length: MAX_STEPS }, (_, step) => {
    const here = [...nodes.values()]
      .filter((n) => n.step === step)
      .sort((a, b) =>
        a.page === OTHER ? 1 : b.page === OTHER ? -1 : b.sessions - a.sessions || (a.page < b.page ? -1 : 1),
      )
      .map(({ step: _, ...n }) => n)
    return {
      step,
      sessions: here.reduce((a, n) => a + n.sessions, 0),
      dropOff: here.reduce((a, n) => a + n.dropOff, 0),
      nodes: here,
    }
  }).filter((s) => s.sessions > 0)
  return {
    sessions: sessions.length,
    journeys: journeys.length,
    converted: journeys.filter((j) => j.converted).length,
    steps,
    links: [...links.values()].sort((a, b) => a.step - b.step || b.sessions - a.sessions),
    paths: [...paths.values()]
      .sort(
        (a, b) => b.sessions - a.sessions || b.converted - a.converted || (a.pages.join() < b.pages.join() ? -1 : 1),
      )
      .slice(0, 10),
  }
}
