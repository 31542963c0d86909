/**
 * The browser engines the journeys run in, behind one small interface: Chromium (playwright-core,
 * as the rest of e2e), Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKitGTK
 * (selenium-webdriver through WebKitWebDriver, in its own Xvfb). All come from Debian packages;
 * nothing is ever downloaded (every path is given, so no driver manager runs).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser as Chromium } from 'playwright-core'
import puppeteer, { type ElementHandle } from 'puppeteer-core'
import { Builder, Capabilities, type WebElement } from 'selenium-webdriver'
import { launch as launchChromium } from './harness'

export type EngineName = 'chromium' | 'firefox' | 'webkit'
const ALL: EngineName[] = ['chromium', 'firefox', 'webkit']

/** The engines to run: all three, or those named in CIEL_ENGINES (comma-separated). */
export function engines(): EngineName[] {
  const asked = process.env.CIEL_ENGINES?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (!asked?.length) return ALL
  const unknown = asked.filter((e) => !ALL.includes(e as EngineName))
  if (unknown.length) throw new Error(`CIEL_ENGINES: unknown ${unknown.join(', ')} (known: ${ALL.join(', ')})`)
  return asked as EngineName[]
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>

/** One tab in a profile of its own (no storage shared with any other tab). */
export interface Tab {
  /** Loads a URL and waits for its load event. */
  goto(url: string): Promise<void>
  /**
   * A real click (the engine's own input, so the page sees a trusted event) on the first element
   * matching `css`; ` >>> ` steps into an element's shadow root (`[data-ciel-survey] >>> button`).
   */
  click(css: string): Promise<void>
  /** Types text into the field matching `css` (same selectors as click). */
  fill(css: string, text: string): Promise<void>
  /** Runs fn(arg) in the page (a serialisable function and argument); answers its result, awaited. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>
  /** Polls fn(arg) in the page (through navigations) until it is truthy; answers that value. */
  waitFor<R, A = undefined>(fn: (arg: A) => R, arg?: A, ms?: number): Promise<Truthy<R>>
  close(): Promise<void>
}

export interface Engine {
  name: EngineName
  /** A new tab in a fresh profile. */
  open(): Promise<Tab>
  quit(): Promise<void>
}

/** Finds an element by css, stepping into shadow roots at ` >>> ` (runs in the page). */
const find = (css: string) =>
  css
    .split(' >>> ')
    .reduce<Element | Document | null>(
      (at, sel) => at && ((at as Element).shadowRoot ?? at).querySelector(sel),
      document,
    )

/** What each engine does its own way; the rest of a Tab is built on these. */
interface Driver {
  goto(url: string): Promise<void>
  click(css: string): Promise<void>
  fill(css: string, text: string): Promise<void>
  evaluate(fn: (arg: any) => unknown, arg: unknown): Promise<unknown>
  close(): Promise<void>
}

function tab(d: Driver): Tab {
  const evaluate = ((fn: (arg: any) => unknown, arg?: unknown) => d.evaluate(fn, arg ?? null)) as Tab['evaluate']
  return {
    goto: (url) => d.goto(url),
    click: (css) => d.click(css),
    fill: (css, text) => d.fill(css, text),
    evaluate,
    async waitFor(fn, arg, ms = 10_000) {
      const end = Date.now() + ms
      let last: unknown
      for (;;) {
        try {
          const v = await evaluate(fn as any, arg)
          if (v) return v as any
          last = v
        } catch (e) {
          last = e // a navigation replaced the page under the call: ask the new one
        }
        if (Date.now() > end)
          throw new Error(`timed out after ${ms} ms waiting for ${String(fn)}: last ${String(last)}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    close: () => d.close(),
  }
}

const missing = (what: string, path: string, apt: string) =>
  new Error(`${what} is missing (${path}): apt-get install -y ${apt} (the engines' tests need it; CI installs it)`)

/** Starts an engine: its browser (and what it needs) stays up until quit(). */
export async function launchEngine(name: EngineName): Promise<Engine> {
  if (name === 'chromium') return chromium(await launchChromium())
  if (name === 'firefox') return firefox()
  return webkit()
}

function chromium(browser: Chromium): Engine {
  return {
    name: 'chromium',
    quit: () => browser.close(),
    async open() {
      const context = await browser.newContext()
      const page = await context.newPage()
      const element = async (css: string) => {
        const el = (await page.evaluateHandle(find, css)).asElement()
        if (!el) throw new Error(`no element matches ${css}`)
        return el
      }
      return tab({
        goto: async (url) => void (await page.goto(url)),
        click: async (css) => (await element(css)).click(),
        fill: async (css, text) => (await element(css)).fill(text),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        close: () => context.close(),
      })
    },
  }
}

const FIREFOX = '/usr/bin/firefox-esr'

async function firefox(): Promise<Engine> {
  if (!existsSync(FIREFOX)) throw missing('Firefox ESR', FIREFOX, 'firefox-esr')
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true })
  return {
    name: 'firefox',
    quit: () => browser.close(),
    async open() {
      const context = await browser.createBrowserContext()
      const page = await context.newPage()
      const element = async (css: string) => {
        const el = (await page.evaluateHandle(find, css)).asElement()
        if (!el) throw new Error(`no element matches ${css}`)
        return el as ElementHandle<Element>
      }
      return tab({
        goto: async (url) => void (await page.goto(url)),
        click: async (css) => (await element(css)).click(),
        fill: async (css, text) => (await element(css)).type(text),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        close: () => context.close(),
      })
    },
  }
}

const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver'
const XVFB = '/usr/bin/Xvfb'

/** A virtual X display of our own (WebKitGTK's MiniBrowser has no headless mode here). */
async function xvfb(): Promise<{ display: string; stop: () => void }> {
  // -displayfd: the server picks a free display and writes its number to fd 3.
  const x: ChildProcess = spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  })
  let err = ''
  x.stderr!.on('data', (d) => (err += d))
  const display = await new Promise<string>((resolve, reject) => {
    let out = ''
    x.stdio[3]!.on('data', (d) => {
      out += d
      if (out.endsWith('\n')) resolve(`:${out.trim()}`)
    })
    x.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${err}`)))
    x.once('error', reject)
  })
  return { display, stop: () => void x.kill() }
}

async function webkit(): Promise<Engine> {
  if (!existsSync(WEBKIT_DRIVER)) throw missing('WebKitWebDriver', WEBKIT_DRIVER, 'webkit2gtk-driver')
  if (!existsSync(XVFB)) throw missing('Xvfb', XVFB, 'xvfb')
  const x = await xvfb()
  // The generic service builder, given the driver's path: selenium's driver manager never runs.
  const { DriverService } = createRequire(import.meta.url)(
    'selenium-webdriver/remote',
  ) as typeof import('selenium-webdriver/remote')
  const service = new DriverService.Builder(WEBKIT_DRIVER)
    .setLoopback(true) // and a free port
    .setEnvironment({ ...(process.env as Record<string, string>), DISPLAY: x.display })
    .build()
  let url: string
  try {
    url = await service.start()
  } catch (e) {
    x.stop()
    throw e
  }
  return {
    name: 'webkit',
    quit: async () => {
      await service.kill()
      x.stop()
    },
    async open() {
      // Each session is a new MiniBrowser with an ephemeral profile.
      const caps = new Capabilities().setBrowserName('MiniBrowser')
      const driver = await new Builder().usingServer(url).disableEnvironmentOverrides().withCapabilities(caps).build()
      // Bounded waits: a WebKitWebDriver call that hangs (seen once on a loaded CI run, never alone)
      // becomes an error the caller can act on, not a test that times out saying nothing.
      await driver.manage().setTimeouts({ pageLoad: 30_000, script: 10_000 })
      const element = async (css: string) => {
        const el = (await driver.executeScript(`return (${find})(arguments[0])`, css)) as WebElement | null
        if (!el) throw new Error(`no element matches ${css}`)
        return el
      }
      return tab({
        // A load that does not finish in time is left to the caller's waitFor, which checks the page itself.
        goto: (url) =>
          driver.get(url).catch((e: Error) => {
            if (e.name !== 'TimeoutError') throw e
            console.warn(`webkit: ${url} did not finish loading in 30 s; going on`)
          }),
        click: async (css) => (await element(css)).click(),
        fill: async (css, text) => (await element(css)).sendKeys(text),
        evaluate: (fn, arg) => driver.executeScript(`return (${fn})(arguments[0])`, arg),
        close: () => driver.quit(),
      })
    },
  }
}
