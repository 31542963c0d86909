/** `npm start`: build first (package.json), then serve everything on http://127.0.0.1:8787. */
import { cronSchedule, serve } from './serve.mjs'

const port = Number(process.env.PORT ?? 8787)
// The hourly job runs on wrangler.toml's schedule, as on Cloudflare (`wrangler dev` never fires it).
const server = await serve({ port, cron: true })
console.log(`
  ciel is running
    demo site   ${server.origin}/
    snippet     ${server.origin}/s.js
    opt-in page ${server.origin}/clinics
    Preact page ${server.origin}/planner   (its hero rendered with ciel/preact)
    dashboard   ${server.origin}/dashboard/   (admin token: ${server.token})
    API         ${server.origin}/v1/config?site=demo
    events      curl -H "authorization: Bearer ${server.token}" ${server.origin}/v1/admin/sites/demo/events
    hourly job  at minute ${cronSchedule().split(' ')[0]} of every hour (rollups, exports, training, retention); now: curl ${server.origin}/__scheduled
  Ctrl+C to stop.
`)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.stop().then(() => process.exit(0)))
