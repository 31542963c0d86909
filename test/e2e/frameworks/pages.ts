/**
 * The framework apps' pages, served from their own origin (a customer's site) with ciel's tag from
 * the edge: each app bundled by esbuild (development builds, so hydration warnings are printed)
 * and, for `?ssr=1`, rendered on the server and hydrated. `?hydrate=MS` delays the app's start,
 * `?notag` leaves ciel out, `?optout` marks the app's root `data-ciel-framework`.
 */
import { createServer } from 'node:http'
import { build, type Plugin } from 'esbuild'
import { readFile } from 'node:fs/promises'
import { compile } from 'svelte/compiler'

/** Compiles .svelte files (Svelte 5, development mode) for the browser or the server. */
export const svelte = (generate: 'client' | 'server'): Plugin => ({
  name: 'svelte',
  setup(b) {
    b.onLoad({ filter: /\.svelte$/ }, async (a) => ({
      contents: compile(await readFile(a.path, 'utf8'), { filename: a.path, generate, dev: true }).js.code,
      loader: 'js',
    }))
  },
})

/** Vue's build flags, as its docs ask a bundler to set them (else it warns). */
export const VUE_FLAGS = {
  __VUE_OPTIONS_API__: 'true',
  __VUE_PROD_DEVTOOLS__: 'false',
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
}
import type { AddressInfo } from 'node:net'

/** One app: its client entry's source (ESM, imports resolved from this folder) and its server render. */
export interface App {
  /** Client code: defines `start(el: HTMLElement, ssr: boolean)`, which renders or hydrates the app in `el`. */
  entry: string
  /** The app's HTML as the server renders it. */
  ssr: () => Promise<string> | string
}

/** The CSS rule of docs/personalisation.md, with a wait of `wait` ms. */
const rule = (wait: number) =>
  `[data-ciel-slot]:not([data-ciel-shown]){visibility:hidden;animation:ciel-wait 1ms ${wait}ms forwards}` +
  `@keyframes ciel-wait{to{visibility:visible}}`

export async function servePages(
  apps: Record<string, App>,
  o: { edge: string; site: string; wait?: number },
): Promise<{ origin: string; stop: () => Promise<void> }> {
  const wait = o.wait ?? 3000
  const bundles: Record<string, string> = {}
  for (const [name, app] of Object.entries(apps)) {
    const r = await build({
      stdin: {
        contents:
          app.entry +
          `\nconst d = +new URLSearchParams(location.search).get('hydrate') || 0, ssr = location.search.includes('ssr=1')` +
          `\nconst go = () => { start(document.getElementById('root'), ssr); window.__started = true }` +
          `\nd ? setTimeout(go, d) : go()`,
        resolveDir: import.meta.dirname,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      define: { 'process.env.NODE_ENV': '"development"', ...VUE_FLAGS },
      plugins: [svelte('client')],
      logLevel: 'silent',
    })
    bundles[name] = r.outputFiles[0]!.text
  }
  const server = createServer(async (req, res) => {
    try {
      const u = new URL(req.url ?? '/', 'http://x')
      const name = u.pathname.slice(1).replace(/\.js$/, '')
      const app = apps[name]
      if (!app) return res.writeHead(404).end('not found')
      if (u.pathname.endsWith('.js'))
        return res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundles[name])
      const body = u.searchParams.get('ssr') === '1' ? await app.ssr() : ''
      const tag = u.searchParams.has('notag')
        ? ''
        : `<script>window.ciel=window.ciel||function(){(ciel.q=ciel.q||[]).push(arguments)}</script>` +
          `<script async src="${o.edge}/s.js" data-site="${o.site}" data-wait="${wait}"></script>`
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title>${tag}<style>${rule(wait)}</style></head>` +
            `<body><div id="root"${u.searchParams.has('optout') ? ' data-ciel-framework' : ''}>${body}</div><script src="/${name}.js"></script></body></html>`,
        )
    } catch (e) {
      res.writeHead(500).end(String(e))
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, stop: () => new Promise((r) => server.close(() => r())) }
}
