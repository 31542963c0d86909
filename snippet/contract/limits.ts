/**
 * Limits an event must respect to be accepted by the worker. Shared by the snippet (which
 * trims props to fit, so one odd event never gets a whole batch refused) and the worker (which
 * refuses what does not fit).
 */
export const LIMITS = {
  /** Whole request body, in bytes (413 above). */
  bodyBytes: 512 * 1024,
  /** One event, serialised, in bytes (UTF-8). The snippet drops a bigger one alone, as `dropped`. */
  eventBytes: 32 * 1024,
  /** Most events one batch may report as `evicted`, and as `dropped` (400 above). */
  lossPerBatch: 100_000,
  eventsPerBatch: 500,
  idLength: 64,
  typeLength: 40,
  nameLength: 200,
  urlLength: 2048,
  stringLength: 1024,
  keyLength: 64,
  keysPerObject: 50,
  arrayLength: 50,
  depth: 4,
} as const
