/**
 * Which attempt of a retried call is running, readable inside the retried
 * effect: the request ledger records it on every row.
 *
 * @since 0.1.0
 */
import { Context } from "effect"

/**
 * The running attempt: its number (1 for the first call) and the wait the
 * policy chose before it (0 for the first).
 *
 * @category models
 * @since 0.1.0
 */
export interface Attempt {
  readonly attempt: number
  readonly delayBeforeMs: number
}

/**
 * The running attempt. `RetryPolicy.retry` provides it to every attempt;
 * outside a retried effect it reads as the first attempt with no wait.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { CurrentAttempt, RetryPolicy } from "@mws-kit/backoff-policy"
 *
 * declare const send: Effect.Effect<string, Error>
 *
 * const call = Effect.gen(function*() {
 *   const { attempt, delayBeforeMs } = yield* CurrentAttempt.CurrentAttempt
 *   yield* Effect.logDebug(`attempt ${attempt} after ${delayBeforeMs}ms`)
 *   return yield* send
 * }).pipe(RetryPolicy.retry())
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export class CurrentAttempt extends Context.Reference<Attempt>("@mws-kit/backoff-policy/CurrentAttempt", {
  defaultValue: () => first
}) {}

/**
 * The first attempt, with no wait before it.
 *
 * @category constants
 * @since 0.1.0
 */
export const first: Attempt = { attempt: 1, delayBeforeMs: 0 }
