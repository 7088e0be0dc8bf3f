/**
 * What the policy decided after one failed attempt: retry after a wait, and
 * why, or stop, and why. Every decision goes to a debug log line, the
 * current span and the `onDecision` callback (which a ledger subscribes to).
 *
 * @since 0.1.0
 */
import { ErrorClass } from "@mws-kit/error-codes"
import { Schema } from "effect"
import type { Classification } from "./Classifier.ts"

/**
 * Why the policy retries.
 *
 * - `immediate`: the timeline's immediate retry (a zero wait);
 * - `timeline`: a transient error, waiting the timeline's next delay;
 * - `throttled`: RequestThrottled, waiting the operation's restore interval;
 * - `quota-reset`: QuotaExceeded, waiting until the hourly quota resets;
 * - `integrity`: a corrupted download (Content-MD5 mismatch), fetched again;
 * - `not-ready`: a not-ready answer, asked again (only when configured).
 *
 * @category schemas
 * @since 0.1.0
 */
export const RetryReason = Schema.Literals([
  "immediate",
  "timeline",
  "throttled",
  "quota-reset",
  "integrity",
  "not-ready"
])

/**
 * Why the policy retries.
 *
 * @category models
 * @since 0.1.0
 */
export type RetryReason = typeof RetryReason.Type

/**
 * Why the policy stops.
 *
 * - `not-retryable`: the class is never retried (client, auth, unknown; not
 *   ready unless configured);
 * - `ambiguous`: the request may have been processed and the operation is
 *   not idempotent;
 * - `exhausted`: the class's retries are used up;
 * - `budget-empty`: the process-wide retry budget refused the retry;
 * - `elapsed-limit`: the next wait would pass the total elapsed-time limit;
 * - `quota-reset-too-far`: the hourly quota resets later than the caller
 *   accepts to wait.
 *
 * @category schemas
 * @since 0.1.0
 */
export const StopReason = Schema.Literals([
  "not-retryable",
  "ambiguous",
  "exhausted",
  "budget-empty",
  "elapsed-limit",
  "quota-reset-too-far"
])

/**
 * Why the policy stops.
 *
 * @category models
 * @since 0.1.0
 */
export type StopReason = typeof StopReason.Type

/**
 * One decision, as plain data (a ledger row or a log line can store it).
 *
 * - `attempt`: the attempt that just failed (1 for the first call);
 * - `action`: `retry` or `stop`;
 * - `delayMs`: the wait before the next attempt (0 when stopping);
 * - `hinted`: the server's hint (reset time, Retry-After) set the wait;
 * - `elapsedMs`: time since the call started;
 * - `budgetTokens`: tokens left in the retry budget after this decision;
 * - the error's class, code, RequestId, request Timestamp, HTTP status and
 *   operation, as the classifier saw them.
 *
 * @category schemas
 * @since 0.1.0
 */
export const RetryDecision = Schema.Struct({
  attempt: Schema.Int,
  action: Schema.Literals(["retry", "stop"]),
  reason: Schema.Union([RetryReason, StopReason]),
  delayMs: Schema.Finite,
  hinted: Schema.Boolean,
  elapsedMs: Schema.Finite,
  budgetTokens: Schema.optionalKey(Schema.Finite),
  errorClass: ErrorClass.ErrorClass,
  code: Schema.optionalKey(Schema.String),
  requestId: Schema.optionalKey(Schema.String),
  timestamp: Schema.optionalKey(Schema.String),
  httpStatus: Schema.optionalKey(Schema.Int),
  operation: Schema.optionalKey(Schema.String)
})

/**
 * One decision.
 *
 * @category models
 * @since 0.1.0
 */
export type RetryDecision = typeof RetryDecision.Type

/**
 * How a failed attempt ends, by the policy's rule, which is the one a
 * ledger records:
 * - `retried`: another attempt follows;
 * - `failed`: the call fails with this error, unchanged (it was not
 *   retryable, or ambiguous for a non-idempotent call, at the first attempt);
 * - `gave-up`: the call fails with a `RetryGaveUp` listing every attempt.
 *
 * @category models
 * @since 0.2.0
 */
export type AttemptEnding = "retried" | "failed" | "gave-up"

/**
 * The failed attempt a decision is about, handed to `onDecision` beside the
 * decision: its error, the classification the policy made of it (once; a
 * caller has no need to classify it again) and how the attempt ends.
 *
 * @category models
 * @since 0.2.0
 */
export interface DecidedAttempt<E = unknown> {
  readonly error: E
  readonly classification: Classification
  readonly ending: AttemptEnding
}

/**
 * The span attributes a decision sets on the current span (the last
 * decision's values remain; each decision is also recorded as a span event
 * named `retry.decision`).
 *
 * @category getters
 * @since 0.1.0
 */
export const spanAttributes = (decision: RetryDecision): Record<string, string | number | boolean> => {
  const attributes: Record<string, string | number | boolean> = {
    "retry.attempt": decision.attempt,
    "retry.action": decision.action,
    "retry.reason": decision.reason,
    "retry.delay_ms": decision.delayMs,
    "retry.hinted": decision.hinted,
    "retry.elapsed_ms": decision.elapsedMs,
    "retry.error_class": decision.errorClass
  }
  if (decision.budgetTokens !== undefined) attributes["retry.budget_tokens"] = decision.budgetTokens
  if (decision.code !== undefined) attributes["retry.code"] = decision.code
  if (decision.requestId !== undefined) attributes["retry.request_id"] = decision.requestId
  if (decision.operation !== undefined) attributes["retry.operation"] = decision.operation
  return attributes
}

/**
 * A one-line description: `attempt 2 failed (transient InternalError,
 * RequestId r-2): retry in 1000ms (timeline)`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (decision: RetryDecision): string => {
  const what = [decision.errorClass, decision.code].filter((x) => x !== undefined).join(" ")
  const id = decision.requestId === undefined ? "" : `, RequestId ${decision.requestId}`
  const next =
    decision.action === "retry"
      ? `retry in ${decision.delayMs}ms (${decision.reason}${decision.hinted ? ", server hint" : ""})`
      : `stop (${decision.reason})`
  return `attempt ${decision.attempt} failed (${what}${id}): ${next}`
}
