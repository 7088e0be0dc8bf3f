/**
 * How much of a response the client reads. Bodies are read as a stream and
 * the read stops at a cap, so a runaway body (a proxy's endless page, a
 * report far bigger than expected) costs the cap, never the whole body:
 * error bodies stop at the error parser's cap, success bodies at
 * {@link DEFAULT_MAX_RESPONSE_BYTES} (`MWS_MAX_RESPONSE_BYTES`). Over the
 * cap, a success body ends the call with {@link ResponseTooLarge}, which
 * keeps the response's RequestId for the ledger and support.
 *
 * @since 0.2.0
 */
import { Limits } from "@mws-kit/xml-error-parser"
import { Schema } from "effect"

/**
 * The largest success body read into memory: 64 MiB. MWS pages (ListOrders,
 * ListOrderItems...) are tens of kilobytes; the documents that are larger are
 * reports and feed results, which MWS caps at 2 GB but which sellers'
 * reports usually keep under a few megabytes (Reports_GetReport: "reports
 * can be very large"); 64 MiB holds those with room and keeps a mistaken
 * 200 MB body from taking hundreds of megabytes of memory (issue 13).
 * Raise it with `MWS_MAX_RESPONSE_BYTES` for larger reports.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024

/**
 * The most of an error body (a status outside 2xx) that is read: the error
 * parser's own cap, plus one byte so that it can tell "too large" from
 * "exactly at the cap". An MWS error body is under a kilobyte.
 *
 * @category constants
 * @since 0.2.0
 */
export const MAX_ERROR_BODY_BYTES = Limits.DEFAULT_MAX_BODY_BYTES + 1

/**
 * A success response whose body is larger than the cap. The read stopped at
 * the cap and the connection was closed; the call is not retried (the next
 * answer would be as large). `requestId` and `httpStatus` come from the
 * response's headers, so the ledger row and support still name the request.
 *
 * @category errors
 * @since 0.2.0
 */
export class ResponseTooLarge extends Schema.TaggedError<ResponseTooLarge>()("ResponseTooLarge", {
  section: Schema.String,
  operation: Schema.String,
  httpStatus: Schema.Int,
  limitBytes: Schema.Int,
  /** The body's declared size (`Content-Length`), when the server sent one. */
  declaredBytes: Schema.optionalKey(Schema.Int),
  requestId: Schema.optionalKey(Schema.String),
  requestTimestamp: Schema.String
}) {
  override get message(): string {
    const declared = this.declaredBytes === undefined ? "" : ` (declared ${this.declaredBytes} bytes)`
    return (
      `ResponseTooLarge: the body of ${this.section}/${this.operation} is over ${this.limitBytes} bytes${declared}; ` +
      `raise MWS_MAX_RESPONSE_BYTES to read it (HTTP ${this.httpStatus}, RequestId ${this.requestId ?? "unknown"}, ` +
      `Timestamp ${this.requestTimestamp})`
    )
  }
}

/**
 * Whether a value is a {@link ResponseTooLarge}.
 *
 * @category predicates
 * @since 0.2.0
 */
export const isResponseTooLarge = (value: unknown): value is ResponseTooLarge => value instanceof ResponseTooLarge
