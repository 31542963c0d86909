/**
 * @module loader: what `<script async src=".../s.js" data-site="KEY">` runs first. Tiny: finds
 * its own tag, keeps queueing calls until the core has loaded, then hands the queue over.
 */
declare const __CORE__: string

type Ciel = ((...a: unknown[]) => void) & { q?: ArrayLike<unknown>[]; l?: 1 | 2 }

function main() {
  try {
    const w = window as unknown as { ciel?: Ciel }
    const me = document.currentScript as HTMLScriptElement | null
    const site = me?.dataset.site
    if (!me || !site) return console.warn('ciel: the script tag needs data-site="SITE_KEY"')
    const old = w.ciel
    // The page may have left anything in window.ciel ({q: 5}): only a function is a stub, only
    // an array a queue.
    const stub: Ciel =
      typeof old == 'function'
        ? old
        : function (...a: unknown[]) {
            ;(stub.q = stub.q || []).push(a)
          }
    if (stub.l) return // loaded twice: the first copy is in charge
    stub.q = Array.isArray(old?.q) ? old!.q : []
    stub.l = 1
    w.ciel = stub
    const granted = (a: ArrayLike<unknown>) => a?.[0] === 'consent' && a[1] === 'granted'
    let choice
    try {
      choice = localStorage.getItem('ciel_c')
    } catch {}
    const optIn = me.dataset.consent === 'opt-in' && choice !== 'granted' && !Array.from(stub.q || []).some(granted)
    const load = () => {
      if (stub.l === 2) return
      stub.l = 2
      // The config beside the core, not after it: a first visit's slots are decided once it is in.
      const config = fetch(new URL('/v1/config?site=' + encodeURIComponent(site), me.src) as unknown as string).catch(
        () => {},
      )
      import(new URL(__CORE__, me.src) as unknown as string)
        .then((m) => {
          const call = m.start({
            site,
            src: me.src,
            q: stub.q || [],
            consent: me.dataset.consent,
            wait: me.dataset.wait,
            config,
          })
          const api: Ciel = (...a) => call(a)
          api.l = 2
          w.ciel = api
        })
        .catch((e) => console.warn('ciel:', e)) // never a rejection in the page, from start() either
    }
    // Opt-in and no consent yet: not even the core is fetched until the visitor grants it.
    if (optIn) {
      const wait: Ciel = (...a) => {
        ;(stub.q = stub.q || []).push(a)
        if (granted(a)) load()
      }
      wait.l = 1
      wait.q = stub.q
      w.ciel = wait
    } else load()
  } catch (e) {
    console.warn('ciel:', e)
  }
}

main()
