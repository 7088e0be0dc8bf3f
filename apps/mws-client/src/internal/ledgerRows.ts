/**
 * The ledger row of an attempt, assembled in the order it becomes known:
 * what is known before sending (pending), what the response said about
 * itself (answered), and the error columns, from the retry policy's
 * classification (failed).
 *
 * @internal
 */
import type { Classifier } from "@mws-kit/backoff-policy"
import { type ErrorClass, MwsError } from "@mws-kit/error-codes"
import type { LedgerEntry } from "@mws-kit/request-ledger"
import type { ResponseHeaders } from "@mws-kit/wire-format"
import type { PreparedCall } from "./callParams.ts"

/** An attempt's row, all but its outcome. @internal */
export type AttemptRow = Omit<LedgerEntry.RecordInput, "outcome">

/** What a response said about itself, read from its headers once. @internal */
export interface Answered {
  readonly requestId?: string | undefined
  readonly serverTimestamp?: string | undefined
  readonly httpStatus?: number | undefined
  readonly quota?: ResponseHeaders.QuotaFields | undefined
}

/** Which attempt of which call, sent when. @internal */
export interface AttemptIdentity {
  readonly requestTimestamp: string
  readonly attempt: number
  readonly callId: string
  readonly delayBeforeMs: number
}

/** The row of an attempt about to be sent: nothing answered yet. @internal */
export const pending = (call: PreparedCall, identity: AttemptIdentity): AttemptRow => ({
  ...identity,
  section: call.section,
  operation: call.operation,
  sellerId: call.sellerId,
  marketplace: call.marketplace,
  params: call.ledgerParams,
  durationMs: 0,
  requestId: null,
  serverTimestamp: null,
  httpStatus: null
})

/** The row with what the response said, and how long the attempt took. @internal */
export const answered = (row: AttemptRow, durationMs: number, answer: Answered): AttemptRow => {
  const { quota } = answer
  return {
    ...row,
    durationMs,
    requestId: answer.requestId ?? null,
    serverTimestamp: answer.serverTimestamp ?? null,
    httpStatus: answer.httpStatus ?? null,
    ...(quota === undefined
      ? {}
      : { quotaMax: quota.max ?? null, quotaRemaining: quota.remaining ?? null, quotaResetsOn: quota.resetsOn ?? null })
  }
}

const messageOf = (error: unknown): string | null => {
  if (MwsError.isMwsError(error)) return error.mwsMessage === "" ? null : error.mwsMessage
  return error instanceof Error ? error.message : null
}

/** The row with its error columns, from the error and the classification the retry policy made of it. @internal */
export const failed = (row: AttemptRow, error: unknown, view: Classifier.Classification): AttemptRow => ({
  ...row,
  errorCode: view.code ?? null,
  errorClass: view.errorClass as ErrorClass.ErrorClass,
  errorType: MwsError.isMwsError(error) && error.type !== "" ? error.type : null,
  message: messageOf(error)
})

/**
 * A short label of a failure for the attempt's span (the MWS code, else the
 * error's tag); the classified code is on the call's span, with the retry
 * decision.
 *
 * @internal
 */
export const spanErrorLabel = (error: unknown): string =>
  MwsError.isMwsError(error) ? error.code : ((error as { _tag?: string })?._tag ?? "unknown")
