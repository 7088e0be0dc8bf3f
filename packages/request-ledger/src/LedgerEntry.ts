/**
 * One ledger entry: what one attempt of one MWS request looked like, with
 * everything support asks for (RequestId, the request's Timestamp, code,
 * type, message...) and nothing that could hold a secret. Request parameters
 * are kept only from an allow-list, messages are bounded and scrubbed.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { failsFastCheck } from "./internal/entryCheck.ts"
import { timeOrderedId } from "./internal/ids.ts"
import { ERROR_CLASSES } from "./internal/literals.ts"
import { LedgerEntryInvalid } from "./LedgerError.ts"

/**
 * The longest message kept, in UTF-16 code units; a longer one is cut and
 * ends with "…". MWS error messages are one or two sentences (the longest in
 * the "Handling errors" table is under 200 characters); 1,000 keeps every
 * real one whole while bounding what a hostile or HTML body can put in a row.
 *
 * @category constants
 * @since 0.1.0
 */
export const MESSAGE_MAX_CHARS = 1_000

/**
 * The longest id, code, name or timestamp kept in a field. MWS request ids
 * are 36-character UUIDs, timestamps 20-30 characters and codes under 64; 256
 * leaves room without letting a field grow unbounded.
 *
 * @category constants
 * @since 0.1.0
 */
export const FIELD_MAX_CHARS = 256

/**
 * The longest request parameter value kept; a longer one is cut and ends with
 * "…". Ids, SKUs, ASINs, types and dates are far shorter.
 *
 * @category constants
 * @since 0.1.0
 */
export const PARAM_VALUE_MAX_CHARS = 256

/**
 * The most request parameters kept per entry (the first ones in the order
 * given). List parameters such as `ASINList.ASIN.1` .. `.20` count one each.
 *
 * @category constants
 * @since 0.1.0
 */
export const PARAMS_MAX = 32

/**
 * The request parameters a ledger keeps: the ones that identify what a
 * request was about (types, ids, SKUs, marketplaces, date ranges), from the
 * MWS API references of Reports, Feeds, Orders, Products, Fulfillment
 * Inventory, Inbound and Outbound Shipment, Finances, Sellers and
 * Merchant Fulfillment. A parameter is kept when the part of its name before
 * the first "." is listed (`MarketplaceId.Id.1` is kept as `MarketplaceId`
 * is). Everything else is dropped, and {@link NEVER_STORED_PARAMS} can never be
 * added.
 *
 * @category constants
 * @since 0.1.0
 */
export const ALLOWED_PARAMS: ReadonlyArray<string> = [
  "Action",
  "Version",
  "MarketplaceId",
  "MarketplaceIdList",
  "ReportType",
  "ReportTypeList",
  "ReportId",
  "ReportIdList",
  "ReportRequestId",
  "ReportRequestIdList",
  "ReportProcessingStatusList",
  "ScheduleType",
  "FeedType",
  "FeedTypeList",
  "FeedSubmissionId",
  "FeedSubmissionIdList",
  "FeedProcessingStatusList",
  "PurgeAndReplace",
  "AmazonOrderId",
  "SellerOrderId",
  "OrderStatus",
  "FulfillmentChannel",
  "CreatedAfter",
  "CreatedBefore",
  "LastUpdatedAfter",
  "LastUpdatedBefore",
  "MaxResultsPerPage",
  "ASIN",
  "ASINList",
  "SellerSKU",
  "SellerSKUList",
  "IdType",
  "IdList",
  "ItemCondition",
  "ExcludeMe",
  "QueryStartDateTime",
  "ResponseGroup",
  "ShipmentId",
  "ShipmentIdList",
  "ShipmentStatusList",
  "SellerFulfillmentOrderId",
  "FinancialEventGroupId",
  "FinancialEventGroupStartedAfter",
  "FinancialEventGroupStartedBefore",
  "PostedAfter",
  "PostedBefore",
  "StartDate",
  "EndDate",
  "AvailableFromDate",
  "AvailableToDate"
]

/**
 * Parameter names that are never stored, whatever the allow-list says:
 * credentials and the signature. `AWSAccessKeyId` is not a secret, but it
 * identifies the developer account and support never needs it from the
 * ledger, so it stays out too. Matching ignores case.
 *
 * @category constants
 * @since 0.1.0
 */
export const NEVER_STORED_PARAMS: ReadonlyArray<string> = [
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "AWSAccessKeyId",
  "MWSAuthToken",
  "SecretKey",
  "SecretAccessKey",
  "AWSSecretAccessKey",
  "X-Amz-Signature",
  "X-Amz-Credential",
  "X-Amz-Security-Token"
]

/**
 * How one attempt ended:
 *
 * - `success`: the call succeeded on this attempt;
 * - `retried`: this attempt failed and another attempt followed;
 * - `gave-up`: this attempt failed and was the last retry: the call needs
 *   manual follow-up, as the MWS "Handling errors" page asks;
 * - `failed`: this attempt failed and no retry followed, although the
 *   policy never ran out: the error is not retryable (a 4xx), the request
 *   may have been processed and must not be repeated (a SubmitFeed that
 *   timed out), or the caller switched retries off.
 *
 * - `in-flight` (since 0.2.0): a write-ahead row: the attempt was about to
 *   be sent and has not been completed yet (`Ledger.begin`). One left behind
 *   means the process stopped mid-request: the request may or may not have
 *   reached MWS;
 * - `interrupted` (since 0.2.0): the attempt was cut short on our side (the
 *   calling fiber was interrupted, a timeout fired) before an answer came.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Outcome = Schema.Literals(["success", "retried", "gave-up", "failed", "in-flight", "interrupted"])

/**
 * How one attempt ended.
 *
 * @category models
 * @since 0.1.0
 */
export type Outcome = typeof Outcome.Type

/**
 * The error classes of `@mws-kit/error-codes` (copied, not imported: the
 * ledger depends on nothing but Effect).
 *
 * @category schemas
 * @since 0.1.0
 */
export const ErrorClass = Schema.Literals(ERROR_CLASSES)

/**
 * One of the error classes.
 *
 * @category models
 * @since 0.1.0
 */
export type ErrorClass = typeof ErrorClass.Type

const Text = Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(FIELD_MAX_CHARS))
const OptionalText = Schema.NullOr(Text)
const NonNegative = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * The schema of an entry: plain, JSON-safe data. Optional facts are `null`
 * when unknown (no response came, no error, no quota headers).
 *
 * - `entryId`: unique per entry, time-ordered (a UUID version 7), assigned by `record`;
 * - `recordedAt`: when the attempt was recorded (ISO 8601, the ledger's clock);
 *   retention and time-range queries use it;
 * - `requestId`: `x-mws-request-id` (else the body's), `null` when no response came;
 * - `requestTimestamp`: the request's own `Timestamp` parameter, as sent;
 * - `serverTimestamp`: the response's `x-mws-timestamp`;
 * - `attempt` counts from 1; `callId` ties the attempts of one logical call together;
 * - `durationMs`: how long the attempt took; `delayBeforeMs`: the wait before it;
 * - `quotaMax` / `quotaRemaining` / `quotaResetsOn`: the `x-mws-quota-*` headers;
 * - `params`: allow-listed request parameters only ({@link ALLOWED_PARAMS}).
 *
 * @category schemas
 * @since 0.1.0
 */
export const LedgerEntry = Schema.Struct({
  entryId: Text,
  recordedAt: Text,
  requestId: OptionalText,
  requestTimestamp: OptionalText,
  serverTimestamp: OptionalText,
  section: Text,
  operation: Text,
  sellerId: Text,
  marketplace: OptionalText,
  httpStatus: Schema.NullOr(Schema.Int.check(Schema.isBetween({ minimum: 100, maximum: 599 }))),
  errorCode: OptionalText,
  errorType: OptionalText,
  errorClass: Schema.NullOr(ErrorClass),
  message: Schema.NullOr(Schema.String.check(Schema.isMaxLength(MESSAGE_MAX_CHARS))),
  attempt: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  callId: Text,
  durationMs: NonNegative,
  delayBeforeMs: NonNegative,
  quotaMax: Schema.NullOr(NonNegative),
  quotaRemaining: Schema.NullOr(NonNegative),
  quotaResetsOn: OptionalText,
  outcome: Outcome,
  params: Schema.Record(Schema.String, Schema.String)
})

/**
 * One ledger entry.
 *
 * @category models
 * @since 0.1.0
 */
export type LedgerEntry = typeof LedgerEntry.Type

/**
 * A request parameter value as a caller has it; `null` and `undefined` are
 * dropped, numbers and booleans are kept as text.
 *
 * @category models
 * @since 0.1.0
 */
export type ParamValue = string | number | boolean | null | undefined

/**
 * What a caller gives `record` for one attempt. The ledger adds `entryId` and
 * `recordedAt`, filters `params` through the allow-list, bounds and scrubs
 * `message`, and turns missing optional facts (and empty strings) into
 * `null`. `delayBeforeMs` defaults to 0.
 *
 * There is deliberately no field for a secret key, a signature or an
 * MWSAuthToken; if one is passed among `params`, it is dropped.
 *
 * @category models
 * @since 0.1.0
 */
export interface RecordInput {
  readonly requestId?: string | null | undefined
  readonly requestTimestamp?: string | null | undefined
  readonly serverTimestamp?: string | null | undefined
  readonly section: string
  readonly operation: string
  readonly sellerId: string
  readonly marketplace?: string | null | undefined
  readonly httpStatus?: number | null | undefined
  readonly errorCode?: string | null | undefined
  readonly errorType?: string | null | undefined
  readonly errorClass?: ErrorClass | null | undefined
  readonly message?: string | null | undefined
  readonly attempt: number
  readonly callId: string
  readonly durationMs: number
  readonly delayBeforeMs?: number | undefined
  readonly quotaMax?: number | null | undefined
  readonly quotaRemaining?: number | null | undefined
  readonly quotaResetsOn?: string | null | undefined
  readonly outcome: Outcome
  readonly params?: Readonly<Record<string, ParamValue>> | undefined
}

/**
 * The outcomes that end an attempt: every one but `in-flight`.
 *
 * @category models
 * @since 0.2.0
 */
export type FinalOutcome = Exclude<Outcome, "in-flight">

/**
 * What `Ledger.begin` takes: the facts known before an attempt is sent.
 * `durationMs` defaults to 0; the outcome is always `in-flight`.
 *
 * @category models
 * @since 0.2.0
 */
export type BeginInput = Omit<RecordInput, "outcome" | "durationMs"> & { readonly durationMs?: number | undefined }

/**
 * What `Ledger.complete` takes: the final outcome and whatever the answer
 * told (request id, status, error, quota, duration...). Fields left out keep
 * the value `begin` recorded.
 *
 * @category models
 * @since 0.2.0
 */
export type CompleteInput = Partial<Omit<RecordInput, "outcome">> & { readonly outcome: FinalOutcome }

/**
 * The input of the completed attempt: what `begin` stored, with the
 * completion's fields over it.
 *
 * @category constructors
 * @since 0.2.0
 */
export const completedInput = (begun: LedgerEntry, input: CompleteInput): RecordInput => {
  const merged: Record<string, unknown> = { ...begun }
  for (const [key, value] of Object.entries(input)) if (value !== undefined) merged[key] = value
  return merged as unknown as RecordInput
}

const neverStored = new Set(NEVER_STORED_PARAMS.map((name) => name.toLowerCase()))

/**
 * Whether a parameter name can never be stored (credentials, signature).
 *
 * @category predicates
 * @since 0.1.0
 */
export const isNeverStored = (name: string): boolean => {
  const dot = name.indexOf(".")
  return neverStored.has((dot === -1 ? name : name.slice(0, dot)).toLowerCase())
}

/**
 * A compiled allow-list: {@link ALLOWED_PARAMS} plus any extra names a ledger
 * was configured with.
 *
 * @category models
 * @since 0.1.0
 */
export type ParamAllowList = ReadonlySet<string>

/**
 * The default allow-list.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultAllowList: ParamAllowList = new Set(ALLOWED_PARAMS)

const cut = (text: string, max: number): string => {
  if (text.length <= max) return text
  let end = max - 1
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end-- // never split a surrogate pair
  return `${text.slice(0, end)}…`
}

/**
 * Keeps the allow-listed parameters (by the part of the name before the
 * first "."), never one of {@link NEVER_STORED_PARAMS}, values as text cut to
 * {@link PARAM_VALUE_MAX_CHARS}, at most {@link PARAMS_MAX} of them.
 *
 * @example
 * ```ts
 * import { LedgerEntry } from "@mws-kit/request-ledger"
 *
 * LedgerEntry.filterParams({ ReportType: "_GET_FLAT_FILE_OPEN_LISTINGS_DATA_", Signature: "abc", "MarketplaceId.Id.1": "ATVPDKIKX0DER" })
 * // { ReportType: "_GET_FLAT_FILE_OPEN_LISTINGS_DATA_", "MarketplaceId.Id.1": "ATVPDKIKX0DER" }
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const filterParams = (
  params: Readonly<Record<string, ParamValue>> | null | undefined,
  allowed: ParamAllowList = defaultAllowList
): Record<string, string> => {
  const kept: Record<string, string> = {}
  if (params === null || params === undefined || typeof params !== "object") return kept
  const safe = safeNames(allowed)
  let count = 0
  for (const name of Object.keys(params)) {
    if (count >= PARAMS_MAX) break
    const dot = name.indexOf(".")
    if (!safe.has(dot === -1 ? name : name.slice(0, dot)) || name.length > FIELD_MAX_CHARS) continue
    const value = params[name]
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") continue
    kept[name] = cut(typeof value === "string" ? value : String(value), PARAM_VALUE_MAX_CHARS)
    count++
  }
  return kept
}

// An allow-list without the names that are never stored, computed once per list.
const safeLists = new WeakMap<ParamAllowList, ReadonlySet<string>>()
const safeNames = (allowed: ParamAllowList): ReadonlySet<string> => {
  let safe = safeLists.get(allowed)
  if (safe === undefined) {
    safe = new Set([...allowed].filter((name) => !isNeverStored(name)))
    safeLists.set(allowed, safe)
  }
  return safe
}

const secretPattern =
  /\b(Signature|AWSAccessKeyId|MWSAuthToken|SecretKey|SecretAccessKey|AWSSecretAccessKey|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=([^&\s"'<>]*)/gi
const authTokenPattern = /\bamzn\.mws\.[0-9a-z-]{8,}/gi
const accessKeyPattern = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g
// Everything the three patterns above can match contains one of these.
const mayHoldSecret = /=|amzn\.mws\.|AKIA|ASIA/i

/**
 * A message as the ledger keeps it: anything that looks like a credential
 * (`Signature=...`, `MWSAuthToken=...`, an `amzn.mws.` token, an AWS access
 * key id) replaced by `[redacted]`, then cut to {@link MESSAGE_MAX_CHARS}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const boundMessage = (message: string | null | undefined): string | null => {
  if (message === null || message === undefined || typeof message !== "string") return null
  const scrubbed = mayHoldSecret.test(message)
    ? message
        .replace(secretPattern, "$1=[redacted]")
        .replace(authTokenPattern, "[redacted]")
        .replace(accessKeyPattern, "[redacted]")
    : message
  return cut(scrubbed, MESSAGE_MAX_CHARS)
}

const orNull = <A>(value: A | null | undefined): A | null => (value === undefined || value === "" ? null : value)

/**
 * Builds an entry from a caller's input, an id and a time, and validates it
 * with {@link LedgerEntry}: a `Result` with the entry, or
 * `LedgerEntryInvalid` naming the field that is wrong. Never throws.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  input: RecordInput,
  entryId: string,
  recordedAt: string,
  allowed: ParamAllowList = defaultAllowList
): Result.Result<LedgerEntry, LedgerEntryInvalid> => {
  if (input === null || typeof input !== "object") {
    return Result.fail(new LedgerEntryInvalid({ issue: "expected an object with the attempt's facts" }))
  }
  const entry: LedgerEntry = {
    entryId,
    recordedAt,
    requestId: orNull(input.requestId),
    requestTimestamp: orNull(input.requestTimestamp),
    serverTimestamp: orNull(input.serverTimestamp),
    section: input.section,
    operation: input.operation,
    sellerId: input.sellerId,
    marketplace: orNull(input.marketplace),
    httpStatus: orNull(input.httpStatus),
    errorCode: orNull(input.errorCode),
    errorType: orNull(input.errorType),
    errorClass: orNull(input.errorClass),
    message: boundMessage(input.message),
    attempt: input.attempt,
    callId: input.callId,
    durationMs: input.durationMs,
    delayBeforeMs: input.delayBeforeMs ?? 0,
    quotaMax: orNull(input.quotaMax),
    quotaRemaining: orNull(input.quotaRemaining),
    quotaResetsOn: orNull(input.quotaResetsOn),
    outcome: input.outcome,
    params: filterParams(input.params, allowed)
  }
  // The schema is the rule; a hand-written check of the same rule keeps
  // `record` off the schema interpreter when the entry is valid (a test proves
  // the two agree). Only a failing entry pays for the schema's full report.
  if (!failsFastCheck(entry)) return Result.succeed(entry)
  const decoded = Schema.decodeUnknownExit(LedgerEntry)(entry)
  if (decoded._tag === "Success") return Result.succeed(decoded.value)
  return Result.fail(new LedgerEntryInvalid({ issue: issueOf(decoded.cause) }))
}

const issueOf = (cause: unknown): string => {
  const text = String(cause)
  return text.length > MESSAGE_MAX_CHARS ? `${text.slice(0, MESSAGE_MAX_CHARS - 1)}…` : text
}

/**
 * Decodes an entry read back from a store or a file: the entry, or the
 * schema's issue as text.
 *
 * @category constructors
 * @since 0.1.0
 */
export const decode = (value: unknown): Result.Result<LedgerEntry, string> => {
  if (value !== null && typeof value === "object" && !failsFastCheck(value as LedgerEntry)) {
    return Result.succeed(value as LedgerEntry)
  }
  const decoded = Schema.decodeUnknownExit(LedgerEntry)(value)
  return decoded._tag === "Success" ? Result.succeed(decoded.value) : Result.fail(issueOf(decoded.cause))
}

/**
 * Whether an entry has everything support asks for: a RequestId and the
 * request's Timestamp.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isComplete = (entry: LedgerEntry): boolean => entry.requestId !== null && entry.requestTimestamp !== null

/**
 * A new time-ordered id (UUID version 7) for an entry or a logical call: 48
 * bits of milliseconds, a 24-bit counter that restarts every millisecond,
 * then 48 random bits. Ids made later in a process sort later, even within a
 * millisecond, and the indexes on them grow at one end instead of being
 * written all over.
 *
 * @example
 * ```ts
 * import { LedgerEntry } from "@mws-kit/request-ledger"
 *
 * LedgerEntry.newId(Date.now()) // "019abcb1-7060-7000-8000-994caefe5ca4"
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const newId = (millis: number): string => timeOrderedId(millis)
