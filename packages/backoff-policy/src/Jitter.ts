/**
 * Jitter strategies for backoff delays: none, full, equal and decorrelated,
 * as pure functions of a random number in [0, 1), with the cap applied after
 * the jitter.
 *
 * Formulas from Marc Brooker, "Exponential Backoff And Jitter" (AWS
 * Architecture Blog, 2015, updated 2023) and its simulator
 * (aws-samples/aws-arch-backoff-simulator), where `delay` is the un-jittered
 * delay of this step:
 *
 * - none: `delay`
 * - full: `random_between(0, delay)`
 * - equal: `delay / 2 + random_between(0, delay / 2)`
 * - decorrelated: `random_between(base, previous * 3)`, starting from
 *   `previous = base`
 *
 * then `min(cap, ...)`. A zero delay (the documented immediate retry) stays
 * zero under every strategy. Results are whole milliseconds (floored).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The jitter strategies.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Jitter = Schema.Literals(["none", "full", "equal", "decorrelated"])

/**
 * A jitter strategy.
 *
 * @category models
 * @since 0.1.0
 */
export type Jitter = typeof Jitter.Type

/**
 * What one jittered step needs.
 *
 * - `delayMs`: the un-jittered delay of this step (the timeline's);
 * - `baseMs`: the smallest non-zero delay (decorrelated jitter's floor);
 * - `previousMs`: the previous jittered delay (decorrelated jitter's state;
 *   `baseMs` for the first step);
 * - `capMs`: the largest delay allowed, applied after the jitter.
 *
 * @category models
 * @since 0.1.0
 */
export interface Step {
  readonly delayMs: number
  readonly baseMs: number
  readonly previousMs: number
  readonly capMs: number
}

/**
 * The jittered delay of one step, in whole milliseconds, given a random
 * number in [0, 1).
 *
 * @example
 * ```ts
 * import { Jitter } from "@mws-kit/backoff-policy"
 *
 * const step = { delayMs: 4000, baseMs: 1000, previousMs: 1000, capMs: 30_000 }
 * Jitter.apply("none", step, 0.5)         // 4000
 * Jitter.apply("full", step, 0.5)         // 2000
 * Jitter.apply("equal", step, 0.5)        // 3000
 * Jitter.apply("decorrelated", step, 0.5) // 2000 (between 1000 and 3 * 1000)
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const apply = (jitter: Jitter, step: Step, random: number): number => {
  const { delayMs, capMs } = step
  if (delayMs <= 0) return 0
  switch (jitter) {
    case "none":
      return Math.floor(Math.min(capMs, delayMs))
    case "full":
      return Math.floor(Math.min(capMs, random * delayMs))
    case "equal":
      return Math.floor(Math.min(capMs, delayMs / 2 + (random * delayMs) / 2))
    case "decorrelated": {
      const low = step.baseMs
      const high = Math.max(low, step.previousMs * 3)
      return Math.floor(Math.min(capMs, low + random * (high - low)))
    }
  }
}
