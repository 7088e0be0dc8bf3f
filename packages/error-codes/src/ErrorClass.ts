/**
 * What a client should do about an error: the classes every MWS error code
 * falls into, and the fallback that classifies a code by its HTTP status.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Every class, in the order the docs present them.
 *
 * - `transient`: a temporary service failure (500, 503 ServiceUnavailable, a
 *   broken input stream). Retry on the documented timeline.
 * - `throttled`: the operation's request bucket is empty (RequestThrottled).
 *   Wait for the bucket's restore interval, never retry at once.
 * - `quota-exceeded`: the hourly quota is spent (QuotaExceeded). Wait for the
 *   reset time, or give up when it is too far away.
 * - `not-ready`: the thing asked for is not ready yet (ReportNotReady). Ask
 *   again later.
 * - `integrity`: a Content-MD5 check failed or was missing.
 * - `auth`: credentials, signature or permission. Retrying cannot help.
 * - `client`: the request is wrong. Fix it; retrying cannot help.
 * - `unknown`: no automatic action is known to be safe. Not retried; hand it
 *   over for manual follow-up.
 *
 * @category models
 * @since 0.1.0
 */
export const all = [
  "transient",
  "throttled",
  "quota-exceeded",
  "not-ready",
  "integrity",
  "auth",
  "client",
  "unknown"
] as const

/**
 * The schema of an error class.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ErrorClass = Schema.Literals(all)

/**
 * One of the error classes in {@link all}.
 *
 * @category models
 * @since 0.1.0
 */
export type ErrorClass = typeof ErrorClass.Type

/**
 * One line per class saying what a client should do about it.
 *
 * @category models
 * @since 0.1.0
 */
export const advice: { readonly [C in ErrorClass]: string } = {
  transient: "Temporary service failure: retry at once, then after 1s, 4s, 10s and 30s.",
  throttled: "The operation's request bucket is empty: wait for its restore interval, never retry at once.",
  "quota-exceeded": "The hourly quota is spent: wait until it resets, or fail with the reset time.",
  "not-ready": "Not ready yet: ask again later.",
  integrity: "Content-MD5 missing or wrong: recompute it from the bytes; re-download a corrupted body.",
  auth: "Credentials, signature or permission: fix the account setup, retrying cannot help.",
  client: "The request is wrong: fix it, retrying cannot help.",
  unknown: "No automatic action is known to be safe: log it and hand it over for manual follow-up."
}

/**
 * Classes that a retry can fix (given the right wait). The others need a
 * change of request, credentials or a person.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isRetryable = (errorClass: ErrorClass): boolean =>
  errorClass === "transient" ||
  errorClass === "throttled" ||
  errorClass === "quota-exceeded" ||
  errorClass === "not-ready" ||
  errorClass === "integrity"

/**
 * Classifies a code the catalog does not know by its HTTP status alone:
 * 429 and 503 are `throttled` (the status every throttling API uses), other
 * 5xx are `transient`, other 4xx are `client`, and anything else (no status,
 * 1xx-3xx, nonsense) is `unknown`.
 *
 * A known code is never classified this way: MWS sends QuotaExceeded and
 * ServiceUnavailable as 503 too, and only the code tells them apart.
 *
 * @example
 * ```ts
 * import { ErrorClass } from "@mws-kit/error-codes"
 *
 * ErrorClass.fromHttpStatus(503) // "throttled"
 * ErrorClass.fromHttpStatus(502) // "transient"
 * ErrorClass.fromHttpStatus(418) // "client"
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromHttpStatus = (status: number | undefined): ErrorClass => {
  if (status === undefined || !Number.isInteger(status)) return "unknown"
  if (status === 429 || status === 503) return "throttled"
  if (status >= 500 && status <= 599) return "transient"
  if (status >= 400 && status <= 499) return "client"
  return "unknown"
}
