/**
 * `npm run schema`: prints the JSON Schema of a site (what `PUT /v1/admin/sites/:key` takes),
 * from the worker's own valibot schema. `npm run schema > site.schema.json` and point your
 * editor's `$schema` at it to get completion and checks while writing a site's config.
 */
import { build } from 'esbuild'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const out = join(tmpdir(), `ciel-schema-${process.pid}.mjs`)
await build({
  entryPoints: ['edge/domain/site-json-schema.ts'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: out,
  logLevel: 'silent',
})
const { siteJsonSchema } = await import(out)
rmSync(out)
console.log(JSON.stringify(siteJsonSchema(), null, 2))
