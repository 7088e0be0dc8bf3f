/**
 * The typed failure for an error response whose body is not an MWS error:
 * an HTML page from a load balancer, an empty or truncated body, JSON,
 * binary, hostile XML. It keeps what a caller needs to act and to report:
 * the HTTP status (and the class it implies), the content type, the request
 * id from the headers and a short, bounded excerpt of the body.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as ErrorClass from "./ErrorClass.ts"
import { Integer } from "./internal/numbers.ts"
import { QuotaHeaders, RetryHint } from "./QuotaInfo.ts"

/**
 * Why a body could not be read as an MWS error.
 *
 * - `empty`: no body at all, or only white space;
 * - `too-large`: over the parser's size limit, rejected before parsing;
 * - `binary`: not valid UTF-8 text, or holds NUL characters;
 * - `html`: an HTML page (a proxy's or load balancer's error page);
 * - `json`: a JSON document;
 * - `not-xml`: text that is not XML at all;
 * - `malformed-xml`: XML that is not well formed (truncated, mismatched tags);
 * - `doctype`: XML with a DOCTYPE or entity declaration, refused outright;
 * - `too-deep`: XML nested deeper than the parser's limit;
 * - `unsafe-name`: XML with a tag named `__proto__`, `constructor` or `prototype`;
 * - `not-an-error-response`: well-formed XML without an `<Error>` that has a `<Code>`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Reason = Schema.Literals([
  "empty",
  "too-large",
  "binary",
  "html",
  "json",
  "not-xml",
  "malformed-xml",
  "doctype",
  "too-deep",
  "unsafe-name",
  "not-an-error-response"
])

/**
 * Why a body could not be read as an MWS error.
 *
 * @category models
 * @since 0.1.0
 */
export type Reason = typeof Reason.Type

/**
 * A response body that is not an MWS error. `errorClass` is the class its
 * HTTP status implies ({@link ErrorClass.fromHttpStatus}), so a 503 page from a
 * proxy is still handled as a 503. `excerpt` is the start of the body,
 * bounded and with control characters replaced; `problem` is what the parser
 * found wrong, bounded too.
 *
 * @category errors
 * @since 0.1.0
 */
export class UnparseableErrorBody extends Schema.TaggedError<UnparseableErrorBody>()("UnparseableErrorBody", {
  reason: Reason,
  errorClass: ErrorClass.ErrorClass,
  httpStatus: Schema.optionalKey(Integer),
  contentType: Schema.optionalKey(Schema.String),
  requestId: Schema.optionalKey(Schema.String),
  requestTimestamp: Schema.optionalKey(Schema.String),
  serverTimestamp: Schema.optionalKey(Schema.String),
  section: Schema.optionalKey(Schema.String),
  operation: Schema.optionalKey(Schema.String),
  bodyBytes: Integer,
  excerpt: Schema.String,
  problem: Schema.optionalKey(Schema.String),
  quota: Schema.optionalKey(QuotaHeaders),
  retryHint: Schema.optionalKey(RetryHint)
}) {
  /** The printed form: reason, status, RequestId, Timestamp and the excerpt. */
  override get message(): string {
    return format(this)
  }

  override toString(): string {
    return format(this)
  }
}

/**
 * Whether a value is an {@link UnparseableErrorBody}.
 *
 * @category guards
 * @since 0.1.0
 */
export const isUnparseableErrorBody = (u: unknown): u is UnparseableErrorBody => u instanceof UnparseableErrorBody

/**
 * The printed form: `Unparseable error body (html): HTTP 502, RequestId ...,
 * Timestamp ...; body starts "<html>..."`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (error: Omit<UnparseableErrorBody, "message">): string => {
  const status = error.httpStatus === undefined ? "HTTP status unknown" : `HTTP ${error.httpStatus}`
  const timestamp =
    error.requestTimestamp ?? (error.serverTimestamp === undefined ? "unknown" : `${error.serverTimestamp} (server)`)
  const problem = error.problem === undefined ? "" : `: ${error.problem}`
  const excerpt = error.excerpt === "" ? "" : `; body starts ${JSON.stringify(error.excerpt)}`
  return `Unparseable error body (${error.reason}${problem}): ${status}, RequestId ${error.requestId ?? "unknown"}, Timestamp ${timestamp}${excerpt}`
}

/**
 * Serialises the failure to plain JSON-safe data.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encode = Schema.encodeSync(UnparseableErrorBody)

/**
 * Decodes serialised data back into an {@link UnparseableErrorBody}.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decode = Schema.decodeUnknownEffect(UnparseableErrorBody)
