/**
 * Turns an MWS error response (body, HTTP status, headers) into the typed
 * errors of `@mws-kit/error-codes`: an `MwsError` when the body is an
 * `ErrorResponse`, an `UnparseableErrorBody` otherwise. Total: it never
 * throws, whatever the body holds, and its cost is bounded by `Limits`.
 *
 * @since 0.1.0
 */
import {
  ErrorCatalog,
  ErrorClass,
  MwsCatalog,
  MwsError,
  type QuotaInfo,
  UnparseableErrorBody
} from "@mws-kit/error-codes"
import { Effect, Result } from "effect"
import { readErrorResponse } from "./internal/errorReader.ts"
import { sniff } from "./internal/sniff.ts"
import { excerptOf, toText } from "./internal/text.ts"
import { withoutStackTrace } from "./internal/withoutStackTrace.ts"
import * as Limits from "./Limits.ts"
import * as QuotaResetMessage from "./QuotaResetMessage.ts"
import * as ResponseHeaders from "./ResponseHeaders.ts"
import { hasDeclaration } from "./SafeXml.ts"

/**
 * One HTTP response to read, with what the caller knows about the request.
 *
 * @category models
 * @since 0.1.0
 */
export interface ResponseInput {
  /** The body as received: text, bytes, or nothing. */
  readonly body: string | Uint8Array | null | undefined
  /** The HTTP status. */
  readonly status: number
  /** The response headers, in any common shape. */
  readonly headers?: ResponseHeaders.HeadersInput | undefined
  /** The API section, when known ("Orders"): picks section-specific catalog entries. */
  readonly section?: string | undefined
  /** The operation, when known ("ListOrders"). */
  readonly operation?: string | undefined
  /** The request's own `Timestamp` parameter, as sent. */
  readonly requestTimestamp?: string | undefined
}

/**
 * Parser options: limits, and the catalog that classifies codes (the MWS
 * catalog unless another is given).
 *
 * @category models
 * @since 0.1.0
 */
export interface ParseOptions extends Limits.Limits {
  readonly catalog?: ErrorCatalog.ErrorCatalog
}

/**
 * What a response becomes: an `MwsError` (the first `<Error>`, the others in
 * its `additionalErrors`) or an `UnparseableErrorBody`.
 *
 * @category models
 * @since 0.1.0
 */
export type ResponseError = MwsError.MwsError | UnparseableErrorBody.UnparseableErrorBody

type Context = {
  readonly input: ResponseInput
  readonly headers: ResponseHeaders.NormalizedHeaders
  readonly headerRequestId: string | undefined
}

/** `<Type>` in any case; anything else (including `"__proto__"`) is the empty type. */
const errorType = (text: string): MwsError.ErrorType => {
  const lower = text.toLowerCase()
  return lower === "sender" ? "Sender" : lower === "receiver" ? "Receiver" : ""
}

const common = (context: Context) => {
  const { input, headers, headerRequestId } = context
  const serverTimestamp = ResponseHeaders.serverTimestamp(headers)
  const quota = ResponseHeaders.quota(headers)
  return {
    httpStatus: input.status,
    ...(headerRequestId === undefined ? {} : { requestId: headerRequestId }),
    ...(input.requestTimestamp === undefined ? {} : { requestTimestamp: input.requestTimestamp }),
    ...(serverTimestamp === undefined ? {} : { serverTimestamp }),
    ...(input.section === undefined ? {} : { section: input.section }),
    ...(input.operation === undefined ? {} : { operation: input.operation }),
    ...(quota === undefined ? {} : { quota })
  }
}

const unparseable = (
  context: Context,
  reason: UnparseableErrorBody.Reason,
  bodyBytes: number,
  excerpt: string,
  problem?: string
): UnparseableErrorBody.UnparseableErrorBody => {
  const contentType = ResponseHeaders.contentType(context.headers)
  const retryHint = ResponseHeaders.retryAfter(context.headers)
  return withoutStackTrace(
    () =>
      new UnparseableErrorBody.UnparseableErrorBody({
        reason,
        errorClass: ErrorClass.fromHttpStatus(context.input.status),
        ...common(context),
        ...(contentType === undefined ? {} : { contentType: excerptOf(contentType, 100) }),
        bodyBytes,
        excerpt,
        ...(problem === undefined ? {} : { problem }),
        ...(retryHint === undefined ? {} : { retryHint })
      })
  )
}

/** The hint a QuotaExceeded carries: the reset header, else the message; other errors: Retry-After. */
const retryHintFor = (
  code: string,
  message: string,
  quota: QuotaInfo.QuotaHeaders | undefined,
  headers: ResponseHeaders.NormalizedHeaders
): QuotaInfo.RetryHint | undefined => {
  if (code === "QuotaExceeded") {
    if (quota?.resetsOn !== undefined) return { resetsAt: quota.resetsOn, source: "quota-header" }
    const fromMessage = QuotaResetMessage.resetTime(message)
    if (fromMessage !== undefined) return { resetsAt: fromMessage, source: "message" }
  }
  return ResponseHeaders.retryAfter(headers)
}

const bounded = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…[truncated]` : text)

/**
 * Reads one response. A `Success` holds the `MwsError` the body describes; a
 * `Failure` holds the `UnparseableErrorBody` for anything else. Both carry the
 * HTTP status and the header request id. It never throws on any input; only
 * a broken configuration (a zero or fractional limit) throws, at once.
 *
 * @example
 * ```ts
 * import { ErrorResponse } from "@mws-kit/xml-error-parser"
 * import { Result } from "effect"
 *
 * const result = ErrorResponse.parse({
 *   status: 503,
 *   headers: { "x-mws-request-id": "7d3c6c3e" },
 *   body: `<ErrorResponse xmlns="https://mws.amazonservices.com/Orders/2013-09-01">
 *     <Error><Type></Type><Code>RequestThrottled</Code><Message>Request is throttled</Message></Error>
 *     <RequestID>7d3c6c3e</RequestID></ErrorResponse>`
 * })
 * if (Result.isSuccess(result)) result.success.errorClass // "throttled"
 * ```
 *
 * @category parsing
 * @since 0.1.0
 */
export const parse = (
  input: ResponseInput,
  options: ParseOptions = {}
): Result.Result<MwsError.MwsError, UnparseableErrorBody.UnparseableErrorBody> => {
  const limits = Limits.resolve(options) // a broken configuration throws here, before any input is read
  const headers = ResponseHeaders.normalize(input.headers)
  const context: Context = { input, headers, headerRequestId: ResponseHeaders.requestId(headers) }
  try {
    return parseChecked(context, limits, options.catalog ?? MwsCatalog.catalog)
  } catch (error) {
    // Nothing above is expected to throw; if something does, the caller still gets a typed value.
    const message = error instanceof Error ? error.message : String(error)
    return Result.fail(
      unparseable(context, "malformed-xml", 0, "", `internal parser failure: ${message.slice(0, 160)}`)
    )
  }
}

const parseChecked = (
  context: Context,
  limits: Limits.ResolvedLimits,
  catalog: ErrorCatalog.ErrorCatalog
): Result.Result<MwsError.MwsError, UnparseableErrorBody.UnparseableErrorBody> => {
  const body = toText(context.input.body, limits.maxBodyBytes)
  switch (body._tag) {
    case "TooLarge":
      return Result.fail(
        unparseable(context, "too-large", body.bytes, excerptOf(body.head), `over ${limits.maxBodyBytes} bytes`)
      )
    case "Binary":
      return Result.fail(unparseable(context, "binary", body.bytes, body.excerpt))
  }
  const reject = (reason: UnparseableErrorBody.Reason, problem?: string) =>
    Result.fail(unparseable(context, reason, body.bytes, excerptOf(body.text), problem))
  const kind = sniff(body.text, ResponseHeaders.contentType(context.headers))
  if (kind !== "xml") return reject(kind)
  // One pass reads the fields and checks well-formedness; it stops early on deep nesting. A body it
  // accepts holds no declaration (it refuses any "<!" markup but comments and CDATA); any other body
  // with one is refused as "doctype", whatever else is wrong with it.
  const read = readErrorResponse(body.text, limits.maxDepth)
  if (read._tag !== "ErrorResponse" && hasDeclaration(body.text)) {
    return reject("doctype", "DOCTYPE and entity declarations are refused")
  }
  if (read._tag === "TooDeep") return reject("too-deep", `nested deeper than ${limits.maxDepth} elements`)
  // Another root: not an MWS error, whatever else is wrong with it; no need to read further.
  if (read._tag === "Other") return reject("not-an-error-response", `the root element is <${read.root}>`)
  if (read._tag === "Malformed") return reject("malformed-xml", read.problem)
  if (read.errors.length === 0) return reject("not-an-error-response", "no <Error> with a <Code>")

  const { section, status } = context.input
  const [primary, ...others] = read.errors.map((fields) => {
    const { errorClass, known } = ErrorCatalog.classify(catalog, fields.code, status, section)
    const detail = fields.detail === undefined || fields.detail === "" ? undefined : fields.detail
    return {
      code: fields.code,
      type: errorType(fields.type),
      mwsMessage: fields.message ?? "",
      errorClass,
      known,
      ...(detail === undefined ? {} : { detail: bounded(detail, limits.maxDetailChars) })
    }
  })
  const base = common(context)
  const bodyRequestId = read.requestId
  const requestId = context.headerRequestId ?? bodyRequestId
  const retryHint = retryHintFor(primary!.code, primary!.mwsMessage, base.quota, context.headers)
  const messageQuota =
    primary!.code === "QuotaExceeded" && base.quota?.max === undefined
      ? QuotaResetMessage.hourlyQuota(primary!.mwsMessage)
      : undefined
  return Result.succeed(
    withoutStackTrace(
      () =>
        new MwsError.MwsError({
          ...primary!,
          ...base,
          ...(requestId === undefined ? {} : { requestId }),
          ...(context.headerRequestId !== undefined &&
          bodyRequestId !== undefined &&
          bodyRequestId !== context.headerRequestId
            ? { bodyRequestId }
            : {}),
          ...(messageQuota === undefined ? {} : { quota: { ...base.quota, max: messageQuota } }),
          ...(retryHint === undefined ? {} : { retryHint }),
          ...(others.length === 0 ? {} : { additionalErrors: others })
        })
    )
  )
}

/**
 * Reads one response into its error: the `MwsError`, or the
 * `UnparseableErrorBody` when the body is not an MWS error.
 *
 * @category parsing
 * @since 0.1.0
 */
export const toError = (input: ResponseInput, options?: ParseOptions): ResponseError =>
  Result.match(parse(input, options), { onSuccess: (error) => error, onFailure: (error) => error })

/**
 * An effect that fails with the response's error: what an HTTP client does
 * with a non-2xx response.
 *
 * @example
 * ```ts
 * import { ErrorResponse } from "@mws-kit/xml-error-parser"
 * import { MwsError } from "@mws-kit/error-codes"
 * import { Effect } from "effect"
 *
 * const program = ErrorResponse.fail({ status: 503, body: "<html>Service Unavailable</html>" }).pipe(
 *   Effect.catchTag("UnparseableErrorBody", (e) => Effect.succeed(e.errorClass)) // "throttled"
 * )
 * ```
 *
 * @category parsing
 * @since 0.1.0
 */
export const fail = (input: ResponseInput, options?: ParseOptions): Effect.Effect<never, ResponseError> =>
  Effect.suspend(() => Effect.fail(toError(input, options)))
