/**
 * The shapes a caller of the client meets: a call, a feed, what a call can
 * fail with, the client's options and the per-attempt report. Re-exported
 * by `MwsClient`, where users find them.
 *
 * @internal
 */
import type { RetryGaveUp, RetryPolicy } from "@mws-kit/backoff-policy"
import type { MwsError, UnparseableErrorBody } from "@mws-kit/error-codes"
import type { LedgerEntry } from "@mws-kit/request-ledger"
import type { Throttle } from "@mws-kit/throttle"
import type { Effect } from "effect"
import type * as Download from "../Download.ts"
import type * as ResponseBody from "../ResponseBody.ts"
import type * as ResponseLimit from "../ResponseLimit.ts"
import type * as TransportError from "../TransportError.ts"
import type * as CallParams from "./callParams.ts"

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
  readonly params?: CallParams.Params | undefined
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
  readonly params?: CallParams.Params | undefined
  /** SubmitFeed is not idempotent; `true` allows a retry after an ambiguous failure. */
  readonly retryAmbiguous?: boolean | undefined
}
