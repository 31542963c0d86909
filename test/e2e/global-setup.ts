/**
 * The e2e project's one worker (`wrangler dev`, fresh database), shared by its files: each makes
 * its own sites (harness.ts, demoCopy). Files that restart a worker start their own.
 */
import type { TestProject } from 'vitest/node'
import { startEdge } from './harness'

export default async function setup(project: TestProject) {
  const edge = await startEdge()
  const { origin, token, port, dir } = edge
  project.provide('edge', { origin, token, port, dir })
  return () => edge.stop()
}
