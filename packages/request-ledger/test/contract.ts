/**
 * The store contract: one suite, run against every store (in memory, SQLite,
 * PostgreSQL), proving they behave alike. Queries are checked against a
 * reference written here, independently of the stores: a plain filter and
 * sort over the entries `record` returned.
 */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Exit, type Layer, Option, Scope, Stream } from "effect"
import { TestClock } from "effect/testing"
import type { LedgerEntry, LedgerQuery, LedgerStore } from "../src/index.ts"
import { Ledger, LedgerExport } from "../src/index.ts"
import { buildStore, ledgerOver, random, sampleInput } from "./helpers.ts"

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A store layer, fresh for each test, cleaned up with the test's scope. */
export type StoreFactory = () => Layer.Layer<LedgerStore.LedgerStore, unknown>

const OPERATIONS = [
  { section: "Orders", operation: "ListOrders" },
  { section: "Reports", operation: "GetReportList" },
  { section: "Feeds", operation: "SubmitFeed" }
] as const
const ERRORS = [
  { errorCode: "RequestThrottled", errorClass: "throttled", httpStatus: 503, errorType: null },
  { errorCode: "InternalError", errorClass: "transient", httpStatus: 500, errorType: "Receiver" },
  { errorCode: "QuotaExceeded", errorClass: "quota-exceeded", httpStatus: 503, errorType: "Sender" }
] as const
const SELLERS = ["A1SELLER", "A2SELLER"] as const

/**
 * Records a mixed history of calls spread over `days` days of test-clock
 * time (with ties: several attempts at the same millisecond), flushes, and
 * returns the entries `record` returned, in record order.
 */
export const recordHistory = (ledger: Ledger.LedgerShape, calls: number, days: number, seed = 7) =>
  Effect.gen(function* () {
    const next = random(seed)
    const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(next() * items.length)]!
    const recorded: Array<LedgerEntry.LedgerEntry> = []
    const step = Math.max(1, Math.floor((days * DAY) / calls))
    for (let call = 0; call < calls; call++) {
      const { section, operation } = pick(OPERATIONS)
      const sellerId = pick(SELLERS)
      const callId = yield* ledger.newCallId
      const attempts = 1 + Math.floor(next() * 4)
      const succeeds = next() < 0.6
      const failure = pick(ERRORS)
      const clientError = next() < 0.1
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const last = attempt === attempts
        const ok = last && succeeds
        const outcome: LedgerEntry.Outcome = ok ? "success" : clientError ? "failed" : last ? "gave-up" : "retried"
        const noResponse = !ok && next() < 0.1
        const entry = yield* ledger.record(
          sampleInput({
            section,
            operation,
            sellerId,
            callId,
            attempt,
            outcome,
            requestId: noResponse ? null : `req-${seed}-${call}-${attempt}`,
            requestTimestamp: next() < 0.1 ? null : new Date(1_700_000_000_000 + call * 1000).toISOString(),
            httpStatus: noResponse ? null : ok ? 200 : clientError ? 400 : failure.httpStatus,
            errorCode: ok ? null : clientError ? "InvalidParameterValue" : failure.errorCode,
            errorClass: ok ? null : clientError ? "client" : failure.errorClass,
            errorType: ok ? null : clientError ? "Sender" : failure.errorType,
            message: ok ? null : `attempt ${attempt} failed`,
            delayBeforeMs: attempt === 1 ? 0 : 1000 * attempt,
            params: { MarketplaceId: "ATVPDKIKX0DER", Signature: "never-stored" }
          })
        )
        recorded.push(entry)
        if (clientError) break
        // Ties: about a third of attempts share the previous millisecond.
        if (next() < 0.66) yield* TestClock.adjust(1 + Math.floor(next() * 50))
      }
      yield* TestClock.adjust(Math.floor(next() * step))
    }
    yield* ledger.flush
    return recorded
  })

const millisOf = (entry: LedgerEntry.LedgerEntry) => Date.parse(entry.recordedAt)

const toMillis = (time: LedgerQuery.TimeInput | undefined) =>
  time === undefined ? undefined : time instanceof Date ? time.getTime() : time

/** The reference: what a query must return, computed without any store. */
export const expected = (
  entries: ReadonlyArray<LedgerEntry.LedgerEntry>,
  query: LedgerQuery.LedgerQuery
): ReadonlyArray<string> => {
  const from = toMillis(query.from)
  const to = toMillis(query.to)
  const kept = entries.filter(
    (e) =>
      (query.requestId === undefined || e.requestId === query.requestId) &&
      (query.callId === undefined || e.callId === query.callId) &&
      (from === undefined || millisOf(e) >= from) &&
      (to === undefined || millisOf(e) < to) &&
      (query.section === undefined || e.section === query.section) &&
      (query.operation === undefined || e.operation === query.operation) &&
      (query.errorCode === undefined || e.errorCode === query.errorCode) &&
      (query.errorClass === undefined || e.errorClass === query.errorClass) &&
      (query.sellerId === undefined || e.sellerId === query.sellerId) &&
      (query.outcome === undefined || e.outcome === query.outcome) &&
      (!query.complete || (e.requestId !== null && e.requestTimestamp !== null))
  )
  const ascending = [...kept].sort((a, b) =>
    millisOf(a) !== millisOf(b) ? millisOf(a) - millisOf(b) : a.entryId < b.entryId ? -1 : 1
  )
  const ordered = query.order === "oldest" ? ascending : ascending.reverse()
  return ordered.slice(0, query.limit ?? 1000).map((e) => e.entryId)
}

const ids = (entries: ReadonlyArray<LedgerEntry.LedgerEntry>) => entries.map((e) => e.entryId)

/** The contract suite for one store. */
export const storeContract = (name: string, makeStore: StoreFactory, options: { readonly slow?: boolean } = {}) =>
  describe(`${name} store contract`, () => {
    const timeout = options.slow ? 60_000 : 20_000

    it.effect(
      "finds every attempt by its request id, with the allow-listed parameters only",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const ledger = yield* ledgerOver(store)
          const recorded = yield* recordHistory(ledger, 40, 2)
          for (const entry of recorded.filter((e) => e.requestId !== null)) {
            const found = yield* ledger.byRequestId(entry.requestId!)
            assert.deepStrictEqual(found, [entry])
            assert.deepStrictEqual(found[0]!.params, { MarketplaceId: "ATVPDKIKX0DER" })
          }
          assert.deepStrictEqual(yield* ledger.byRequestId("no-such-request"), [])
        }),
      timeout
    )

    it.effect(
      "answers every kind of query exactly like the reference",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const ledger = yield* ledgerOver(store)
          const start = yield* Clock.currentTimeMillis
          const recorded = yield* recordHistory(ledger, 120, 3)
          const someCall = recorded[10]!.callId
          const queries: ReadonlyArray<LedgerQuery.LedgerQuery> = [
            {},
            { order: "oldest" },
            { limit: 7 },
            { limit: 7, order: "oldest" },
            { operation: "ListOrders" },
            { section: "Reports" },
            { errorCode: "RequestThrottled" },
            { errorCode: "InternalError", order: "oldest" },
            { errorClass: "quota-exceeded" },
            { errorClass: "client" },
            { sellerId: "A2SELLER" },
            { outcome: "gave-up" },
            { outcome: "success", limit: 5 },
            { outcome: "failed" },
            { complete: true },
            { complete: true, errorCode: "RequestThrottled", limit: 1 },
            { callId: someCall },
            { callId: someCall, order: "oldest" },
            { from: start + DAY },
            { to: start + DAY },
            { from: new Date(start + DAY / 2), to: new Date(start + 2 * DAY) },
            { from: start + DAY, to: start + DAY },
            { operation: "SubmitFeed", sellerId: "A1SELLER", outcome: "retried" },
            { operation: "NoSuchOperation" }
          ]
          for (const query of queries) {
            const found = yield* ledger.find(query)
            assert.deepStrictEqual(ids(found), expected(recorded, query), JSON.stringify(query))
          }
        }),
      timeout
    )

    it.effect(
      "pages through an export in a stable order, every entry exactly once",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const ledger = yield* ledgerOver(store)
          const recorded: Array<LedgerEntry.LedgerEntry> = []
          // More than one export page, all in the same millisecond: the id breaks the ties.
          for (let i = 0; i < Ledger.EXPORT_PAGE_SIZE + 150; i++) {
            recorded.push(yield* ledger.record(sampleInput({ requestId: `page-${i}` })))
          }
          yield* ledger.flush
          const lines = yield* Stream.runCollect(ledger.exportJsonLines())
          assert.strictEqual(lines.length, recorded.length)
          assert.deepStrictEqual(
            lines.map((line) => JSON.parse(line) as LedgerEntry.LedgerEntry),
            recorded,
            "oldest first, in record order"
          )
          const csv = yield* Stream.runCollect(ledger.exportCsv({ order: "newest" }))
          assert.strictEqual(csv[0], `${LedgerExport.csvHeader}\r\n`)
          assert.strictEqual(csv.length, recorded.length + 1)
          assert.strictEqual(csv[1], `${LedgerExport.toCsvRow(recorded.at(-1)!)}\r\n`)
        }),
      timeout
    )

    it.effect(
      "writes idempotently: a batch written again adds nothing",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const ledger = yield* ledgerOver(store)
          const recorded = yield* recordHistory(ledger, 20, 1)
          yield* store.write(recorded)
          yield* store.write(recorded.slice(0, 5))
          const all = yield* ledger.find({ limit: 1000 })
          assert.strictEqual(all.length, recorded.length)
          assert.strictEqual(new Set(ids(all)).size, recorded.length)
        }),
      timeout
    )

    it.effect(
      "picks the most recent complete entry as the best example, with its call's attempts",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const ledger = yield* ledgerOver(store)
          const callId = yield* ledger.newCallId
          const attempt = (n: number, overrides: Partial<LedgerEntry.RecordInput>) =>
            ledger.record(
              sampleInput({
                callId,
                attempt: n,
                requestId: `throttled-${n}`,
                httpStatus: 503,
                errorCode: "RequestThrottled",
                errorClass: "throttled",
                message: "Request is throttled",
                outcome: "retried",
                ...overrides
              })
            )
          yield* attempt(1, {})
          yield* TestClock.adjust(1000)
          const best = yield* attempt(2, { requestTimestamp: "2026-11-25T10:00:02Z" })
          yield* TestClock.adjust(1000)
          // More recent, but incomplete: no RequestId (no response came).
          yield* attempt(3, { requestId: null, httpStatus: null, outcome: "gave-up" })
          yield* ledger.flush

          const example = yield* ledger.bestExample({ errorCode: "RequestThrottled" })
          assert.isTrue(Option.isSome(example))
          const { entry, attempts, ticket } = Option.getOrThrow(example)
          assert.deepStrictEqual(entry, best)
          assert.deepStrictEqual(
            attempts.map((a) => a.attempt),
            [1, 2, 3]
          )
          assert.include(ticket, "RequestId:          throttled-2")
          assert.include(ticket, "Timestamp:          2026-11-25T10:00:02Z")
          assert.include(ticket, "#3  RequestId (unknown)")
          const byClass = yield* ledger.bestExample({ errorClass: "throttled" })
          assert.deepStrictEqual(
            Option.map(byClass, (b) => b.entry),
            Option.some(best)
          )
          assert.isTrue(Option.isNone(yield* ledger.bestExample({ errorCode: "AccessDenied" })))
        }),
      timeout
    )

    it.effect(
      "lists the calls that gave up, for manual follow-up",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const ledger = yield* ledgerOver(store)
          const recorded = yield* recordHistory(ledger, 60, 2, 11)
          const gaveUp = yield* ledger.gaveUp()
          assert.isAbove(gaveUp.length, 0)
          assert.deepStrictEqual(ids(gaveUp), expected(recorded, { outcome: "gave-up" }))
          assert.isTrue(gaveUp.every((e) => e.outcome === "gave-up"))
        }),
      timeout
    )

    it.effect(
      "counts by outcome, code, class and operation over a window",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const ledger = yield* ledgerOver(store)
          const start = yield* Clock.currentTimeMillis
          const recorded = yield* recordHistory(ledger, 80, 4, 3)
          const from = start + DAY
          const to = start + 3 * DAY
          const stats = yield* ledger.stats({ from, to })
          const inWindow = recorded.filter((e) => millisOf(e) >= from && millisOf(e) < to)
          const count = (key: (e: LedgerEntry.LedgerEntry) => string | null) => {
            const counts = new Map<string, number>()
            for (const e of inWindow) {
              const k = key(e)
              if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1)
            }
            return counts
          }
          const asMap = (counts: ReadonlyArray<LedgerQuery.Count>) => new Map(counts.map((c) => [c.key, c.count]))
          assert.strictEqual(stats.total, inWindow.length)
          assert.deepStrictEqual(
            asMap(stats.byCode),
            count((e) => e.errorCode)
          )
          assert.deepStrictEqual(
            asMap(stats.byClass),
            count((e) => e.errorClass)
          )
          assert.deepStrictEqual(
            asMap(stats.byOperation),
            count((e) => e.operation)
          )
          assert.deepStrictEqual(
            asMap(stats.byOutcome),
            count((e) => e.outcome)
          )
          assert.strictEqual(stats.from, new Date(from).toISOString())
          const everything = yield* ledger.stats()
          assert.strictEqual(everything.total, recorded.length)
        }),
      timeout
    )

    it.effect(
      "prunes exactly what is older than the retention, and nothing younger",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const ledger = yield* ledgerOver(store, { backgroundPrune: false })
          const recorded: Array<LedgerEntry.LedgerEntry> = []
          // One entry every 6 hours for 40 days.
          for (let i = 0; i < 160; i++) {
            recorded.push(yield* ledger.record(sampleInput({ requestId: `day-${i}` })))
            yield* TestClock.adjust(6 * HOUR)
          }
          yield* ledger.flush
          // Now is day 40; the cutoff (day 10) falls exactly on entry 40.
          const result = yield* ledger.prune
          const cutoff = Date.parse(result.cutoff)
          const younger = recorded.filter((e) => millisOf(e) >= cutoff)
          assert.strictEqual(cutoff, millisOf(recorded[40]!))
          assert.strictEqual(result.removed, recorded.length - younger.length)
          assert.deepStrictEqual(ids(yield* ledger.find({ order: "oldest" })), ids(younger))
          assert.strictEqual((yield* ledger.prune).removed, 0)
          assert.deepStrictEqual(
            Option.map(yield* ledger.lastPrune, (p) => p.removed),
            Option.some(0)
          )
        }),
      timeout
    )

    it.effect(
      "sync durability: the entry is committed when record returns",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const ledger = yield* ledgerOver(store, { durability: "sync", flushInterval: "1 hour" })
          const entry = yield* ledger.record(sampleInput({ requestId: "sync-1" }))
          const found = yield* store.find({
            ...emptyQuery,
            requestId: "sync-1"
          })
          assert.deepStrictEqual(found, [entry])
          assert.strictEqual(yield* ledger.pending, 0)
        }),
      timeout
    )

    it.effect(
      "write-ahead rows: begin stores an in-flight row, complete replaces it, whatever the batches",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const ledger = yield* ledgerOver(store, { flushInterval: "1 hour" })
          const { outcome: _, durationMs: __, requestId: ___, ...before } = sampleInput({ attempt: 1 })
          const byId = (entryId: string) =>
            Effect.map(store.find({ ...emptyQuery, limit: 1000 }), (all) => all.filter((e) => e.entryId === entryId))

          // Begin and complete in separate batches.
          const apart = yield* ledger.begin({ ...before, callId: "call-apart" })
          assert.strictEqual(apart.outcome, "in-flight")
          assert.strictEqual(apart.durationMs, 0)
          yield* ledger.flush
          assert.deepStrictEqual(yield* byId(apart.entryId), [apart], "the in-flight row is stored")
          yield* TestClock.adjust(250)
          const apartDone = yield* ledger.complete(apart, {
            outcome: "success",
            requestId: "wal-apart",
            httpStatus: 200,
            durationMs: 250
          })
          assert.strictEqual(apartDone.entryId, apart.entryId)
          assert.strictEqual(apartDone.recordedAt, apart.recordedAt)
          assert.strictEqual(apartDone.callId, "call-apart")
          yield* ledger.flush
          assert.deepStrictEqual(yield* byId(apart.entryId), [apartDone], "the completed row replaced it")

          // Begin and complete in the same batch (PostgreSQL: one statement must not touch a row twice).
          const together = yield* ledger.begin({ ...before, callId: "call-together" })
          const togetherDone = yield* ledger.complete(together, {
            outcome: "retried",
            requestId: "wal-together",
            httpStatus: 503,
            errorCode: "RequestThrottled",
            errorClass: "throttled",
            durationMs: 30
          })
          yield* ledger.flush
          assert.deepStrictEqual(yield* byId(together.entryId), [togetherDone])

          // Written again after an ambiguous failure, in any order: the completed row stays.
          yield* store.write([together, togetherDone, apart])
          yield* store.write([togetherDone, together])
          yield* store.write([apart])
          assert.deepStrictEqual(yield* byId(together.entryId), [togetherDone])
          assert.deepStrictEqual(yield* byId(apart.entryId), [apartDone])
          // A completed row is never overwritten, not even by another completion.
          yield* store.write([{ ...togetherDone, outcome: "gave-up" }])
          assert.deepStrictEqual(yield* byId(together.entryId), [togetherDone])

          // Left in flight: found by outcome, counted in stats.
          const left = yield* ledger.begin({ ...before, callId: "call-left" })
          yield* ledger.flush
          assert.deepStrictEqual(ids(yield* ledger.find({ outcome: "in-flight" })), [left.entryId])
          const stats = yield* ledger.stats()
          assert.deepStrictEqual(
            stats.byOutcome.find((c) => c.key === "in-flight"),
            { key: "in-flight", count: 1 }
          )
          assert.strictEqual(stats.total, 3)

          // Only an in-flight entry can be completed, and only with a final outcome.
          const notBegun = yield* Effect.flip(ledger.complete(apartDone, { outcome: "success" }))
          assert.strictEqual(notBegun._tag, "LedgerEntryInvalid")
          const stillInFlight = yield* Effect.flip(ledger.complete(left, { outcome: "in-flight" as "success" }))
          assert.strictEqual(stillInFlight._tag, "LedgerEntryInvalid")
          const interrupted = yield* ledger.complete(left, { outcome: "interrupted", durationMs: 12 })
          yield* ledger.flush
          assert.deepStrictEqual(yield* byId(left.entryId), [interrupted])
        }),
      timeout
    )

    it.effect(
      "sync durability: begin and complete are each committed when they return",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const ledger = yield* ledgerOver(store, { durability: "sync", flushInterval: "1 hour" })
          const { outcome: _, ...before } = sampleInput({ requestId: null })
          const begun = yield* ledger.begin(before)
          assert.deepStrictEqual(yield* store.find({ ...emptyQuery }), [begun])
          const done = yield* ledger.complete(begun, { outcome: "success", requestId: "sync-wal" })
          assert.deepStrictEqual(yield* store.find({ ...emptyQuery }), [done])
          assert.strictEqual(yield* ledger.pending, 0)
        }),
      timeout
    )

    it.effect(
      "closing the ledger writes everything still pending",
      () =>
        Effect.gen(function* () {
          const store = yield* buildStore(makeStore())
          const scope = yield* Scope.make()
          const ledger = yield* ledgerOver(store, { flushInterval: "1 hour" }).pipe(Scope.provide(scope))
          const entries = [
            yield* ledger.record(sampleInput({ requestId: "close-1" })),
            yield* ledger.record(sampleInput({ requestId: "close-2" }))
          ]
          assert.strictEqual(yield* ledger.pending, 2)
          assert.deepStrictEqual(yield* store.find({ ...emptyQuery }), [], "nothing written before close")
          yield* Scope.close(scope, Exit.void)
          assert.deepStrictEqual(yield* store.find({ ...emptyQuery, order: "oldest" }), entries)
          const closed = yield* Effect.flip(ledger.record(sampleInput()))
          assert.strictEqual(closed._tag, "LedgerClosed")
        }),
      timeout
    )
  })

/** A store query that matches everything, newest first. */
export const emptyQuery: LedgerQuery.StoreQuery = {
  requestId: undefined,
  callId: undefined,
  fromMillis: undefined,
  toMillis: undefined,
  section: undefined,
  operation: undefined,
  errorCode: undefined,
  errorClass: undefined,
  sellerId: undefined,
  outcome: undefined,
  complete: false,
  limit: 1000,
  order: "newest",
  after: undefined
}
