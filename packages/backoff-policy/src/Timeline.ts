/**
 * The documented MWS retry timeline (one immediate retry, then 1s, 4s, 10s
 * and 30s) as data and as an Effect `Schedule`, with optional jitter.
 *
 * @since 0.1.0
 */
import { Cause, Duration, Effect, Random, Schedule } from "effect"
import * as Jitter from "./Jitter.ts"

/**
 * The documented timeline: the wait before each retry of a 500/503 service
 * error. MWS Developer Guide, "Handling errors" (DG_Errors): "you can
 * immediately retry after the first error response ... exponential backoff
 * ... with up to four retries ... For example ... 1s, 4s, 10s, 30s". So five
 * retries in all (six attempts): at 0, 1, 4, 10 and 30 seconds after the
 * previous failure.
 *
 * @category constants
 * @since 0.1.0
 */
export const DOCUMENTED_DELAYS: ReadonlyArray<Duration.Duration> = [
  Duration.zero,
  Duration.seconds(1),
  Duration.seconds(4),
  Duration.seconds(10),
  Duration.seconds(30)
]

/**
 * The cap applied after jitter when none is given: 30 seconds, the longest
 * wait of the documented timeline, so no jitter strategy ever waits longer
 * than the documented schedule does.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MAX_DELAY: Duration.Duration = Duration.seconds(30)

/**
 * Options of a timeline.
 *
 * - `delays`: the wait before each retry (default {@link DOCUMENTED_DELAYS});
 *   its length is the number of retries;
 * - `immediateRetry`: keep (default) or drop a leading zero delay;
 * - `jitter`: default `"none"`;
 * - `maxDelay`: the cap applied after jitter (default {@link DEFAULT_MAX_DELAY}).
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly delays?: ReadonlyArray<Duration.Input> | undefined
  readonly immediateRetry?: boolean | undefined
  readonly jitter?: Jitter.Jitter | undefined
  readonly maxDelay?: Duration.Input | undefined
}

/**
 * A timeline resolved to milliseconds.
 *
 * @category models
 * @since 0.1.0
 */
export interface Timeline {
  readonly delaysMs: ReadonlyArray<number>
  readonly jitter: Jitter.Jitter
  readonly capMs: number
  /** The smallest non-zero delay: decorrelated jitter's floor. */
  readonly baseMs: number
}

const toMillis = (input: Duration.Input, name: string): number => {
  const ms = Duration.toMillis(Duration.fromInputUnsafe(input))
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`${name} must be a finite, non-negative duration`)
  return ms
}

/**
 * Resolves timeline options to milliseconds. Throws an `Error` naming the
 * option on a negative or infinite delay.
 *
 * @example
 * ```ts
 * import { Timeline } from "@mws-kit/backoff-policy"
 *
 * Timeline.make().delaysMs                           // [0, 1000, 4000, 10000, 30000]
 * Timeline.make({ immediateRetry: false }).delaysMs  // [1000, 4000, 10000, 30000]
 * Timeline.make({ delays: ["200 millis", "2 seconds"] }).delaysMs // [200, 2000]
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: Options = {}): Timeline => {
  let delaysMs = (options.delays ?? DOCUMENTED_DELAYS).map((d, i) => toMillis(d, `delays[${i}]`))
  if (options.immediateRetry === false && delaysMs[0] === 0) delaysMs = delaysMs.slice(1)
  if (options.immediateRetry === true && delaysMs[0] !== 0) delaysMs = [0, ...delaysMs]
  const capMs =
    options.maxDelay === undefined ? Duration.toMillis(DEFAULT_MAX_DELAY) : toMillis(options.maxDelay, "maxDelay")
  const nonZero = delaysMs.filter((d) => d > 0)
  return {
    delaysMs,
    jitter: options.jitter ?? "none",
    capMs,
    baseMs: nonZero.length === 0 ? 0 : Math.min(...nonZero)
  }
}

/**
 * The documented timeline, resolved.
 *
 * @category constants
 * @since 0.1.0
 */
export const documented: Timeline = make()

/**
 * The wait before retry number `index` (0-based), jittered with `random`,
 * given the previous jittered wait (decorrelated jitter's state; `undefined`
 * or 0, as after the immediate retry, starts again from the base).
 *
 * @category getters
 * @since 0.1.0
 */
export const delayAt = (timeline: Timeline, index: number, previousMs: number | undefined, random: number): number => {
  const delayMs = timeline.delaysMs[Math.min(index, timeline.delaysMs.length - 1)] ?? 0
  return Jitter.apply(
    timeline.jitter,
    {
      delayMs,
      baseMs: timeline.baseMs,
      previousMs: previousMs === undefined || previousMs <= 0 ? timeline.baseMs : previousMs,
      capMs: timeline.capMs
    },
    random
  )
}

/**
 * The timeline as an Effect `Schedule`, for plain `Effect.retry` or
 * `Effect.repeat`: it recurs once per delay and then stops; each output is
 * the wait it chose. It retries every failure: for class-aware waits, a
 * retry budget and the final failure with every attempt, use
 * `RetryPolicy.retry`. Jitter reads the `Random` service, so
 * `Random.withSeed` makes it deterministic.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Timeline } from "@mws-kit/backoff-policy"
 *
 * declare const call: Effect.Effect<string, Error>
 *
 * // at most 5 retries: at once, then after 1s, 4s, 10s and 30s
 * const retried = call.pipe(Effect.retry(Timeline.schedule()))
 * const jittered = call.pipe(Effect.retry(Timeline.schedule({ jitter: "full", immediateRetry: false })))
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const schedule = (options: Options | Timeline = {}): Schedule.Schedule<Duration.Duration> => {
  const timeline = "delaysMs" in options ? options : make(options)
  return Schedule.fromStep(
    Effect.sync(() => {
      let index = 0
      let previousMs: number | undefined
      return (_now: number, _input: unknown) => {
        if (index >= timeline.delaysMs.length) return Cause.done(Duration.millis(previousMs ?? 0))
        return Random.Random.useSync((random) => {
          const ms = delayAt(timeline, index++, previousMs, timeline.jitter === "none" ? 0 : random.nextDoubleUnsafe())
          previousMs = ms
          const duration = Duration.millis(ms)
          return [duration, duration] as [Duration.Duration, Duration.Duration]
        })
      }
    })
  )
}
