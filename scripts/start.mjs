/** `npm start`: build first (package.json), then serve everything on http://127.0.0.1:8787. */
import { serve } from './serve.mjs'

const port = Number(process.env.PORT ?? 8787)
const server = await serve({ port })
console.log(`
  ciel is running
    demo site   ${server.origin}/
    snippet     ${server.origin}/s.js
    opt-in page ${server.origin}/clinics
    dashboard   ${server.origin}/dashboard/   (admin token: ${server.token})
    API         ${server.origin}/v1/config?site=demo
    events      curl -H "authorization: Bearer ${server.token}" ${server.origin}/v1/admin/sites/demo/events
  Ctrl+C to stop.
`)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.stop().then(() => process.exit(0)))
