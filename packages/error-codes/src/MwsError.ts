/**
 * The one error type for MWS error responses: a schema-backed tagged error
 * that callers handle by code and by class, that serialises losslessly for
 * ledgers and logs, and whose printed form shows what support asks for.
 *
 * @since 0.1.0
 */
import { Effect, Schema, SchemaIssue } from "effect"
import * as ErrorCatalog from "./ErrorCatalog.ts"
import * as ErrorClass from "./ErrorClass.ts"
import { Integer } from "./internal/numbers.ts"
import * as MwsCatalog from "./MwsCatalog.ts"
import { QuotaHeaders, RetryHint } from "./QuotaInfo.ts"

/**
 * The `<Type>` of an error: who caused it. Real throttled responses send an
 * empty `<Type></Type>`, kept here as `""`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ErrorType = Schema.Literals(["Sender", "Receiver", ""])

/**
 * The `<Type>` of an error.
 *
 * @category models
 * @since 0.1.0
 */
export type ErrorType = typeof ErrorType.Type

/**
 * One more `<Error>` of a response that carried several: the first is the
 * {@link MwsError} itself, the others ride along in `additionalErrors`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AdditionalError = Schema.Struct({
  code: Schema.String,
  errorClass: ErrorClass.ErrorClass,
  known: Schema.Boolean,
  type: ErrorType,
  mwsMessage: Schema.String,
  detail: Schema.optionalKey(Schema.String)
})

/**
 * One more `<Error>` of a response that carried several.
 *
 * @category models
 * @since 0.1.0
 */
export type AdditionalError = typeof AdditionalError.Type

/**
 * An error returned by MWS (or by an API of the same shape).
 *
 * - `code` is the raw `<Code>`, never rewritten, whether or not the catalog
 *   knows it; `known` says which, `errorClass` says what to do about it.
 * - `mwsMessage` is the service's `<Message>` (trimmed; `""` when absent).
 *   `message` is the printed form: code, message, RequestId and Timestamp.
 * - `requestId` is the id to hand to support: the `x-mws-request-id` header,
 *   else the body's. `bodyRequestId` keeps the body's when the two differ.
 * - `requestTimestamp` is the request's own `Timestamp` parameter (the one
 *   the docs ask you to record); `serverTimestamp` is `x-mws-timestamp`.
 * - `additionalErrors` holds the second and later `<Error>` elements of a
 *   response that carried several (the first is this error).
 *
 * It holds no credential, signature or token, and has no field that could.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MwsError } from "@mws-kit/error-codes"
 *
 * const error = MwsError.make({ code: "RequestThrottled", httpStatus: 503, requestId: "b7afc6c3" })
 * error.errorClass // "throttled"
 * String(error)    // "RequestThrottled: Request is throttled ... (HTTP 503, RequestId b7afc6c3, ...)"
 * ```
 *
 * @category errors
 * @since 0.1.0
 */
export class MwsError extends Schema.TaggedError<MwsError>()("MwsError", {
  code: Schema.String,
  errorClass: ErrorClass.ErrorClass,
  known: Schema.Boolean,
  type: ErrorType,
  mwsMessage: Schema.String,
  detail: Schema.optionalKey(Schema.String),
  httpStatus: Schema.optionalKey(Integer),
  requestId: Schema.optionalKey(Schema.String),
  bodyRequestId: Schema.optionalKey(Schema.String),
  requestTimestamp: Schema.optionalKey(Schema.String),
  serverTimestamp: Schema.optionalKey(Schema.String),
  section: Schema.optionalKey(Schema.String),
  operation: Schema.optionalKey(Schema.String),
  quota: Schema.optionalKey(QuotaHeaders),
  retryHint: Schema.optionalKey(RetryHint),
  additionalErrors: Schema.optionalKey(Schema.Array(AdditionalError))
}) {
  /** The printed form: code, message, HTTP status, RequestId and Timestamp. */
  override get message(): string {
    return format(this)
  }

  override toString(): string {
    return format(this)
  }
}

/**
 * The serialised form of an {@link MwsError}: plain JSON-safe data with a
 * `_tag`, as a ledger row or a log line stores it.
 *
 * @category models
 * @since 0.1.0
 */
export type Encoded = typeof MwsError.Encoded

/**
 * An error whose code the catalog knows.
 *
 * @category models
 * @since 0.1.0
 */
export type KnownMwsError = MwsError & { readonly known: true; readonly code: MwsCatalog.MwsErrorCode }

/**
 * An error whose code the catalog does not know: its class came from the
 * HTTP status, its raw code is kept.
 *
 * @category models
 * @since 0.1.0
 */
export type UnknownMwsError = MwsError & { readonly known: false }

/**
 * An error narrowed to one or more codes.
 *
 * @category models
 * @since 0.1.0
 */
export type WithCode<Code extends string> = MwsError & { readonly code: Code }

/**
 * An error narrowed to one or more classes.
 *
 * @category models
 * @since 0.1.0
 */
export type WithClass<Class extends ErrorClass.ErrorClass> = MwsError & { readonly errorClass: Class }

/**
 * What {@link make} needs: the class and `known` are filled in from the
 * catalog, and `type` and `mwsMessage` default to the catalog's view.
 *
 * @category models
 * @since 0.1.0
 */
export type MakeInput = Omit<
  ConstructorParameters<typeof MwsError>[0],
  "errorClass" | "known" | "type" | "mwsMessage"
> & {
  readonly type?: ErrorType
  readonly mwsMessage?: string
}

/**
 * Builds an {@link MwsError}, classifying its code with a catalog (the MWS
 * catalog unless another is given): a known code takes the catalog's class,
 * an unknown one is classified by its HTTP status and keeps its raw code.
 * Without a message, the catalog's description stands in. A field of the
 * wrong type (a fractional status, say) throws an `Error` naming the field.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (input: MakeInput, catalog: ErrorCatalog.ErrorCatalog = MwsCatalog.catalog): MwsError => {
  const { errorClass, known, entry } = ErrorCatalog.classify(catalog, input.code, input.httpStatus, input.section)
  try {
    return new MwsError({
      ...input,
      type: input.type ?? "",
      mwsMessage: input.mwsMessage ?? entry?.description ?? "",
      errorClass,
      known
    })
  } catch (error) {
    const issue = error instanceof Error ? error.cause : undefined
    if (!SchemaIssue.isIssue(issue)) throw error
    throw new Error(`Invalid MwsError ${input.code}: ${formatIssue(issue)}`, { cause: issue })
  }
}

const formatIssue = SchemaIssue.makeFormatterDefault()

/**
 * Whether a value is an {@link MwsError}.
 *
 * @category guards
 * @since 0.1.0
 */
export const isMwsError = (u: unknown): u is MwsError => u instanceof MwsError

/**
 * Whether an error is an {@link MwsError} whose code the catalog knows.
 *
 * @category guards
 * @since 0.1.0
 */
export const isKnown = (u: unknown): u is KnownMwsError => isMwsError(u) && u.known

/**
 * A refinement that matches errors with one of the given codes. Known MWS
 * codes autocomplete; any other code (your own section's) is accepted too.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MwsError } from "@mws-kit/error-codes"
 *
 * declare const call: Effect.Effect<string, MwsError.MwsError>
 * const orLater = call.pipe(
 *   Effect.catchIf(MwsError.hasCode("ReportNotReady", "FeedProcessingResultNotReady"), () => Effect.succeed("later"))
 * )
 * ```
 *
 * @category guards
 * @since 0.1.0
 */
export const hasCode =
  <const Codes extends ReadonlyArray<MwsCatalog.MwsErrorCode | (string & {})>>(...codes: Codes) =>
  (u: unknown): u is WithCode<Codes[number]> =>
    isMwsError(u) && codes.includes(u.code)

/**
 * A refinement that matches errors of one of the given classes.
 *
 * @category guards
 * @since 0.1.0
 */
export const hasClass =
  <const Classes extends ReadonlyArray<ErrorClass.ErrorClass>>(...classes: Classes) =>
  (u: unknown): u is WithClass<Classes[number]> =>
    isMwsError(u) && classes.includes(u.errorClass)

/**
 * Recovers from errors with one of the given codes; other errors pass
 * through untouched.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MwsError } from "@mws-kit/error-codes"
 *
 * declare const getReport: Effect.Effect<string, MwsError.MwsError>
 * const report = getReport.pipe(MwsError.catchCode("ReportNotReady", () => Effect.succeed("")))
 * ```
 *
 * @category error handling
 * @since 0.1.0
 */
export const catchCode =
  <Code extends MwsCatalog.MwsErrorCode | (string & {}), A2, E2, R2>(
    code: Code,
    f: (error: WithCode<Code>) => Effect.Effect<A2, E2, R2>
  ) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A | A2, E | E2, R | R2> =>
    Effect.catchIf(self, hasCode(code) as (error: E) => error is E & WithCode<Code>, f)

/**
 * Recovers from errors of the given class; other errors pass through
 * untouched.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MwsError } from "@mws-kit/error-codes"
 *
 * declare const call: Effect.Effect<string, MwsError.MwsError>
 * const handled = call.pipe(
 *   MwsError.catchClass("auth", (e) => Effect.die(`fix the credentials: ${e.code}`))
 * )
 * ```
 *
 * @category error handling
 * @since 0.1.0
 */
export const catchClass =
  <Class extends ErrorClass.ErrorClass, A2, E2, R2>(
    errorClass: Class,
    f: (error: WithClass<Class>) => Effect.Effect<A2, E2, R2>
  ) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A | A2, E | E2, R | R2> =>
    Effect.catchIf(self, hasClass(errorClass) as (error: E) => error is E & WithClass<Class>, f)

/**
 * Serialises an error to plain JSON-safe data (for a ledger row or a log).
 * {@link decode} gives back an equal error.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encode: (error: MwsError) => Encoded = Schema.encodeSync(MwsError)

/**
 * Decodes serialised data back into an {@link MwsError}, failing with a
 * `SchemaError` that names the bad field.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decode: (input: unknown) => Effect.Effect<MwsError, Schema.SchemaError> =
  Schema.decodeUnknownEffect(MwsError)

/**
 * The printed form of an error: code and message, then the HTTP status, the
 * RequestId and the Timestamp, in that order, with `unknown` standing in for
 * what is missing. The Timestamp is the request's own (what the docs ask you
 * to quote); the server's is shown only when the request's is missing.
 *
 * @example
 * ```ts
 * // RequestThrottled: Request is throttled (HTTP 503, RequestId 7d3c..., Timestamp 2026-11-25T10:00:00Z)
 * ```
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (error: Omit<MwsError, "message">): string => {
  const message = error.mwsMessage === "" ? "(no message)" : error.mwsMessage
  const status = error.httpStatus === undefined ? "HTTP status unknown" : `HTTP ${error.httpStatus}`
  const timestamp =
    error.requestTimestamp ?? (error.serverTimestamp === undefined ? "unknown" : `${error.serverTimestamp} (server)`)
  return `${error.code}: ${message} (${status}, RequestId ${error.requestId ?? "unknown"}, Timestamp ${timestamp})`
}
