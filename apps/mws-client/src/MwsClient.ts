/**
 * The MWS client: one call is a throttle permit, a request signed with a
 * fresh Timestamp, a send with a timeout, and, on an error, the body parsed,
 * classified and handed to the retry policy; a RequestThrottled drains the
 * throttle's bucket, a QuotaExceeded blocks its hourly quota. Every attempt
 * is recorded in the request ledger, all attempts of one call under one
 * call id. Success bodies come back parsed, with the response metadata;
 * downloads come back checked against their Content-MD5.
 *
 * @since 0.1.0
 */

import { rename, rm } from "node:fs/promises"
import type { RetryGaveUp } from "@mws-kit/backoff-policy"
import {
  Classifier,
  CurrentAttempt,
  RetryBudget,
  type RetryDecision,
  RetryPolicy,
  Timeline
} from "@mws-kit/backoff-policy"
import { type ErrorClass, MwsError, type QuotaInfo, type UnparseableErrorBody } from "@mws-kit/error-codes"
import { Ledger, LedgerEntry } from "@mws-kit/request-ledger"
import { Throttle } from "@mws-kit/throttle"
import { ErrorResponse, ItemErrors, ResponseHeaders } from "@mws-kit/xml-error-parser"
import { Cause, Clock, Context, Duration, Effect, Layer } from "effect"
import type * as ClientConfig from "./ClientConfig.ts"
import * as ContentMd5 from "./ContentMd5.ts"
import * as Download from "./Download.ts"
import * as Endpoints from "./Endpoints.ts"
import * as RequestSigner from "./RequestSigner.ts"
import * as ResponseBody from "./ResponseBody.ts"
import * as ResponseLimit from "./ResponseLimit.ts"
import { type ResponseHead, Transport } from "./Transport.ts"
import * as TransportError from "./TransportError.ts"

/**
 * A request parameter value: lists expand to `Name.1`, `Name.2`...; dates
 * become ISO 8601; `undefined` and `null` are left out.
 *
 * @category models
 * @since 0.1.0
 */
export type ParamValue = string | number | boolean | Date | ReadonlyArray<string | number> | null | undefined

/**
 * The operation's parameters, as a record (lists expanded) or as pairs in
 * order.
 *
 * @category models
 * @since 0.1.0
 */
export type Params = Readonly<Record<string, ParamValue>> | ReadonlyArray<readonly [string, string]>

/**
 * One call.
 *
 * @category models
 * @since 0.1.0
 */
export interface CallRequest {
  /** The API section, as in the path and the quota catalog (`Orders`, `Reports`, `Products`...). */
  readonly section: string
  /** The `Action`. */
  readonly operation: string
  readonly params?: Params | undefined
  /** The section's version, for a section `Endpoints.SECTION_VERSIONS` does not know. */
  readonly version?: string | undefined
  /** A body sent as is (a feed); the parameters then go in the query string. */
  readonly body?: string | Uint8Array | undefined
  readonly contentType?: string | undefined
  /** Items the request sends, for per-item throttled operations (counted from list parameters if absent). */
  readonly items?: number | undefined
  /** Whether the call may be retried after an ambiguous failure; default: not for state-changing operations. */
  readonly idempotent?: boolean | undefined
  /** Calls for another seller than the configured one (the throttle keys on it too). */
  readonly sellerId?: string | undefined
}

/**
 * Everything a call can fail with:
 * - `MwsError`: MWS answered with an error that was not retried (a 4xx...);
 * - `UnparseableErrorBody`: an error whose body is not MWS XML (a proxy's page);
 * - `MwsTransportError`: below HTTP (refused, reset, timeout), not retried;
 * - `MalformedResponse`: a 2xx whose body is not a readable document;
 * - `ResponseTooLarge`: a 2xx whose body is over the cap (`MWS_MAX_RESPONSE_BYTES`);
 * - `DownloadWriteError`: `downloadTo` could not write its file;
 * - `RetryGaveUp`: retried, then stopped: lists every attempt's RequestId and
 *   Timestamp, marked for manual follow-up;
 * - the throttle's errors: the permit would take too long, the operation is
 *   not in the quota catalog, the shared store (Redis) is down.
 *
 * @category models
 * @since 0.1.0
 */
export type MwsClientError =
  | MwsError.MwsError
  | UnparseableErrorBody.UnparseableErrorBody
  | TransportError.MwsTransportError
  | ResponseBody.MalformedResponse
  | ResponseLimit.ResponseTooLarge
  | Download.DownloadWriteError
  | RetryGaveUp.RetryGaveUp
  | Throttle.AcquireError

/**
 * One attempt as the client saw it: what the ledger records, plus what the
 * retry policy decided after it. For progress bars and narration.
 *
 * @category models
 * @since 0.1.0
 */
export interface AttemptReport extends LedgerEntry.RecordInput {
  /** For a retried attempt: the wait before the next one, and why. */
  readonly nextDelayMs?: number | undefined
  readonly reason?: string | undefined
}

/**
 * What the client needs besides its configuration.
 *
 * - `record`: writes one ledger entry (default: the `Ledger` service's
 *   `record`, for {@link MwsClient.layer});
 * - `retry`: retry policy options laid over the defaults (the documented
 *   timeline, time-scaled with the configuration's `timeScale`), or `false`
 *   for no retry at all (every failure ends the call, recorded as `failed`:
 *   how the peer clients that never retry behave);
 * - `onAttempt`: called after every attempt, for progress and narration;
 * - `onThrottleWait`: called before each wait for a throttle permit, with
 *   its expected length ("waiting for ListOrders quota, next slot in 54 s");
 * - `onLedgerFailure`: what to do when the ledger refuses an entry: `"log"`
 *   (default: an error log line carrying the RequestId and Timestamp, and the
 *   call goes on) or `"die"`;
 * - `writeAhead`: record every attempt as `in-flight` before it is sent and
 *   complete that row when the answer comes (default off: one row per
 *   attempt, written after it). With it, a crash or SIGKILL mid-request still
 *   leaves the attempt's Timestamp in the ledger. Needs `begin` and
 *   `complete` (given by {@link MwsClient.layer} from the `Ledger`).
 *
 * An attempt interrupted after it was sent (Ctrl-C, a timeout around the
 * call) is recorded as `interrupted`, with its RequestId when the response's
 * headers had arrived; with or without `writeAhead`.
 *
 * @category models
 * @since 0.1.0
 */
export interface ClientOptions {
  readonly record?: (input: LedgerEntry.RecordInput) => Effect.Effect<void, unknown>
  readonly writeAhead?: boolean | undefined
  /** Records an attempt as `in-flight` before it is sent; returns the entry to complete (write-ahead mode). */
  readonly begin?: ((input: LedgerEntry.BeginInput) => Effect.Effect<LedgerEntry.LedgerEntry, unknown>) | undefined
  /** Completes an `in-flight` entry with the attempt's final state (write-ahead mode). */
  readonly complete?:
    | ((begun: LedgerEntry.LedgerEntry, input: LedgerEntry.CompleteInput) => Effect.Effect<unknown, unknown>)
    | undefined
  readonly retry?: Omit<RetryPolicy.Options, "classify" | "onDecision" | "operation" | "idempotent"> | false | undefined
  readonly onAttempt?: ((report: AttemptReport) => Effect.Effect<void>) | undefined
  /** Called before each wait for a throttle permit (bucket refill, hourly quota, requests queued ahead). */
  readonly onThrottleWait?: ((wait: Throttle.ThrottleWait) => Effect.Effect<void>) | undefined
  readonly onLedgerFailure?: "log" | "die" | undefined
  /** Called after the ledger refused an entry and it was logged (with `onLedgerFailure: "log"`): a CLI counts these. */
  readonly onLedgerRefusal?:
    | ((input: LedgerEntry.RecordInput | LedgerEntry.BeginInput, error: unknown) => Effect.Effect<void>)
    | undefined
}

/**
 * Operation name prefixes that change state on the MWS side (SubmitFeed,
 * RequestReport, CreateFulfillmentOrder, CancelShipment, ...): such calls are
 * not retried after an ambiguous failure (a 500, a timeout) unless the caller
 * says they are idempotent (DESIGN: "Non-idempotent operations").
 *
 * @category constants
 * @since 0.1.0
 */
export const STATE_CHANGING_PREFIXES: ReadonlyArray<string> = [
  "Submit",
  "Request",
  "Create",
  "Update",
  "Cancel",
  "Delete",
  "Confirm",
  "Void",
  "Estimate",
  "Put",
  "Manage",
  "Register",
  "Deregister",
  "Send"
]

/**
 * Whether an operation changes state (and so is not retried after an
 * ambiguous failure by default).
 *
 * @category predicates
 * @since 0.1.0
 */
export const isStateChanging = (operation: string): boolean =>
  STATE_CHANGING_PREFIXES.some((prefix) => operation.startsWith(prefix) && operation !== prefix)

/**
 * Extra wait after a QuotaExceeded reset time read from the message: 1
 * second, because the message gives the time to the second ("Your quota will
 * reset on Mon Mar 25 02:25:00 UTC 2019"; mws-facts 1.5), so the true reset
 * is up to a second later.
 *
 * @category constants
 * @since 0.1.0
 */
export const MESSAGE_RESET_MARGIN_MS = 1_000

/**
 * Expands parameters into pairs, in order: lists to `Name.1`, `Name.2`...,
 * dates to ISO 8601, numbers and booleans to text.
 *
 * @example
 * ```ts
 * import { MwsClient } from "@mws-kit/mws-client"
 *
 * MwsClient.expandParams({ "MarketplaceId.Id": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"], MaxResultsPerPage: 10 })
 * // [["MarketplaceId.Id.1", "ATVPDKIKX0DER"], ["MarketplaceId.Id.2", "A2EUQ1WTGCTBG2"], ["MaxResultsPerPage", "10"]]
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const expandParams = (params: Params | undefined): Array<[string, string]> => {
  if (params === undefined) return []
  if (Array.isArray(params)) return (params as ReadonlyArray<readonly [string, string]>).map(([k, v]) => [k, v])
  const out: Array<[string, string]> = []
  for (const [name, value] of Object.entries(params as Readonly<Record<string, ParamValue>>)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        out.push([`${name}.${index + 1}`, String(item)])
      })
    } else if (value instanceof Date) {
      out.push([name, value.toISOString()])
    } else {
      out.push([name, String(value)])
    }
  }
  return out
}

const LIST_ITEM = /^(.+)\.(\d+)$/

/**
 * Items a request sends, for per-item throttling: the longest list among its
 * parameters (`ASINList.ASIN.1..5` is 5), marketplace lists aside; 1 when it
 * has none.
 *
 * @category getters
 * @since 0.1.0
 */
export const countItems = (params: ReadonlyArray<readonly [string, string]>): number => {
  const lists = new Map<string, number>()
  for (const [name] of params) {
    const match = LIST_ITEM.exec(name)
    if (match === null || name.startsWith("Marketplace")) continue
    lists.set(match[1]!, Math.max(lists.get(match[1]!) ?? 0, Number(match[2])))
  }
  return Math.max(1, ...lists.values())
}

const marketplaceOf = (params: ReadonlyArray<readonly [string, string]>, config: ClientConfig.ClientConfig) => {
  for (const [name, value] of params) {
    if (name === "MarketplaceId" || name === "MarketplaceId.Id.1" || name === "MarketplaceIdList.Id.1") return value
  }
  return config.marketplace?.marketplaceId
}

const classify = Classifier.orMws((error: unknown): Classifier.Classification | undefined => {
  const transport = TransportError.classify(error)
  if (transport !== undefined) return transport
  if (error instanceof Download.DownloadWriteError) {
    // The local file system said no: the next attempt would fail the same way.
    return {
      errorClass: "client",
      code: "DownloadWriteError",
      requestId: error.requestId,
      timestamp: error.requestTimestamp,
      httpStatus: error.httpStatus,
      operation: error.operation
    }
  }
  if (ResponseLimit.isResponseTooLarge(error)) {
    // As large next time: not retried.
    return {
      errorClass: "client",
      code: "ResponseTooLarge",
      requestId: error.requestId,
      timestamp: error.requestTimestamp,
      httpStatus: error.httpStatus,
      operation: error.operation
    }
  }
  if (error instanceof ResponseBody.MalformedResponse) {
    // The request was processed (a 2xx came back): ambiguous, retried only when idempotent.
    return {
      errorClass: "transient",
      ambiguous: true,
      code: `MalformedResponse:${error.reason}`,
      requestId: error.requestId,
      timestamp: error.requestTimestamp,
      httpStatus: error.httpStatus,
      operation: error.operation
    }
  }
  return undefined
})

/**
 * The retry options for a time scale: the documented timeline and every
 * other wait run `timeScale` times faster (1: as documented). The throttled
 * restore interval comes from the quota catalog, through the throttle, and
 * is scaled there.
 *
 * @category constructors
 * @since 0.1.0
 */
export const scaledRetryOptions = (timeScale: number): RetryPolicy.Options => {
  if (timeScale === 1) return {}
  const scale = (d: Duration.Input) => Duration.millis(Duration.toMillis(Duration.fromInputUnsafe(d)) / timeScale)
  return {
    delays: Timeline.DOCUMENTED_DELAYS.map(scale),
    maxDelay: scale(Timeline.DEFAULT_MAX_DELAY),
    quotaWaitLimit: scale(RetryPolicy.QUOTA_WAIT_LIMIT),
    quotaResetFallback: scale(RetryPolicy.QUOTA_RESET_FALLBACK),
    maxHintWait: scale(RetryPolicy.MAX_HINT_WAIT)
  }
}

/**
 * What one attempt left behind for the ledger: while it is in flight, what is
 * known of it (so an interruption records it as `interrupted`); once it
 * failed, its row waiting for the policy's decision. `begun` is its
 * `in-flight` row in write-ahead mode.
 */
interface Facts {
  readonly input: Omit<LedgerEntry.RecordInput, "outcome">
  readonly begun: LedgerEntry.LedgerEntry | undefined
  /** When it was sent (Unix ms): an interruption records the time since as its duration. */
  readonly sentAt: number
  readonly inFlight: boolean
  /** While in flight: the response's status and headers once they arrived, read only if the attempt is interrupted. */
  head?: ResponseHead | undefined
}

/** The running call's failed attempts, by attempt number, for the policy's decision callback. */
const CallFacts = Context.Reference<Map<number, Facts> | undefined>("@mws-kit/mws-client/MwsClient/CallFacts", {
  defaultValue: () => undefined
})

/**
 * How long an interrupted call waits for its `interrupted` row to be
 * committed: 250 ms. The row is in the ledger's buffer as soon as it is
 * recorded; past this wait the ledger's own close writes it or spills it to
 * a file, and Ctrl-C still ends a CLI within its one second.
 *
 * @category constants
 * @since 0.2.0
 */
export const INTERRUPTED_RECORD_WAIT: Duration.Duration = Duration.millis(250)

/** Retry policies kept per client (one per operation and idempotency): more operations than MWS has would be a bug. */
const MAX_CACHED_POLICIES = 512

const messageOf = (error: unknown): string | undefined => {
  if (MwsError.isMwsError(error)) return error.mwsMessage === "" ? undefined : error.mwsMessage
  return error instanceof Error ? error.message : undefined
}

const errorFields = (error: unknown, view: Classifier.Classification) => ({
  errorCode: view.code ?? null,
  errorClass: view.errorClass as ErrorClass.ErrorClass,
  errorType: MwsError.isMwsError(error) && error.type !== "" ? error.type : null,
  message: messageOf(error) ?? null
})

const quotaFields = (quota: QuotaInfo.QuotaHeaders | undefined) =>
  quota === undefined
    ? {}
    : {
        quotaMax: quota.max ?? null,
        quotaRemaining: quota.remaining ?? null,
        quotaResetsOn: quota.resetsOn ?? null
      }

/**
 * The client service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MwsClient, ResponseBody } from "@mws-kit/mws-client"
 *
 * const program = Effect.gen(function* () {
 *   const mws = yield* MwsClient.MwsClient
 *   const response = yield* mws.call({
 *     section: "Orders",
 *     operation: "ListOrders",
 *     params: { "MarketplaceId.Id": ["ATVPDKIKX0DER"], CreatedAfter: new Date("2026-11-01") }
 *   })
 *   response.metadata.requestId // for support, with response.metadata.requestTimestamp
 *   return ResponseBody.list(ResponseBody.child(response.result, "Orders"), "Order")
 * })
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export class MwsClient extends Context.Service<
  MwsClient,
  {
    /** The endpoint, seller and marketplace in use (no secret). */
    readonly target: {
      readonly endpoint: string
      readonly sellerId: string
      readonly marketplaceId: string | undefined
    }
    /** One call; the success body parsed. */
    readonly call: (request: CallRequest) => Effect.Effect<ResponseBody.MwsResponse, MwsClientError>
    /** A download (GetReport, GetFeedSubmissionResult), checked against its Content-MD5; in memory, up to `MWS_MAX_RESPONSE_BYTES`. */
    readonly download: (request: CallRequest) => Effect.Effect<ResponseBody.MwsDocument, MwsClientError>
    /**
     * A download streamed to `path`: written to `<path>.partial` as it
     * arrives (no memory cap), MD5 computed on the way, renamed to `path`
     * once it matches the Content-MD5 (a corrupted one is removed and
     * retried). Fails with `DownloadWriteError` when the file cannot be written.
     */
    readonly downloadTo: (request: CallRequest, path: string) => Effect.Effect<Download.DownloadedFile, MwsClientError>
    /** SubmitFeed with the feed's MD5 as the `ContentMD5Value` parameter. Not retried after an ambiguous failure. */
    readonly submitFeed: (feed: FeedRequest) => Effect.Effect<ResponseBody.MwsResponse, MwsClientError>
  }
>()("@mws-kit/mws-client/MwsClient") {
  /**
   * The client over the `Throttle` and `Transport` in the context, recording
   * through `options.record`.
   */
  static readonly layerWith = (
    config: ClientConfig.ClientConfig,
    options: ClientOptions & { readonly record: NonNullable<ClientOptions["record"]> }
  ): Layer.Layer<MwsClient, never, Throttle.Throttle | Transport> => Layer.effect(MwsClient, make(config, options))

  /**
   * The client over the `Throttle`, `Transport` and request `Ledger` in the
   * context: every attempt goes to the ledger.
   */
  static readonly layer = (
    config: ClientConfig.ClientConfig,
    options: ClientOptions = {}
  ): Layer.Layer<MwsClient, never, Throttle.Throttle | Transport | Ledger.Ledger> =>
    Layer.effect(
      MwsClient,
      Effect.flatMap(Effect.service(Ledger.Ledger), (ledger) =>
        make(config, { record: ledger.record, begin: ledger.begin, complete: ledger.complete, ...options })
      )
    )
}

/**
 * A feed to submit.
 *
 * @category models
 * @since 0.1.0
 */
export interface FeedRequest {
  /** The `FeedType`, e.g. `_POST_PRODUCT_DATA_`. */
  readonly feedType: string
  readonly feed: string | Uint8Array
  readonly contentType?: string | undefined
  /** `MarketplaceIdList.Id.N` values. */
  readonly marketplaceIds?: ReadonlyArray<string> | undefined
  /** More parameters (`PurgeAndReplace`...). */
  readonly params?: Params | undefined
  /** SubmitFeed is not idempotent; `true` allows a retry after an ambiguous failure. */
  readonly retryAmbiguous?: boolean | undefined
}

type Mode = "parse" | "download" | "file"

type Outcome<M extends Mode> = M extends "parse"
  ? ResponseBody.MwsResponse
  : M extends "download"
    ? ResponseBody.MwsDocument
    : Download.DownloadedFile

const textDecoder = new TextDecoder()

/** Removes a file if it is there. */
const removeFile = (path: string): Effect.Effect<void> => Effect.promise(() => rm(path, { force: true }))

/** Renames a file; the system's reason when it cannot. */
const renameFile = (from: string, to: string): Effect.Effect<string | undefined> =>
  Effect.promise(() =>
    rename(from, to).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => `${error.code ?? "error"}: ${error.message}`
    )
  )

/**
 * Makes a client over the `Throttle` and `Transport` in the context.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function* (
  config: ClientConfig.ClientConfig,
  options: ClientOptions & { readonly record: NonNullable<ClientOptions["record"]> }
) {
  const throttle = yield* Throttle.Throttle
  const transport = yield* Transport
  // The retry budget in the context when the client is built (the process-wide one unless a layer provides another).
  const budget = yield* RetryBudget.RetryBudget
  const noRetry = options.retry === false
  const retryDefaults = { budget, ...scaledRetryOptions(config.timeScale), ...(options.retry || {}) }
  const onLedgerFailure = options.onLedgerFailure ?? "log"

  const writeAhead = options.writeAhead === true && options.begin !== undefined && options.complete !== undefined
  const maxBodyBytes = config.maxResponseBytes ?? ResponseLimit.DEFAULT_MAX_RESPONSE_BYTES

  const refused = (input: LedgerEntry.RecordInput | LedgerEntry.BeginInput) => (cause: Cause.Cause<unknown>) =>
    onLedgerFailure === "die"
      ? Effect.die(cause)
      : Effect.logError("The request ledger refused an entry; it is logged here instead").pipe(
          Effect.annotateLogs({
            "mws.request_id": input.requestId ?? "none",
            "mws.request_timestamp": input.requestTimestamp ?? "none",
            "mws.operation": `${input.section}/${input.operation}`,
            "mws.call_id": input.callId,
            "mws.attempt": input.attempt,
            "mws.outcome": "outcome" in input ? input.outcome : "in-flight",
            "ledger.error": String(cause).slice(0, 500)
          }),
          Effect.andThen(
            options.onLedgerRefusal === undefined ? Effect.void : options.onLedgerRefusal(input, Cause.squash(cause))
          )
        )

  /** The attempt's `in-flight` row, in write-ahead mode; `undefined` when off or refused (then logged). */
  const begin = (input: LedgerEntry.BeginInput): Effect.Effect<LedgerEntry.LedgerEntry | undefined> =>
    !writeAhead
      ? Effect.succeed(undefined)
      : options.begin!(input).pipe(
          Effect.catchCause((cause) =>
            Effect.as(refused(input)(cause), undefined as LedgerEntry.LedgerEntry | undefined)
          )
        )

  const record = (input: LedgerEntry.RecordInput, begun?: LedgerEntry.LedgerEntry): Effect.Effect<void> =>
    // The client records final outcomes only (in-flight rows come from `begin`).
    (begun === undefined
      ? options.record(input)
      : Effect.asVoid(options.complete!(begun, { ...input, outcome: input.outcome as LedgerEntry.FinalOutcome }))
    ).pipe(Effect.catchCause(refused(input)))

  const onAttempt = options.onAttempt

  // A failed attempt is recorded once the policy has decided what follows it (retried, gave-up or
  // failed). Policies are made once per operation; the call's facts reach them through CallFacts.
  const onDecision = (decision: RetryDecision.RetryDecision): Effect.Effect<void> =>
    Effect.withFiber((fiber) => {
      const facts = fiber.getRef(CallFacts)
      const fact = facts?.get(decision.attempt)
      if (facts === undefined || fact === undefined || fact.inFlight) return Effect.void
      facts.delete(decision.attempt)
      const outcome: LedgerEntry.Outcome =
        decision.action === "retry"
          ? "retried"
          : decision.attempt === 1 && (decision.reason === "not-retryable" || decision.reason === "ambiguous")
            ? "failed"
            : "gave-up"
      return report({ ...fact.input, outcome }, fact.begun, decision)
    })
  const policies = new Map<string, RetryPolicy.RetryPolicy>()
  const policyFor = (operation: string, idempotent: boolean, restoreMs: number): RetryPolicy.RetryPolicy => {
    const key = `${operation}\u0000${idempotent}\u0000${restoreMs}`
    let policy = policies.get(key)
    if (policy === undefined) {
      policy = RetryPolicy.make({
        ...retryDefaults,
        classify,
        idempotent,
        operation,
        throttledRestoreInterval: restoreMs,
        onDecision
      })
      if (policies.size < MAX_CACHED_POLICIES) policies.set(key, policy)
    }
    return policy
  }
  const report = (
    input: LedgerEntry.RecordInput,
    begun: LedgerEntry.LedgerEntry | undefined,
    decision?: RetryDecision.RetryDecision
  ): Effect.Effect<void> =>
    onAttempt === undefined
      ? record(input, begun)
      : Effect.andThen(
          record(input, begun),
          onAttempt(
            decision === undefined
              ? input
              : {
                  ...input,
                  reason: decision.reason,
                  ...(decision.action === "retry" ? { nextDelayMs: decision.delayMs } : {})
                }
          )
        )

  const execute = <M extends Mode>(
    request: CallRequest,
    mode: M,
    path?: string
  ): Effect.Effect<Outcome<M>, MwsClientError> =>
    Effect.gen(function* () {
      const { section, operation } = request
      const sectionInfo = Endpoints.section(section, request.version)
      if (sectionInfo === undefined) {
        return yield* Effect.die(
          new Error(`Unknown section ${section}: pass its version (CallRequest.version), e.g. "2013-09-01"`)
        )
      }
      const params = expandParams(request.params)
      const sellerId = request.sellerId ?? config.sellerId
      const target = {
        sellerId,
        ...(config.developerId === undefined ? {} : { developerId: config.developerId }),
        section,
        operation
      }
      const resolved = yield* throttle.resolve(target)
      const items = resolved.entry.per === "item" ? (request.items ?? countItems(params)) : undefined
      const idempotent = request.idempotent ?? !isStateChanging(operation)
      const body =
        request.body === undefined
          ? undefined
          : typeof request.body === "string"
            ? new TextEncoder().encode(request.body)
            : request.body
      const marketplace = marketplaceOf(params, config)
      const ledgerParams = Object.fromEntries(params)
      const startedAt = yield* Clock.currentTimeMillis
      const callId = LedgerEntry.newId(startedAt)
      const facts = new Map<number, Facts>()
      const policy = policyFor(operation, idempotent, resolved.ref.intervalMs)

      const attempt = Effect.gen(function* () {
        const { attempt: number, delayBeforeMs } = yield* CurrentAttempt.CurrentAttempt
        const permit = yield* throttle.acquire({
          ...target,
          ...(items === undefined ? {} : { items }),
          ...(options.onThrottleWait === undefined ? {} : { onWait: options.onThrottleWait })
        })
        const now = yield* Clock.currentTimeMillis
        const timestamp = new Date(now).toISOString()
        const signed = RequestSigner.sign({
          method: "POST",
          endpoint: config.endpoint,
          path: sectionInfo.path,
          action: operation,
          version: sectionInfo.version,
          params,
          credentials: sellerId === config.sellerId ? config : { ...config, sellerId },
          timestamp,
          hasBody: body !== undefined
        })
        const base = {
          requestTimestamp: timestamp,
          section,
          operation,
          sellerId,
          marketplace: marketplace ?? null,
          attempt: number,
          callId,
          delayBeforeMs,
          params: ledgerParams
        }
        // Before sending: the attempt's facts as known now (an interruption records them as
        // `interrupted`), and its `in-flight` row in write-ahead mode.
        const pending = {
          ...base,
          durationMs: 0,
          requestId: null,
          serverTimestamp: null,
          httpStatus: null
        }
        const begun = yield* begin(pending)
        const inFlight: Facts = { input: pending, begun, sentAt: now, inFlight: true }
        facts.set(number, inFlight)
        // Kept as is: the headers are parsed once below, or by an interruption that needs them.
        const onHead = (head: ResponseHead) => {
          inFlight.head = head
        }
        const sent = yield* Effect.result(
          transport.send({
            signed,
            body,
            contentType: request.contentType,
            userAgent: config.userAgent,
            timeout: config.timeout,
            section,
            operation,
            maxBodyBytes,
            md5: mode !== "parse",
            destination: mode === "file" ? `${path}${Download.PARTIAL_SUFFIX}` : undefined,
            onHead
          })
        )
        const durationMs = (yield* Clock.currentTimeMillis) - now
        const fail = (
          error: MwsClientError,
          response?: {
            requestId?: string | undefined
            serverTimestamp?: string | undefined
            httpStatus?: number | undefined
            quota?: QuotaInfo.QuotaHeaders | undefined
          }
        ) => {
          const view = classify(error)
          facts.set(number, {
            begun,
            sentAt: now,
            inFlight: false,
            input: {
              ...base,
              durationMs,
              requestId: response?.requestId ?? null,
              serverTimestamp: response?.serverTimestamp ?? null,
              httpStatus: response?.httpStatus ?? null,
              ...quotaFields(response?.quota),
              ...errorFields(error, view)
            }
          })
          return Effect.andThen(
            Effect.annotateCurrentSpan({
              "mws.attempt": number,
              "mws.delay_before_ms": delayBeforeMs,
              "mws.error_code": view.code ?? view.errorClass,
              ...(response?.requestId === undefined ? {} : { "mws.request_id": response.requestId }),
              ...(response?.httpStatus === undefined ? {} : { "http.response.status_code": response.httpStatus })
            }),
            Effect.fail(error)
          )
        }
        if (sent._tag === "Failure") {
          // The status and headers may have arrived before the body broke off: keep the RequestId.
          const { requestId, serverTimestamp, httpStatus } = sent.failure
          return yield* fail(sent.failure, { requestId, serverTimestamp, httpStatus })
        }
        const response = sent.success
        const headers = ResponseHeaders.normalize(response.headers)
        const requestId = ResponseHeaders.requestId(headers)
        const serverTimestamp = ResponseHeaders.serverTimestamp(headers)
        const quota = ResponseHeaders.quota(headers)
        if (quota !== undefined) {
          yield* throttle.observeHeaders(target, response.headers).pipe(Effect.ignore)
        }
        const meta = { requestId, serverTimestamp, httpStatus: response.status, quota }

        if (response.status < 200 || response.status > 299) {
          const error = ErrorResponse.toError({
            body: response.body,
            status: response.status,
            headers,
            section,
            operation,
            requestTimestamp: timestamp
          })
          if (MwsError.isMwsError(error)) {
            if (error.code === "RequestThrottled") yield* throttle.reportThrottled(target).pipe(Effect.ignore)
            if (error.code === "QuotaExceeded") {
              const hint = error.retryHint
              const at = hint?.resetsAt === undefined ? undefined : Date.parse(hint.resetsAt)
              const resetsAt =
                at === undefined || Number.isNaN(at)
                  ? undefined
                  : hint?.source === "message"
                    ? at + MESSAGE_RESET_MARGIN_MS
                    : at
              yield* throttle.reportQuotaExceeded(target, resetsAt).pipe(Effect.ignore)
            }
          }
          return yield* fail(error, meta)
        }

        if (response.overLimit === true) {
          const declared = Number(response.headers["content-length"])
          return yield* fail(
            new ResponseLimit.ResponseTooLarge({
              section,
              operation,
              httpStatus: response.status,
              limitBytes: response.limitBytes ?? maxBodyBytes,
              ...(Number.isSafeInteger(declared) && declared > 0 ? { declaredBytes: declared } : {}),
              ...(requestId === undefined ? {} : { requestId }),
              requestTimestamp: timestamp
            }),
            meta
          )
        }

        const metadata: ResponseBody.ResponseMetadata = {
          requestId,
          requestTimestamp: timestamp,
          serverTimestamp,
          httpStatus: response.status,
          quota,
          callId,
          attempt: number,
          durationMs,
          throttleWaitMs: permit.waitedMs
        }
        let result: ResponseBody.MwsResponse | ResponseBody.MwsDocument | Download.DownloadedFile
        if (mode !== "parse") {
          const contentMd5 = response.headers["content-md5"]
          const partial = `${path}${Download.PARTIAL_SUFFIX}`
          if (response.destinationError !== undefined) {
            yield* removeFile(partial)
            return yield* fail(
              new Download.DownloadWriteError({
                section,
                operation,
                path: path!,
                reason: response.destinationError,
                httpStatus: response.status,
                ...(requestId === undefined ? {} : { requestId }),
                requestTimestamp: timestamp
              }),
              meta
            )
          }
          const computed = response.md5 ?? ContentMd5.of(response.body)
          if (!ContentMd5.matchesDigest(computed, contentMd5)) {
            if (mode === "file") yield* removeFile(partial)
            const error = MwsError.make({
              code: "ContentMD5DoesNotMatch",
              httpStatus: response.status,
              mwsMessage: `Received Content-MD5 = ${computed} but expected ${contentMd5}: the download is corrupted`,
              ...(requestId === undefined ? {} : { requestId }),
              requestTimestamp: timestamp,
              ...(serverTimestamp === undefined ? {} : { serverTimestamp }),
              section,
              operation
            })
            return yield* fail(error, meta)
          }
          if (mode === "file") {
            const renamed = yield* renameFile(partial, path!)
            if (renamed !== undefined) {
              return yield* fail(
                new Download.DownloadWriteError({
                  section,
                  operation,
                  path: path!,
                  reason: renamed,
                  httpStatus: response.status,
                  ...(requestId === undefined ? {} : { requestId }),
                  requestTimestamp: timestamp
                }),
                meta
              )
            }
            result = {
              section,
              operation,
              path: path!,
              bytes: response.bytesWritten ?? 0,
              contentType: response.headers["content-type"],
              contentMd5,
              metadata
            } satisfies Download.DownloadedFile
          } else {
            result = {
              section,
              operation,
              bytes: response.body,
              text: textDecoder.decode(response.body),
              contentType: response.headers["content-type"],
              contentMd5,
              metadata
            } satisfies ResponseBody.MwsDocument
          }
        } else {
          const text = textDecoder.decode(response.body)
          const problem = ResponseBody.check(text)
          if (problem !== undefined) {
            return yield* fail(
              new ResponseBody.MalformedResponse({
                reason: problem.reason,
                problem: problem.problem,
                section,
                operation,
                httpStatus: response.status,
                ...(requestId === undefined ? {} : { requestId }),
                requestTimestamp: timestamp
              }),
              meta
            )
          }
          const itemErrors =
            section === "Products"
              ? ItemErrors.fromSuccessBody({ status: response.status, body: text, headers, section, operation })
              : undefined
          result = ResponseBody.makeResponse({
            section,
            operation,
            xml: text,
            itemErrors: itemErrors !== undefined && itemErrors._tag === "Success" ? itemErrors.success : [],
            metadata:
              requestId === undefined
                ? { ...metadata, requestId: ResponseBody.bodyRequestId(ResponseBody.tree(text).document) }
                : metadata
          })
        }
        yield* Effect.annotateCurrentSpan({
          "mws.attempt": number,
          "mws.delay_before_ms": delayBeforeMs,
          ...(result.metadata.requestId === undefined ? {} : { "mws.request_id": result.metadata.requestId }),
          "http.response.status_code": response.status
        })
        facts.delete(number)
        yield* report(
          {
            ...base,
            durationMs,
            requestId: result.metadata.requestId ?? null,
            serverTimestamp: serverTimestamp ?? null,
            httpStatus: response.status,
            ...quotaFields(quota),
            outcome: "success"
          },
          begun
        )
        return result as Outcome<M>
      }).pipe(
        Effect.withSpan(
          "MwsClient.attempt",
          { attributes: { "mws.operation": operation } },
          { captureStackTrace: false }
        )
      )

      // Interrupted (Ctrl-C, a timeout around the call): the attempt in flight, and a failed one
      // still waiting for its decision, are recorded as `interrupted` with whatever is known.
      const recordInterrupted = Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const left = [...facts.values()]
        facts.clear()
        for (const fact of left) {
          const durationMs = fact.inFlight ? Math.max(0, now - fact.sentAt) : fact.input.durationMs
          const head = fact.head === undefined ? undefined : ResponseHeaders.normalize(fact.head.headers)
          // The entry is in the ledger's buffer at once; waiting for a (sync) commit is bounded, so a
          // stalled store cannot hold an interruption: the ledger's close writes or spills it.
          const answered =
            head === undefined
              ? {}
              : {
                  httpStatus: fact.head!.status,
                  requestId: ResponseHeaders.requestId(head) ?? null,
                  serverTimestamp: ResponseHeaders.serverTimestamp(head) ?? null
                }
          yield* report({ ...fact.input, ...answered, durationMs, outcome: "interrupted" }, fact.begun).pipe(
            Effect.interruptible,
            Effect.timeoutOption(INTERRUPTED_RECORD_WAIT),
            Effect.asVoid
          )
        }
      })
      const attempts = noRetry
        ? // One attempt: a failure is recorded as `failed` and ends the call unchanged.
          attempt.pipe(
            Effect.tapError(() =>
              Effect.suspend(() => {
                const fact = facts.get(1)
                if (fact === undefined || fact.inFlight) return Effect.void
                facts.delete(1)
                return report({ ...fact.input, outcome: "failed" }, fact.begun)
              })
            )
          )
        : attempt.pipe(RetryPolicy.retry(policy), Effect.provideService(CallFacts, facts))
      return yield* attempts.pipe(Effect.onInterrupt(() => recordInterrupted))
    }).pipe(
      Effect.withSpan(
        "MwsClient.call",
        { attributes: { "mws.section": request.section, "mws.operation": request.operation } },
        { captureStackTrace: false }
      )
    ) as Effect.Effect<Outcome<M>, MwsClientError>

  const call = (request: CallRequest) => execute(request, "parse")
  const download = (request: CallRequest) => execute(request, "download")
  const downloadTo = (request: CallRequest, path: string) => execute(request, "file", path)
  const submitFeed = (feed: FeedRequest) =>
    execute(
      {
        section: "Feeds",
        operation: "SubmitFeed",
        params: [
          ["FeedType", feed.feedType],
          ...expandParams(
            feed.marketplaceIds === undefined ? undefined : { "MarketplaceIdList.Id": feed.marketplaceIds }
          ),
          ...expandParams(feed.params),
          [ContentMd5.PARAMETER, ContentMd5.of(feed.feed)]
        ],
        body: feed.feed,
        contentType: feed.contentType,
        idempotent: feed.retryAmbiguous === true
      },
      "parse"
    )

  return MwsClient.of({
    target: { endpoint: config.endpoint, sellerId: config.sellerId, marketplaceId: config.marketplace?.marketplaceId },
    call,
    download,
    downloadTo,
    submitFeed
  })
})
