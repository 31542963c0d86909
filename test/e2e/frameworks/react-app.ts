/**
 * A React 19 app rendering the hero slot itself with ciel/react's useSlot, in a layout that stays
 * while client navigation (history.pushState) swaps the page under it, as a Next.js layout does:
 * the counter updates inside and around the slot, the nav button re-renders the layout.
 */
import { createElement as h, useState } from 'react'
import { useSlot } from '../../../snippet/adapters/react'
import { HERO, ROUTES, headline } from './headlines'

function Hero({ n }: { n: number }) {
  const v = useSlot('hero', HERO)
  return h(
    'section',
    { 'data-ciel-slot': 'hero', 'data-ciel-framework': '', 'data-ciel-shown': v },
    h('h1', null, headline(v)),
    h('p', { id: 'inside' }, `inside ${n}`),
  )
}

function Layout({ n, nav, children }: { n: number; nav: () => void; children: unknown }) {
  return h(
    'div',
    { className: 'layout' },
    h('button', { id: 'nav', onClick: nav }, 'next page'),
    h(Hero, { n }),
    children,
  )
}

export function App() {
  const [n, setN] = useState(0)
  const [route, setRoute] = useState(0)
  const nav = () => {
    history.pushState(null, '', `#/${ROUTES[(route + 1) % ROUTES.length]}`)
    setRoute(route + 1)
  }
  return h(
    Layout,
    { n, nav },
    h('main', { key: route, id: 'page' }, `page ${ROUTES[route % ROUTES.length]} ${route}`),
    h('button', { id: 'count', onClick: () => setN(n + 1) }, `count ${n}`),
  )
}
