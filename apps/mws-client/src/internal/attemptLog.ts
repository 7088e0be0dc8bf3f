/**
 * Each attempt of a call on its way to the ledger, recorded once its outcome
 * is known: a success at once; a failure when the retry policy has decided
 * what follows it (`retried`, `failed` or `gave-up`, as the policy's
 * `DecidedAttempt` says, with the error columns from its classification);
 * an attempt cut short by an interruption as `interrupted`, with whatever
 * it knew. In write-ahead mode each attempt is first written `in-flight` and
 * that row completed. The ledger refusing a row never fails the call: it is
 * logged (or, with `onLedgerFailure: "die"`, a defect).
 *
 * Attempts of one call are sequential, so a call keeps one slot: the
 * attempt in flight, or the failed one waiting for its decision.
 *
 * @internal
 */
import type { Classifier, RetryDecision, RetryPolicy } from "@mws-kit/backoff-policy"
import type { LedgerEntry } from "@mws-kit/request-ledger"
import { ResponseHeaders } from "@mws-kit/wire-format"
import { Cause, Clock, Duration, Effect } from "effect"
import type { ResponseHead } from "../Transport.ts"
import type { AttemptReport, ClientOptions } from "./clientModels.ts"
import * as Rows from "./ledgerRows.ts"

/**
 * How long an interrupted call waits for its `interrupted` row to be
 * committed: 250 ms. The row is in the ledger's buffer as soon as it is
 * recorded; past this wait the ledger's own close writes it or spills it to
 * a file, and Ctrl-C still ends a CLI within its one second.
 *
 * @internal
 */
export const INTERRUPTED_RECORD_WAIT: Duration.Duration = Duration.millis(250)

/** The attempt a call is on: in flight, or failed and waiting for the policy's decision. */
interface Slot {
  readonly attempt: number
  row: Rows.AttemptRow
  readonly begun: LedgerEntry.LedgerEntry | undefined
  /** When it was sent (Unix ms): an interruption records the time since as its duration. */
  readonly sentAt: number
  inFlight: boolean
  /** The response's status and headers once they arrived; read only if the attempt is interrupted. */
  head: ResponseHead | undefined
}

/** One call's attempts. @internal */
export interface CallLog {
  /** Before sending: the attempt's row as known now (and its `in-flight` row in write-ahead mode). */
  readonly start: (row: Rows.AttemptRow, sentAt: number) => Effect.Effect<void>
  /** The response's head arrived: kept as is, for an interruption. */
  readonly onHead: (head: ResponseHead) => void
  /** The attempt failed with this row: it waits for the policy's decision. */
  readonly failed: (row: Rows.AttemptRow) => void
  /** The policy's decision on the failed attempt: records it. */
  readonly decided: RetryPolicy.OnDecision<unknown>
  /** No retry policy: records the failed attempt as `failed`, classified here. */
  readonly failedWithoutRetry: (error: unknown, classify: Classifier.Classifier<unknown>) => Effect.Effect<void>
  readonly succeeded: (row: Rows.AttemptRow) => Effect.Effect<void>
  /** The call was interrupted: records the attempt it was on as `interrupted`. */
  readonly interrupted: Effect.Effect<void>
}

/** What the client records with: the ledger's functions and the client's options. @internal */
export type RecorderOptions = ClientOptions & { readonly record: NonNullable<ClientOptions["record"]> }

/** A client's recorder: makes the log of each call. @internal */
export const makeRecorder = (options: RecorderOptions): { readonly forCall: () => CallLog } => {
  const onLedgerFailure = options.onLedgerFailure ?? "log"
  const writeAhead = options.writeAhead === true && options.begin !== undefined && options.complete !== undefined
  const { onAttempt } = options

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

  const begin = (input: LedgerEntry.BeginInput): Effect.Effect<LedgerEntry.LedgerEntry | undefined> =>
    !writeAhead
      ? Effect.succeed(undefined)
      : options.begin!(input).pipe(
          Effect.catchCause((cause) =>
            Effect.as(refused(input)(cause), undefined as LedgerEntry.LedgerEntry | undefined)
          )
        )

  const record = (input: LedgerEntry.RecordInput, begun: LedgerEntry.LedgerEntry | undefined): Effect.Effect<void> =>
    (begun === undefined
      ? options.record(input)
      : Effect.asVoid(options.complete!(begun, { ...input, outcome: input.outcome as LedgerEntry.FinalOutcome }))
    ).pipe(Effect.catchCause(refused(input)))

  const report = (
    input: LedgerEntry.RecordInput,
    begun: LedgerEntry.LedgerEntry | undefined,
    decision?: RetryDecision.RetryDecision
  ): Effect.Effect<void> => {
    if (onAttempt === undefined) return record(input, begun)
    const attemptReport: AttemptReport =
      decision === undefined
        ? input
        : {
            ...input,
            reason: decision.reason,
            ...(decision.action === "retry" ? { nextDelayMs: decision.delayMs } : {})
          }
    return Effect.andThen(record(input, begun), onAttempt(attemptReport))
  }

  const forCall = (): CallLog => {
    let slot: Slot | undefined
    /** The failed attempt waiting for its decision, taken out of the slot. */
    const takeFailed = (attempt?: number): Slot | undefined => {
      const taken = slot
      if (taken === undefined || taken.inFlight || (attempt !== undefined && taken.attempt !== attempt)) {
        return undefined
      }
      slot = undefined
      return taken
    }
    return {
      start: (row, sentAt) => {
        const open = (begun: LedgerEntry.LedgerEntry | undefined) => {
          slot = { attempt: row.attempt, row, begun, sentAt, inFlight: true, head: undefined }
        }
        return writeAhead ? Effect.map(begin(row), open) : Effect.sync(() => open(undefined))
      },
      onHead: (head) => {
        if (slot !== undefined) slot.head = head
      },
      failed: (row) => {
        if (slot === undefined) return
        slot.row = row
        slot.inFlight = false
      },
      decided: (decision, attempt) => {
        const failed = takeFailed(decision.attempt)
        if (failed === undefined) return Effect.void
        const row = Rows.failed(failed.row, attempt.error, attempt.classification)
        return report({ ...row, outcome: attempt.ending }, failed.begun, decision)
      },
      failedWithoutRetry: (error, classify) =>
        Effect.suspend(() => {
          const failed = takeFailed()
          if (failed === undefined) return Effect.void
          return report({ ...Rows.failed(failed.row, error, classify(error)), outcome: "failed" }, failed.begun)
        }),
      succeeded: (row) =>
        Effect.suspend(() => {
          const begun = slot?.begun
          slot = undefined
          return report({ ...row, outcome: "success" }, begun)
        }),
      interrupted: Effect.suspend(() => {
        const left = slot
        slot = undefined
        if (left === undefined) return Effect.void
        return Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const durationMs = left.inFlight ? Math.max(0, now - left.sentAt) : left.row.durationMs
          const head = left.head === undefined ? undefined : ResponseHeaders.normalize(left.head.headers)
          const answered =
            head === undefined
              ? {}
              : {
                  httpStatus: left.head!.status,
                  requestId: ResponseHeaders.requestId(head) ?? null,
                  serverTimestamp: ResponseHeaders.serverTimestamp(head) ?? null
                }
          // The entry is in the ledger's buffer at once; waiting for a (sync) commit is bounded, so a
          // stalled store cannot hold an interruption: the ledger's close writes or spills it.
          return report({ ...left.row, ...answered, durationMs, outcome: "interrupted" }, left.begun).pipe(
            Effect.interruptible,
            Effect.timeoutOption(INTERRUPTED_RECORD_WAIT),
            Effect.asVoid
          )
        })
      })
    }
  }
  return { forCall }
}
