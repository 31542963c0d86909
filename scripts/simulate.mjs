/**
 * `npm run simulate -- --visitors 500`: synthetic visitors for the demo site, posted as the
 * snippet would post them to a running worker (`npm start`), so that every dashboard section,
 * trend, journey and experiment has data worth reading.
 *
 * Each visitor comes from a source (search, a newsletter or launch campaign with UTM tags, a
 * link, direct), on a desktop, phone or tablet, in English, Polish, Hebrew or Arabic, on a day
 * of the last `--days`, and sometimes comes back. Pages are sent one batch at load (the
 * pageview; its answer carries the slots' decisions and experiments) and one as the page is
 * left (slots shown, clicks, vitals, steps, friction, custom events). Some stall in onboarding,
 * some rage-click a button that does nothing, some convert (the pricing page's experiment arm
 * changes how many), some answer surveys in their language.
 *
 * Survey answers are signed as the snippet's are: the worker offers a survey in its answer to a
 * batch (a stall or a rage click triggers one; a feedback button's `survey_shown` with `asked`
 * asks for one) with a signed `offer`, and the answers carry it back as their `hash`. Only
 * surveys the worker offered are answered, so nothing is stored flagged as unsigned.
 *
 * Events are dated in the past (`ts` before `sentAt`, as an outbox that was offline sends them);
 * the worker keeps those times, up to 30 days back (it refuses older ones, so `--days` stops at
 * 28). Each visitor posts from its own address (`cf-connecting-ip`, which `wrangler dev` passes
 * through; Cloudflare's edge would set it): rate limits count per address, as for real visitors.
 * A 429 is waited out as its Retry-After says.
 *
 * `--no-intent`: whether a visit goes through onboarding, which step it takes and whether it reaches
 * the goal are coin tosses, independent of the visitor and of what they did before: the
 * prediction models (docs/personalisation.md) should then find nothing to predict conversion by.
 *
 * Bounded: at most 10,000 visitors, `--max-seconds` in all (default 600), and only to a worker
 * on this machine (127.0.0.1 or localhost). A progress bar goes to stderr.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

const DAY = 86_400_000
const MAX_VISITORS = 10_000

/** Parses the command line; throws a message naming the bad option. */
export function options(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      visitors: { type: 'string', default: '500' },
      origin: { type: 'string', default: process.env.CIEL_ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? 8787}` },
      site: { type: 'string', default: 'demo' },
      days: { type: 'string', default: '28' },
      concurrency: { type: 'string', default: '6' },
      'max-seconds': { type: 'string', default: '600' },
      seed: { type: 'string', default: '1' },
      'no-intent': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return { help: true }
  const int = (name, min, max) => {
    const n = Number(values[name])
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}`)
    return n
  }
  let url
  try {
    url = new URL(values.origin)
  } catch {
    throw new Error(`--origin '${values.origin}' is not a URL`)
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new Error(`--origin must be a worker on this machine (127.0.0.1 or localhost), not ${url.hostname}`)
  return {
    visitors: int('visitors', 1, MAX_VISITORS),
    origin: url.origin,
    site: values.site,
    days: int('days', 1, 28),
    concurrency: int('concurrency', 1, 32),
    maxSeconds: int('max-seconds', 5, 3600),
    seed: int('seed', 0, 2 ** 31),
    // --no-intent: onboarding's steps and goal are coin tosses, whatever the visitor is or did.
    intent: !values['no-intent'],
  }
}

/** A small seeded random source (mulberry32): the same seed gives the same visitors. */
function random(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const r = {
    next,
    chance: (p) => next() < p,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    /** Picks from [[weight, value], ...]. */
    weighted: (list) => {
      let x = next() * list.reduce((s, [w]) => s + w, 0)
      for (const [w, v] of list) if ((x -= w) < 0) return v
      return list[list.length - 1][1]
    },
    id: (n = 16) =>
      Array.from({ length: n }, () => '0123456789abcdefghijklmnopqrstuvwxyz'[Math.floor(next() * 36)]).join(''),
  }
  return r
}

const AGENTS = {
  desktop:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  phone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  tablet:
    'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  bot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
}

/** Where visitors come from: a referrer, UTM tags on the landing URL, or nothing (direct). */
const SOURCES = [
  [30, {}],
  [22, { ref: 'https://www.google.com/' }],
  [16, { utm: 'utm_source=newsletter&utm_medium=email&utm_campaign=spring-launch' }],
  [9, { ref: 'https://news.ycombinator.com/' }],
  [8, { ref: 'https://github.com/' }],
  [8, { utm: 'utm_source=producthunt&utm_medium=referral&utm_campaign=launch-day' }],
  [7, { ref: 'https://www.linkedin.com/' }],
]

const LANGS = [
  [58, 'en'],
  [16, 'pl'],
  [14, 'he'],
  [12, 'ar'],
]
const HOME = { en: '/', pl: '/pl', he: '/he', ar: '/ar' }
const TITLES = {
  '/': 'Team planning that keeps pace · Tandem',
  '/pl': 'Planowanie zespołu w dobrym tempie · Tandem',
  '/he': 'Tandem בעברית',
  '/ar': 'Tandem بالعربية',
  '/pricing': 'Pricing · Tandem',
  '/integrations': 'Integrations · Tandem',
  '/onboarding': 'Get started · Tandem',
}
const TOPICS = { '/pricing': ['pricing'], '/integrations': ['integrations'] }
/** The slots each demo page carries (demo-site/*.html). */
const SLOTS = {
  '/': ['hero', 'help'],
  '/pl': ['hero', 'help'],
  '/he': ['hero', 'help'],
  '/ar': ['hero', 'help'],
  '/pricing': ['plan-cta'],
}

/**
 * What visitors write, by language and occasion (the stall and rage surveys' complaints, and
 * what detractors and promoters say): demo-site/answers.json, which the worker's tests read too
 * (the demo's complaints must read as negative on the dashboard).
 */
const WORDS = JSON.parse(readFileSync(new URL('../demo-site/answers.json', import.meta.url), 'utf8'))

/** Web vitals of one page load, slower on phones and on the onboarding page. */
function vitals(r, device, path) {
  const slow = (device === 'phone' ? 1.8 : device === 'tablet' ? 1.3 : 1) * (path === '/onboarding' ? 1.4 : 1)
  const rate = (v, good, poor) => (v <= good ? 'good' : v <= poor ? 'needs-improvement' : 'poor')
  const ms = (base, spread) => Math.round(base * slow * (0.6 + r.next() * spread))
  const lcp = ms(1500, 1.6)
  const fcp = ms(900, 1.4)
  const ttfb = ms(250, 1.5)
  const inp = ms(90, 2.2)
  const cls = Math.round(r.next() ** 3 * 0.35 * 1000) / 1000
  return [
    ['LCP', lcp, rate(lcp, 2500, 4000)],
    ['FCP', fcp, rate(fcp, 1800, 3000)],
    ['TTFB', ttfb, rate(ttfb, 800, 1800)],
    ['INP', inp, rate(inp, 200, 500)],
    ['CLS', cls, rate(cls, 0.1, 0.25)],
  ].map(([name, value, rating]) => ({ type: 'vitals', name, props: { value, rating } }))
}

/** Sends batches for one visitor: its own address, user agent, ids and clock. */
function poster(o, stats, r, agent, address) {
  return async function post(visitor, session, events, sentAt = Date.now()) {
    const body = JSON.stringify({ site: o.site, visitor, session, sentAt, events })
    for (;;) {
      if (Date.now() > o.deadline) throw new Stop()
      const res = await fetch(`${o.origin}/v1/events`, {
        method: 'POST',
        headers: { origin: o.origin, 'content-type': 'text/plain', 'user-agent': agent, 'cf-connecting-ip': address },
        body,
        signal: AbortSignal.timeout(20_000),
      })
      if (res.status === 429) {
        // Rate limited: wait as told, then send the same events again (their ids count them once).
        stats.waits++
        const s = Number(res.headers.get('retry-after') ?? 5)
        await new Promise((ok) => setTimeout(ok, Math.min(Math.max(s, 1), 60) * 1000))
        continue
      }
      const text = await res.text()
      if (!res.ok) throw new Error(`POST /v1/events answered ${res.status}: ${text.slice(0, 300)}`)
      stats.batches++
      stats.events += events.length
      return JSON.parse(text)
    }
  }
}

class Stop extends Error {}

/** One visitor's life on the demo site: one to three sessions over a few days. */
async function visitor(o, stats, seed, index) {
  const r = random(seed * 7919 + index)
  const device = r.weighted([
    [58, 'desktop'],
    [32, 'phone'],
    [8, 'tablet'],
    [2, 'bot'],
  ])
  const lang = r.weighted(LANGS)
  const source = r.weighted(SOURCES)
  const address = `198.18.${(index >> 8) & 255}.${index & 255}`
  const post = poster(o, stats, r, AGENTS[device], address)
  const id = `sim-${r.id(14)}`
  const words = WORDS[lang]
  // More recent days get more visitors: the trends have a slope to read.
  const firstDay = Math.floor(o.days * (1 - Math.sqrt(r.next())))
  let clock = Date.now() - firstDay * DAY - r.int(1, 20) * 3600_000
  clock = Math.min(clock, Date.now() - 2 * 3600_000)
  const sessions = r.weighted([
    [62, 1],
    [26, 2],
    [12, 3],
  ])
  // Who this visitor is: these decide the story their events tell.
  const persona = {
    onboards: device !== 'bot' && r.chance(0.42),
    stalls: r.chance(0.35),
    rages: device !== 'bot' && r.chance(0.12),
    feedback: device !== 'bot' && r.chance(lang === 'en' ? 0.14 : 0.3),
    answers: r.chance(0.7),
    // How they feel about the product: most are lukewarm to happy, a third are detractors.
    happy: 0.25 + 0.75 * r.next() ** 0.7,
  }
  let n = 0
  let step = -1
  const ev = (e, at) => ({
    id: `${id}-${++n}`,
    ts: Math.round(at),
    url: `${o.origin}${e.path ?? ''}`,
    ...e,
    path: undefined,
  })
  const clean = (e) => {
    delete e.path
    return e
  }
  let offered = false
  let user

  for (let s = 0; s < sessions; s++) {
    if (s > 0) clock += r.int(1, 5) * DAY + r.int(0, 8) * 3600_000
    if (clock > Date.now() - 60_000) break
    const session = `${id}-s${s}`
    const landing = s === 0 ? HOME[lang] + (source.utm ? `?${source.utm}` : '') : r.pick([HOME[lang], '/pricing'])
    const pages = [landing]
    if (device === 'bot') pages.push('/pricing', '/integrations')
    else {
      if (r.chance(0.55))
        pages.push(
          r.weighted([
            [3, '/pricing'],
            [2, '/integrations'],
          ]),
        )
      if (r.chance(0.25)) pages.push(r.pick(['/pricing', '/integrations', HOME[lang]]))
      if (o.intent === false ? r.chance(0.42) && step < 3 : persona.onboards && step < 3) pages.push('/onboarding')
    }
    let ref = s === 0 ? source.ref : undefined
    for (const page of pages) {
      const path = page.split('?')[0]
      const t0 = clock
      const pageview = ev(
        {
          type: 'pageview',
          path: page,
          props: { title: TITLES[path] ?? 'Tandem', ref: ref ?? '', topics: TOPICS[path] ?? [] },
        },
        t0,
      )
      if (!ref) delete pageview.props.ref
      ref = `${o.origin}${path}`
      const a = await post(id, session, [clean(pageview)])
      let at = t0 + r.int(400, 1500)
      const later = []
      const add = (e) => later.push(clean(ev({ path: page, ...e }, (at += r.int(300, 6000)))))
      // The slots the answer decided, as the page shows them (an experiment's default arm too).
      for (const slot of SLOTS[path] ?? []) {
        const exp = a.experiments?.[slot]
        const variant = a.decisions?.[slot]
        if (exp) add({ type: 'slot_shown', props: { slot, variant: variant ?? '', exp } })
        else if (variant) add({ type: 'slot_shown', props: { slot, variant } })
      }
      if (device !== 'bot') for (const v of vitals(r, device, path)) add(v)
      const trial = a.decisions?.['plan-cta'] === 'trial'
      let asked
      if (device === 'bot') {
        // A crawler reads and leaves.
      } else if (path === '/pricing') {
        if (r.chance(0.4))
          add({
            type: 'click',
            props: {
              tag: 'button',
              path: 'div.plans > div.card > button#buy-team',
              id: 'buy-team',
              text: 'Choose Team',
            },
          })
        if (r.chance(0.2))
          add({ type: 'track', name: 'plan_chosen', props: { plan: r.pick(['team', 'team', 'free']) } })
        if (r.chance(0.12)) add({ type: 'u_turn', props: { via: 'back', ms: r.int(800, 4000) } })
        if (persona.rages && r.chance(0.6)) {
          add({
            type: 'rage_click',
            props: {
              tag: 'button',
              path: 'div.plans > div.card > button#buy-team',
              id: 'buy-team',
              text: 'Choose Team',
              clicks: r.int(3, 7),
              x: 410,
              y: 380,
            },
          })
          persona.rages = false
        }
      } else if (path === '/integrations') {
        add({
          type: 'click',
          props: {
            tag: 'a',
            path: 'main > section > ul > li > a',
            text: r.pick(['Slack', 'GitHub', 'Google Calendar']),
          },
        })
      } else if (path === '/onboarding' && o.intent === false) {
        // Without intent: one step drawn at random, and the goal by a coin toss of its own, so that
        // nothing a visitor is or did tells whether they convert (a model must find nothing).
        const k = r.int(0, 2)
        step = Math.max(step, k)
        add({ type: 'step', name: 'onboarding', props: { step: ['account', 'workspace', 'invite'][k] } })
        if (k === 0 && !user) {
          user = `user-${r.id(8)}`
          add({ type: 'identify', name: user, props: { plan: 'trial', lang } })
        }
        if (r.chance(0.2)) {
          step = 3
          add({ type: 'step', name: 'onboarding', props: { step: 'done' } })
        }
      } else if (path === '/onboarding') {
        const order = ['account', 'workspace', 'invite', 'done']
        // Each step is passed with a chance; the trial arm of the pricing experiment converts more
        // (pass[i - 1] leads to step i: the last one, invite → done, is the experiment's goal).
        const pass = [0.92, 0.72, trial || persona.sawTrial ? 0.85 : 0.5]
        for (let i = step + 1; i < order.length; i++) {
          if (i > 0 && !r.chance(pass[i - 1])) {
            if (persona.stalls && i < 3) {
              add({ type: 'stall', name: 'onboarding', props: { step: order[i - 1], seconds: [120, 90, 120][i - 1] } })
              if (r.chance(0.5))
                add({ type: 'form_abandon', props: { form: `step-${order[i - 1]}`, fields: ['name'], last: 'name' } })
            }
            break
          }
          step = i
          add({ type: 'step', name: 'onboarding', props: { step: order[i] } })
          if (order[i] === 'account' && !user) {
            user = `user-${r.id(8)}`
            add({ type: 'identify', name: user, props: { plan: 'trial', lang } })
          }
          if (order[i] === 'invite') add({ type: 'track', name: 'invite_sent', props: { count: r.int(1, 6) } })
          if (order[i] === 'done')
            add({
              type: 'track',
              name: 'workspace_ready',
              props: { plan: trial || persona.sawTrial ? 'trial' : 'free' },
            })
        }
        if (r.chance(0.05)) {
          add({
            type: 'error',
            props: {
              message: "TypeError: Cannot read properties of undefined (reading 'members')",
              source: `${o.origin}/demo.js`,
              line: 14,
              col: 33,
            },
          })
          add({
            type: 'error_click',
            props: { tag: 'button', path: 'form#step-invite > button', text: 'Send invites' },
          })
        }
      } else {
        // A home page, in the visitor's language.
        if (path === '/' && r.chance(0.25))
          add({
            type: 'dead_click',
            props: {
              tag: 'button',
              path: 'div.card > button#learn-more.fake-button',
              id: 'learn-more',
              text: 'Learn more',
            },
          })
        if (persona.rages && path === '/' && r.chance(0.7)) {
          add({
            type: 'rage_click',
            props: {
              tag: 'button',
              path: 'div.card > button#learn-more.fake-button',
              id: 'learn-more',
              text: 'Learn more',
              clicks: r.int(3, 8),
              x: 220,
              y: 540,
            },
          })
          persona.rages = false
        }
        if (path === '/' && r.chance(0.08)) add({ type: 'track', name: 'newsletter_subscribed' })
        if (r.chance(0.3))
          add({
            type: 'click',
            props: { tag: 'a', path: 'header.top > nav > a', text: r.pick(['Pricing', 'Integrations']) },
          })
        // The feedback button asks for a survey (the site's NPS; in pl and ar, the multilingual one).
        if (persona.feedback && !offered && path !== '/he') {
          asked = lang === 'en' ? 'nps' : 'voice'
          add({
            type: 'survey_shown',
            name: asked,
            props: { kind: 'nps', asked: true, ...(lang === 'en' ? {} : { lang }) },
          })
        }
      }
      if (trial) persona.sawTrial = true
      add({ type: 'page_leave', props: { ms: at - t0 + r.int(2000, 40000), scroll: r.int(20, 100) } })
      const b = await post(id, session, later)
      // A survey the worker offered now (signed): answered, dismissed, or left.
      const due = [...(a.surveys ?? []), ...(b.surveys ?? [])].find((x) => x.offer)
      if (due && !offered) {
        offered = true
        const out = surveyEvents(r, due, lang, words, persona, asked === due.id)
        if (out.length) {
          at += r.int(2000, 9000)
          await post(
            id,
            session,
            out.map((e) => clean(ev({ path: page, hash: due.offer, ...e }, (at += r.int(2000, 12000))))),
          )
        }
      }
      clock = at + r.int(5000, 60000)
    }
    clock += r.int(10, 60) * 60_000
  }
  return { device }
}

/** The events of one survey, as the survey chunk records them (survey.tsx). */
function surveyEvents(r, due, lang, words, persona, asked) {
  if (!persona.answers && !asked)
    return r.chance(0.5)
      ? [
          { type: 'survey_shown', name: due.id, props: { kind: due.kind ?? 'nps', asked: false } },
          { type: 'survey_dismiss', name: due.id, props: { kind: due.kind ?? 'nps' } },
        ]
      : []
  const out = asked
    ? []
    : [{ type: 'survey_shown', name: due.id, props: { kind: due.kind ?? due.questions?.[0]?.type, asked: false } }]
  const say = (list) => r.pick(list)
  if (due.questions) {
    // The multilingual survey: a score, then what went wrong (0-6) or what they like (9-10).
    const tag = { lang }
    const score = Math.max(0, Math.min(10, Math.round(persona.happy * 11 + r.int(-2, 1))))
    out.push({ type: 'survey_answer', name: due.id, props: { kind: 'nps', q: 'score', score, ...tag } })
    if (score <= 6 && r.chance(0.7))
      out.push({
        type: 'survey_answer',
        name: due.id,
        props: { kind: 'text', q: 'wrong', text: say(words.bad), ...tag },
      })
    if (score >= 9)
      out.push({
        type: 'survey_answer',
        name: due.id,
        props: {
          kind: 'single',
          q: 'like',
          choice: r.weighted([
            [5, 'speed'],
            [4, 'integrations'],
            [2, 'price'],
          ]),
          ...tag,
        },
      })
    return out
  }
  if (due.kind === 'text') {
    out.push({ type: 'survey_answer', name: due.id, props: { kind: 'text', text: say(words.rage) } })
    return out
  }
  if (due.kind === 'csat') {
    const score = r.weighted([
      [3, 1],
      [4, 2],
      [3, 3],
      [2, 4],
      [1, 5],
    ])
    out.push({ type: 'survey_answer', name: due.id, props: { kind: 'csat', score } })
    if (r.chance(0.6))
      out.push({ type: 'survey_comment', name: due.id, props: { kind: 'csat', score, text: say(words.stall) } })
    return out
  }
  const score = Math.max(0, Math.min(10, Math.round(persona.happy * 11 + r.int(-1, 2))))
  out.push({ type: 'survey_answer', name: due.id, props: { kind: 'nps', score } })
  if (r.chance(0.65))
    out.push({
      type: 'survey_comment',
      name: due.id,
      props: { kind: 'nps', score, text: say(score <= 6 ? words.bad : words.good) },
    })
  return out
}

/** A progress bar on stderr (a line every tenth when stderr is not a terminal). */
function progress(total) {
  const tty = process.stderr.isTTY
  const started = Date.now()
  let shown = -1
  return (done, stats, end = false) => {
    const tenth = Math.floor((done * 10) / total)
    if (!tty && tenth === shown) return
    shown = tenth
    const width = 30
    const full = Math.round((done / total) * width)
    const s = ((Date.now() - started) / 1000).toFixed(0)
    const line = `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${done}/${total} visitors · ${stats.batches} batches · ${stats.events} events · ${s} s`
    process.stderr.write(tty ? `\r${line}${end ? '\n' : ''}` : `${line}\n`)
  }
}

/** Checks that a ciel worker answers at `origin` and knows the site; throws a clear message if not. */
async function preflight(o) {
  let r
  try {
    r = await fetch(`${o.origin}/v1/health`, { signal: AbortSignal.timeout(5000) })
  } catch (e) {
    throw new Error(
      `no ciel worker answers at ${o.origin} (${e.cause?.code ?? e.name}): start one with \`npm start\` in another terminal, or pass --origin http://127.0.0.1:PORT`,
      { cause: e },
    )
  }
  if (!r.ok) throw new Error(`${o.origin}/v1/health answered ${r.status}: is this a ciel worker?`)
  const c = await fetch(`${o.origin}/v1/config?site=${encodeURIComponent(o.site)}`, {
    signal: AbortSignal.timeout(5000),
  })
  if (!c.ok)
    throw new Error(
      `the worker at ${o.origin} has no site '${o.site}' (${c.status}): \`npm start\` loads demo-site/sites.json`,
    )
}

/** Runs the simulation; resolves with what was sent. */
export async function simulate(o, log = () => {}) {
  await preflight(o)
  const opts = { ...o, deadline: Date.now() + o.maxSeconds * 1000 }
  const stats = { batches: 0, events: 0, waits: 0, visitors: 0, failures: 0, firstFailure: '' }
  const bar = progress(o.visitors)
  let next = 0
  let stopped = false
  const worker = async () => {
    while (!stopped && next < o.visitors) {
      const i = next++
      try {
        await visitor(opts, stats, o.seed, i)
      } catch (e) {
        if (e instanceof Stop) {
          stopped = true
          break
        }
        stats.failures++
        stats.firstFailure ||= String(e?.message ?? e)
        // A worker that refuses everything: stop early rather than fail 500 times.
        if (stats.failures >= 5 && stats.failures > stats.visitors) stopped = true
      }
      if (!stopped) stats.visitors++
      bar(stats.visitors, stats)
    }
  }
  await Promise.all(Array.from({ length: o.concurrency }, worker))
  bar(stats.visitors, stats, true)
  stats.timedOut = Date.now() > opts.deadline
  log(stats)
  return stats
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let o
  try {
    o = options(process.argv.slice(2))
  } catch (e) {
    console.error(`simulate: ${e.message}`)
    process.exit(2)
  }
  if (o.help) {
    console.log(
      'npm run simulate -- [--visitors 500] [--origin http://127.0.0.1:8787] [--site demo] [--days 28] [--concurrency 6] [--max-seconds 600] [--seed 1] [--no-intent]',
    )
    process.exit(0)
  }
  try {
    const s = await simulate(o)
    console.log(
      `${s.visitors} visitors sent ${s.events} events in ${s.batches} batches to ${o.origin}` +
        (s.waits ? ` (${s.waits} waits for a rate limit)` : '') +
        `. The dashboard: ${o.origin}/dashboard/`,
    )
    if (s.failures) console.error(`simulate: ${s.failures} visitors failed; the first: ${s.firstFailure}`)
    if (s.timedOut) console.error(`simulate: stopped after --max-seconds ${o.maxSeconds}`)
    process.exit(s.failures || s.timedOut ? 1 : 0)
  } catch (e) {
    console.error(`simulate: ${e.message}`)
    process.exit(1)
  }
}
