/**
 * @module store/journeys: how many sessions journeys read (the newest of the period); the
 * sessions' pages come from the rollups (store/rolled.ts).
 */

/** Sessions read for journeys: the newest of the period. */
export const JOURNEY_SESSIONS = 5000
