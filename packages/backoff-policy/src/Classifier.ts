/**
 * How the retry policy sees an error: its class, whether the request may
 * have been processed, the server's hint about when to try again, and the
 * identifiers an attempt record keeps. A classifier turns any error type into
 * this view; the default one reads the `@mws-kit/error-codes` errors.
 *
 * @since 0.1.0
 */
import { type ErrorClass, MwsError, type QuotaInfo, UnparseableErrorBody } from "@mws-kit/error-codes"

/**
 * The policy's view of one failed attempt.
 *
 * - `errorClass` decides the wait (see `RetryPolicy`).
 * - `ambiguous`: the request may have been processed (a timeout or a
 *   connection reset after the request was sent, a 500 or a gateway error).
 *   A non-idempotent call is not retried after an ambiguous failure unless
 *   the caller opts in.
 * - `transport`: the failure happened below HTTP (timeout, reset, refused
 *   connection). It costs the retry budget's timeout cost instead of the
 *   retry cost, as the AWS SDK charges timeouts more.
 * - `retryHint`: when the server says the request may succeed again (a quota
 *   reset time, a Retry-After). Honoured, capped.
 * - `code`, `requestId`, `timestamp` (the request's own Timestamp parameter),
 *   `httpStatus` and `operation` are copied into the attempt record and the
 *   decision; `operation` also selects the throttled restore interval.
 *
 * A transport failure, for a client that composes this policy: return
 * `{ errorClass: "transient", transport: true, ambiguous }` with `ambiguous`
 * false when the request provably never left (connection refused, DNS
 * failure) and true once it may have been sent (timeout, reset after send).
 *
 * @category models
 * @since 0.1.0
 */
export interface Classification {
  readonly errorClass: ErrorClass.ErrorClass
  readonly ambiguous?: boolean | undefined
  readonly transport?: boolean | undefined
  readonly retryHint?: QuotaInfo.RetryHint | undefined
  readonly code?: string | undefined
  readonly requestId?: string | undefined
  readonly timestamp?: string | undefined
  readonly httpStatus?: number | undefined
  readonly operation?: string | undefined
}

/**
 * Turns an error into the policy's view of it. It must not throw.
 *
 * @category models
 * @since 0.1.0
 */
export type Classifier<E> = (error: E) => Classification

/**
 * The view of an error nobody classified: class `unknown`, never retried.
 *
 * @category constructors
 * @since 0.1.0
 */
export const unknown: Classification = { errorClass: "unknown" }

/**
 * Operations whose Content-MD5 mismatch comes from the upload the caller
 * built (the feed body), not from a corrupted download. The MWS guide's "up
 * to three more times" applies to downloads (DG_MD5, GetReport and
 * GetFeedSubmissionResult); resending the same bytes to SubmitFeed fails the
 * same way (mws-facts 4.3: the usual cause is an MD5 computed over a drained
 * stream).
 *
 * @category constants
 * @since 0.1.0
 */
export const UPLOAD_OPERATIONS: ReadonlySet<string> = new Set(["SubmitFeed"])

const ambiguousStatus = (status: number | undefined): boolean =>
  status !== undefined && status >= 500 && status <= 599 && status !== 503

const hintOf = (error: {
  readonly retryHint?: QuotaInfo.RetryHint
  readonly quota?: QuotaInfo.QuotaHeaders
}): QuotaInfo.RetryHint | undefined => {
  if (error.retryHint !== undefined) return error.retryHint
  const resetsOn = error.quota?.resetsOn
  return resetsOn === undefined ? undefined : { resetsAt: resetsOn, source: "quota-header" }
}

/**
 * The view of an `MwsError`:
 *
 * - the class is the error's `errorClass`;
 * - the hint is its `retryHint`, else the `x-mws-quota-resetsOn` header;
 * - a transient error with a 5xx status other than 503 is `ambiguous` (the
 *   service may have acted before it failed); a 503 (throttling, quota,
 *   ServiceUnavailable) and a 400 InputStreamDisconnected prove nothing was
 *   processed;
 * - `ContentMD5Missing`, and a Content-MD5 mismatch on an upload
 *   ({@link UPLOAD_OPERATIONS}), are seen as `client` errors: the request
 *   itself is wrong and a retry sends it again unchanged. Only a corrupted
 *   download is an `integrity` error that a retry can fix.
 *
 * @example
 * ```ts
 * import { MwsError } from "@mws-kit/error-codes"
 * import { Classifier } from "@mws-kit/backoff-policy"
 *
 * Classifier.fromMwsError(MwsError.make({ code: "InternalError", httpStatus: 500 }))
 * // { errorClass: "transient", ambiguous: true, code: "InternalError", httpStatus: 500, ... }
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromMwsError = (error: MwsError.MwsError): Classification => {
  let errorClass = error.errorClass
  if (
    errorClass === "integrity" &&
    (error.code === "ContentMD5Missing" || (error.operation !== undefined && UPLOAD_OPERATIONS.has(error.operation)))
  ) {
    errorClass = "client"
  }
  return {
    errorClass,
    ambiguous: errorClass === "transient" && ambiguousStatus(error.httpStatus),
    retryHint: hintOf(error),
    code: error.code,
    requestId: error.requestId,
    timestamp: error.requestTimestamp ?? error.serverTimestamp,
    httpStatus: error.httpStatus,
    operation: error.operation
  }
}

/**
 * The view of an `UnparseableErrorBody` (an HTML page from a proxy, an empty
 * or truncated body): its class comes from the HTTP status, and a 5xx other
 * than 503 is `ambiguous`. Its code is `Unparseable:<reason>`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromUnparseableErrorBody = (error: UnparseableErrorBody.UnparseableErrorBody): Classification => ({
  errorClass: error.errorClass,
  ambiguous: error.errorClass === "transient" && ambiguousStatus(error.httpStatus),
  retryHint: hintOf(error),
  code: `Unparseable:${error.reason}`,
  requestId: error.requestId,
  timestamp: error.requestTimestamp ?? error.serverTimestamp,
  httpStatus: error.httpStatus,
  operation: error.operation
})

/**
 * The default classifier: `MwsError` and `UnparseableErrorBody` by their
 * fields, anything else as `unknown` (not retried). Pass your own classifier
 * for other error types.
 *
 * @category constructors
 * @since 0.1.0
 */
export const mws: Classifier<unknown> = (error) => {
  if (MwsError.isMwsError(error)) return fromMwsError(error)
  if (UnparseableErrorBody.isUnparseableErrorBody(error)) return fromUnparseableErrorBody(error)
  return unknown
}

/**
 * A classifier that tries `primary` first and falls back to {@link mws} when
 * it returns `undefined`: for an effect that fails with MWS errors and your
 * own (a transport error, say).
 *
 * @example
 * ```ts
 * import { Data } from "effect"
 * import { Classifier } from "@mws-kit/backoff-policy"
 *
 * class Timeout extends Data.TaggedError("Timeout")<{ readonly sent: boolean }> {}
 *
 * const classify = Classifier.orMws((e: unknown) =>
 *   e instanceof Timeout ? { errorClass: "transient", transport: true, ambiguous: e.sent } : undefined
 * )
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const orMws =
  <E>(primary: (error: E) => Classification | undefined): Classifier<E> =>
  (error) =>
    primary(error) ?? mws(error)
