/**
 * The final failure of a call the policy retried and then gave up on (or
 * refused to wait for): every attempt with its RequestId, Timestamp, code
 * and the wait before it, marked for manual follow-up as the MWS guide asks
 * ("log the error and proceed with a manual follow-up").
 *
 * @since 0.1.0
 */
import { ErrorClass } from "@mws-kit/error-codes"
import { Schema } from "effect"
import { StopReason } from "./RetryDecision.ts"

/**
 * One failed attempt, as support needs it.
 *
 * - `attempt`: 1 for the first call;
 * - `delayBeforeMs`: the wait before this attempt (0 for the first);
 * - `failedAt`: when the failure was seen, ISO 8601 (local clock);
 * - `requestId`, `timestamp` (the request's Timestamp parameter, else the
 *   server's), `code`, `errorClass`, `httpStatus`: from the error.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AttemptRecord = Schema.Struct({
  attempt: Schema.Int,
  delayBeforeMs: Schema.Finite,
  failedAt: Schema.String,
  errorClass: ErrorClass.ErrorClass,
  code: Schema.optionalKey(Schema.String),
  requestId: Schema.optionalKey(Schema.String),
  timestamp: Schema.optionalKey(Schema.String),
  httpStatus: Schema.optionalKey(Schema.Int)
})

/**
 * One failed attempt.
 *
 * @category models
 * @since 0.1.0
 */
export type AttemptRecord = typeof AttemptRecord.Type

/**
 * The policy gave up.
 *
 * - `reason`: why it stopped (`exhausted`, `budget-empty`, `elapsed-limit`,
 *   `quota-reset-too-far`, or `not-retryable` / `ambiguous` when a later
 *   attempt failed in a way that is not retried);
 * - `attempts`: every failed attempt, in order;
 * - `manualFollowUp`: always `true`;
 * - `resetsAt`: when the hourly quota resets (ISO 8601), when the last error
 *   was QuotaExceeded;
 * - `elapsedMs`: from the first attempt to the give-up;
 * - `lastError`: the last attempt's error, unchanged.
 *
 * An error that is not retried at its first attempt (a 4xx, say) is not
 * wrapped: it fails the call as it is.
 *
 * @category errors
 * @since 0.1.0
 */
export class RetryGaveUp extends Schema.TaggedError<RetryGaveUp>()("RetryGaveUp", {
  reason: StopReason,
  attempts: Schema.Array(AttemptRecord),
  manualFollowUp: Schema.Literal(true),
  elapsedMs: Schema.Finite,
  resetsAt: Schema.optionalKey(Schema.String),
  lastError: Schema.Unknown
}) {
  /** The printed form: reason, attempt count and every attempt's RequestId and Timestamp. */
  override get message(): string {
    return format(this)
  }

  override toString(): string {
    return format(this)
  }
}

/**
 * A {@link RetryGaveUp} whose last error has a known type.
 *
 * @category models
 * @since 0.1.0
 */
export type RetryGaveUpWith<E> = RetryGaveUp & { readonly lastError: E }

/**
 * Whether a value is a {@link RetryGaveUp}.
 *
 * @category guards
 * @since 0.1.0
 */
export const isRetryGaveUp = (u: unknown): u is RetryGaveUp => u instanceof RetryGaveUp

/**
 * The printed form: `Gave up after 6 attempts (exhausted), manual follow-up
 * needed: #1 InternalError RequestId r-1 Timestamp t-1; #2 ...`. It holds
 * codes and identifiers only, never a request parameter.
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (error: Pick<RetryGaveUp, "reason" | "attempts" | "resetsAt">): string => {
  const attempts = error.attempts
    .map(
      (a) =>
        `#${a.attempt} ${a.code ?? a.errorClass} RequestId ${a.requestId ?? "unknown"} Timestamp ${a.timestamp ?? "unknown"}`
    )
    .join("; ")
  const reset = error.resetsAt === undefined ? "" : `, quota resets at ${error.resetsAt}`
  const count = error.attempts.length === 1 ? "1 attempt" : `${error.attempts.length} attempts`
  return `Gave up after ${count} (${error.reason}${reset}), manual follow-up needed: ${attempts}`
}
