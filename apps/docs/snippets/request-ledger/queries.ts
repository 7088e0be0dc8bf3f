// #region queries
import { Ledger, MemoryStore } from "@mws-kit/request-ledger"
import { Effect, Layer, Stream } from "effect"

const attempt = (
  callId: string,
  operation: string,
  n: number,
  code: string | null,
  outcome: "success" | "retried"
) => ({
  callId,
  attempt: n,
  section: "Feeds",
  operation,
  sellerId: "A2EXAMPLE",
  requestTimestamp: "2026-11-25T10:00:00Z",
  requestId: `${operation}-${n}`,
  httpStatus: code === null ? 200 : 500,
  errorCode: code,
  errorClass: code === null ? null : ("transient" as const),
  durationMs: 120,
  outcome
})

export const program = Effect.gen(function* () {
  const ledger = yield* Ledger.Ledger
  const call = yield* ledger.newCallId
  yield* ledger.record(attempt(call, "SubmitFeed", 1, "InternalError", "retried"))
  yield* ledger.record(attempt(call, "SubmitFeed", 2, null, "success"))
  yield* ledger.flush

  const attempts = yield* ledger.attempts(call) // by attempt number
  const transient = yield* ledger.find({ operation: "SubmitFeed", errorClass: "transient", limit: 50 })
  const followUp = yield* ledger.gaveUp({ from: Date.now() - 86_400_000 }) // calls that need manual follow-up
  const stats = yield* ledger.stats() // total, byOutcome, byCode, byClass, byOperation
  const csv = yield* ledger.exportCsv({ operation: "SubmitFeed" }).pipe(Stream.mkString) // header + rows, CRLF
  const jsonl = yield* ledger.exportJsonLines().pipe(Stream.runCollect) // one line per entry
  return { attempts, transient, followUp, stats, csv, jsonl }
})

// In memory, for tests: the same behaviour as SQLite and PostgreSQL.
export const TestLedger = Ledger.layer({ backgroundPrune: false }).pipe(Layer.provide(MemoryStore.layer))
// #endregion queries
