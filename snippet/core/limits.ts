/**
 * Limits an event must respect to be accepted by the worker. Shared by the snippet (which
 * trims props to fit, so one odd event never gets a whole batch refused) and the worker (which
 * refuses what does not fit).
 */
export const LIMITS = {
  /** Whole request body, in bytes (413 above). */
  bodyBytes: 512 * 1024,
  /** One event, serialised, in UTF-8 bytes. */
  eventBytes: 32 * 1024,
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
  /** `evicted` / `dropped` reported with one batch: the largest outbox a site can configure. */
  lossPerBatch: 100_000,
} as const
