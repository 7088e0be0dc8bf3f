// #region layer
import { Ledger, SqliteStore } from "@mws-kit/request-ledger"
import { Effect, Layer, Option } from "effect"

// One file: .mws-kit/ledger.sqlite under the working directory, or $MWS_KIT_LEDGER_PATH.
export const LedgerLive = Ledger.layer().pipe(Layer.provide(SqliteStore.layer()))

// Or a file of your choosing, and other settings.
export const ledgerAt = (filename: string) =>
  Ledger.layer({ durability: "sync", retention: "45 days" }).pipe(Layer.provide(SqliteStore.layer({ filename })))
// #endregion layer

// #region record
const attempt = (callId: string, n: number, outcome: "retried" | "gave-up") => ({
  callId,
  attempt: n,
  section: "Orders",
  operation: "ListOrders",
  sellerId: "A2EXAMPLE",
  marketplace: "ATVPDKIKX0DER",
  requestTimestamp: `2026-11-25T10:00:0${n}Z`, // the Timestamp parameter you signed
  requestId: `7f3e0c1a-4b2d-4e8f-9a6b-d1c2b3a4f50${n}`, // x-mws-request-id; null when no response came
  serverTimestamp: `2026-11-25T10:00:0${n}.412Z`, // x-mws-timestamp
  httpStatus: 503,
  errorCode: "RequestThrottled",
  errorClass: "throttled" as const,
  message: "Request is throttled",
  durationMs: 412,
  outcome,
  // Allow-listed parameters are kept; the signature and the keys never are.
  params: { "MarketplaceId.Id.1": "ATVPDKIKX0DER", Signature: "dropped, never stored" }
})

export const program = Effect.gen(function* () {
  const ledger = yield* Ledger.Ledger
  const callId = yield* ledger.newCallId // time-ordered; ties the attempts of one call together
  yield* ledger.record(attempt(callId, 1, "retried"))
  yield* ledger.record(attempt(callId, 2, "retried"))
  const last = yield* ledger.record(attempt(callId, 3, "gave-up")) // the stored entry: entryId, recordedAt
  yield* ledger.flush // queries read what is committed

  const found = yield* ledger.byRequestId("7f3e0c1a-4b2d-4e8f-9a6b-d1c2b3a4f502")
  const example = yield* ledger.bestExample({ errorCode: "RequestThrottled" })
  return { last, found, ticket: Option.map(example, (e) => e.ticket) }
})
// #endregion record
