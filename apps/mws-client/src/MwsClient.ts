/**
 * The MWS client: one call is a throttle permit, a request signed with a
 * fresh Timestamp, a send with a timeout, and, on an error, the body parsed,
 * classified and handed to the retry policy; a RequestThrottled drains the
 * throttle's bucket, a QuotaExceeded blocks its hourly quota. Every attempt
 * is recorded in the request ledger, all attempts of one call under one
 * call id. Success bodies come back parsed, with the response metadata;
 * downloads come back checked against their Content-MD5.
 *
 * An attempt flows one way: permit, sign, send, read (the headers once),
 * interpret (`internal/interpretResponse.ts`), the retry policy's decision
 * (it classifies the failure once and hands it to the call's ledger log,
 * `internal/attemptLog.ts`), record.
 *
 * @since 0.1.0
 */
import { CurrentAttempt, RetryBudget, RetryPolicy } from "@mws-kit/backoff-policy"
import { Ledger, LedgerEntry } from "@mws-kit/request-ledger"
import { Throttle } from "@mws-kit/throttle"
import { Clock, Context, Effect, Layer } from "effect"
import type * as ClientConfig from "./ClientConfig.ts"
import * as ContentMd5 from "./ContentMd5.ts"
import * as Download from "./Download.ts"
import { classify } from "./internal/attemptClassifier.ts"
import { makeRecorder } from "./internal/attemptLog.ts"
import * as CallParams from "./internal/callParams.ts"
import type { CallRequest, ClientOptions, FeedRequest, MwsClientError } from "./internal/clientModels.ts"
import * as Interpret from "./internal/interpretResponse.ts"
import * as Rows from "./internal/ledgerRows.ts"
import { makePolicies, scaledRetryOptions } from "./internal/retryPolicies.ts"
import * as RequestSigner from "./RequestSigner.ts"
import type * as ResponseBody from "./ResponseBody.ts"
import * as ResponseLimit from "./ResponseLimit.ts"
import { Transport } from "./Transport.ts"

export { INTERRUPTED_RECORD_WAIT } from "./internal/attemptLog.ts"
export {
  countItems,
  expandParams,
  isStateChanging,
  type Params,
  type ParamValue,
  STATE_CHANGING_PREFIXES
} from "./internal/callParams.ts"
export type {
  AttemptReport,
  CallRequest,
  ClientOptions,
  FeedRequest,
  MwsClientError
} from "./internal/clientModels.ts"
export { MESSAGE_RESET_MARGIN_MS } from "./internal/interpretResponse.ts"
export { scaledRetryOptions } from "./internal/retryPolicies.ts"

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
  const policyFor = makePolicies({ budget, ...scaledRetryOptions(config.timeScale), ...(options.retry || {}) })
  const recorder = makeRecorder(options)
  const maxBodyBytes = config.maxResponseBytes ?? ResponseLimit.DEFAULT_MAX_RESPONSE_BYTES
  const onWait = options.onThrottleWait === undefined ? {} : { onWait: options.onThrottleWait }

  const execute = <M extends Interpret.Mode>(
    request: CallRequest,
    mode: M,
    path?: string
  ): Effect.Effect<Interpret.ModeResult<M>, MwsClientError> =>
    Effect.gen(function* () {
      const call = CallParams.prepare(config, request)
      if (call === undefined) {
        return yield* Effect.die(
          new Error(`Unknown section ${request.section}: pass its version (CallRequest.version), e.g. "2013-09-01"`)
        )
      }
      const { section, operation } = call
      const resolved = yield* throttle.resolve(call.target)
      const items = resolved.entry.per === "item" ? (request.items ?? CallParams.countItems(call.params)) : undefined
      const callId = LedgerEntry.newId(yield* Clock.currentTimeMillis)
      const log = recorder.forCall()
      const credentials = call.sellerId === config.sellerId ? config : { ...config, sellerId: call.sellerId }

      const attempt = Effect.gen(function* () {
        const { attempt: number, delayBeforeMs } = yield* CurrentAttempt.CurrentAttempt
        const permit = yield* throttle.acquire({ ...call.target, resolved, items, ...onWait })
        const sentAt = yield* Clock.currentTimeMillis
        const requestTimestamp = new Date(sentAt).toISOString()
        const signed = RequestSigner.sign({
          method: "POST",
          endpoint: config.endpoint,
          path: call.path,
          action: operation,
          version: call.version,
          params: call.params,
          credentials,
          timestamp: requestTimestamp,
          hasBody: call.body !== undefined
        })
        const row = Rows.pending(call, { requestTimestamp, attempt: number, callId, delayBeforeMs })
        yield* log.start(row, sentAt)
        const sent = yield* Effect.result(
          transport.send({
            signed,
            body: call.body,
            contentType: call.contentType,
            userAgent: config.userAgent,
            timeout: config.timeout,
            section,
            operation,
            maxBodyBytes,
            md5: mode !== "parse",
            destination: mode === "file" ? `${path}${Download.PARTIAL_SUFFIX}` : undefined,
            onHead: log.onHead
          })
        )
        const durationMs = (yield* Clock.currentTimeMillis) - sentAt
        const read: Interpret.Interpreted =
          sent._tag === "Failure"
            ? // The status and headers may have arrived before the body broke off: keep the RequestId.
              { _tag: "Failure", error: sent.failure, answered: sent.failure }
            : yield* Interpret.interpret(
                throttle,
                {
                  call,
                  mode,
                  path,
                  requestTimestamp,
                  maxBodyBytes,
                  callId,
                  attempt: number,
                  durationMs,
                  throttleWaitMs: permit.waitedMs
                },
                sent.success
              )
        const answeredRow = Rows.answered(row, durationMs, read.answered)
        yield* Effect.annotateCurrentSpan({
          "mws.attempt": number,
          "mws.delay_before_ms": delayBeforeMs,
          ...(read.answered.requestId === undefined ? {} : { "mws.request_id": read.answered.requestId }),
          ...(read.answered.httpStatus === undefined ? {} : { "http.response.status_code": read.answered.httpStatus }),
          ...(read._tag === "Failure" ? { "mws.error_code": Rows.spanErrorLabel(read.error) } : {})
        })
        if (read._tag === "Failure") {
          log.failed(answeredRow)
          return yield* Effect.fail(read.error)
        }
        yield* log.succeeded(answeredRow)
        return read.value as Interpret.ModeResult<M>
      }).pipe(
        Effect.withSpan(
          "MwsClient.attempt",
          { attributes: { "mws.operation": operation } },
          { captureStackTrace: false }
        )
      )

      const attempts = noRetry
        ? // One attempt: a failure is recorded as `failed` and ends the call unchanged.
          attempt.pipe(Effect.tapError((error) => log.failedWithoutRetry(error, classify)))
        : attempt.pipe(
            RetryPolicy.retry(
              RetryPolicy.withOnDecision(policyFor(operation, call.idempotent, resolved.ref.intervalMs), log.decided)
            )
          )
      // Interrupted (Ctrl-C, a timeout around the call): the attempt it was on is recorded as `interrupted`.
      return yield* attempts.pipe(Effect.onInterrupt(() => log.interrupted))
    }).pipe(
      Effect.withSpan(
        "MwsClient.call",
        { attributes: { "mws.section": request.section, "mws.operation": request.operation } },
        { captureStackTrace: false }
      )
    ) as Effect.Effect<Interpret.ModeResult<M>, MwsClientError>

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
          ...CallParams.expandParams(
            feed.marketplaceIds === undefined ? undefined : { "MarketplaceIdList.Id": feed.marketplaceIds }
          ),
          ...CallParams.expandParams(feed.params),
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
