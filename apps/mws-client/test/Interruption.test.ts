/**
 * What the ledger keeps when a call is cut off (issue 13): an attempt
 * interrupted after it was sent is recorded as `interrupted` with what was
 * known; in write-ahead mode its `in-flight` row exists before the request
 * leaves and is completed (or marked interrupted) afterwards. Test clock.
 */
import { assert, describe, it } from "@effect/vitest"
import { RetryBudget } from "@mws-kit/backoff-policy"
import { Ledger, type LedgerEntry, MemoryStore } from "@mws-kit/request-ledger"
import { Throttle } from "@mws-kit/throttle"
import { Effect, Exit, Fiber, Layer } from "effect"
import { TestClock } from "effect/testing"
import { MwsClient, ResponseLimit, Transport } from "../src/index.ts"
import { config, error, failureOf, harness, ok, scripted } from "./helpers.ts"

const listOrderItems = { section: "Orders", operation: "ListOrderItems", params: { AmazonOrderId: "902-1" } } as const

/** A transport whose answer never comes; it reports the head first when `head` is given. */
const hanging = (head?: { readonly requestId: string }) => {
  const sent: Array<Transport.TransportRequest> = []
  const layer = Layer.succeed(Transport.Transport, {
    send: (request) =>
      Effect.suspend(() => {
        sent.push(request)
        if (head !== undefined) request.onHead?.({ status: 200, headers: { "x-mws-request-id": head.requestId } })
        return Effect.never
      })
  })
  return { sent, layer }
}

describe("interrupted calls", () => {
  it.effect("interrupted while the answer is read: one row, interrupted, with the RequestId from the headers", () =>
    Effect.gen(function* () {
      const transport = hanging({ requestId: "rid-from-head" })
      const h = harness(transport.layer)
      const fiber = yield* Effect.forkChild(
        MwsClient.MwsClient.use((mws) => mws.call(listOrderItems)).pipe(Effect.provide(h.layer))
      )
      yield* TestClock.adjust("5 seconds")
      assert.strictEqual(transport.sent.length, 1)
      yield* Fiber.interrupt(fiber)
      assert.strictEqual(h.rows.length, 1)
      const row = h.rows[0]!
      assert.strictEqual(row.outcome, "interrupted")
      assert.strictEqual(row.requestId, "rid-from-head")
      assert.strictEqual(row.httpStatus, 200)
      assert.strictEqual(row.requestTimestamp, transport.sent[0]!.signed.timestamp)
      assert.strictEqual(row.durationMs, 5_000)
    })
  )

  it.effect("interrupted before any answer: the row keeps the request's Timestamp, no RequestId", () =>
    Effect.gen(function* () {
      const transport = hanging()
      const h = harness(transport.layer)
      const fiber = yield* Effect.forkChild(
        MwsClient.MwsClient.use((mws) => mws.call(listOrderItems)).pipe(Effect.provide(h.layer))
      )
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      assert.strictEqual(h.rows.length, 1)
      assert.strictEqual(h.rows[0]!.outcome, "interrupted")
      assert.strictEqual(h.rows[0]!.requestId, null)
      assert.match(h.rows[0]!.requestTimestamp ?? "", /^\d{4}-\d{2}-\d{2}T/)
    })
  )

  it.effect("interrupted during a retry's backoff: the failed attempt stays 'retried', nothing else is written", () =>
    Effect.gen(function* () {
      const transport = scripted([error(500, "InternalError"), error(500, "InternalError"), ok("ListOrderItems")])
      const h = harness(transport.layer)
      const fiber = yield* Effect.forkChild(
        MwsClient.MwsClient.use((mws) => mws.call(listOrderItems)).pipe(Effect.provide(h.layer))
      )
      // Attempt 1 at 0 s, its immediate retry, then the 1 s backoff: interrupt inside it.
      yield* TestClock.adjust("500 millis")
      assert.strictEqual(transport.sent.length, 2)
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(
        h.rows.map((row) => row.outcome),
        ["retried", "retried"]
      )
    })
  )

  it.effect("a success body over the cap: ResponseTooLarge, not retried, its RequestId in the row", () =>
    Effect.gen(function* () {
      const transport = Layer.succeed(Transport.Transport, {
        send: () =>
          Effect.succeed({
            status: 200,
            headers: { "x-mws-request-id": "rid-big", "content-length": "209715200" },
            body: new Uint8Array(0),
            overLimit: true,
            limitBytes: 1_024
          })
      })
      const h = harness(transport, { config: config({ maxResponseBytes: 1_024 }) })
      const exit = yield* MwsClient.MwsClient.use((mws) => mws.call(listOrderItems)).pipe(
        Effect.provide(h.layer),
        Effect.exit
      )
      const failure = failureOf(exit)
      assert.isTrue(ResponseLimit.isResponseTooLarge(failure))
      const tooLarge = failure as ResponseLimit.ResponseTooLarge
      assert.strictEqual(tooLarge.requestId, "rid-big")
      assert.strictEqual(tooLarge.limitBytes, 1_024)
      assert.strictEqual(tooLarge.declaredBytes, 209_715_200)
      assert.strictEqual(h.rows.length, 1)
      assert.strictEqual(h.rows[0]!.outcome, "failed")
      assert.strictEqual(h.rows[0]!.errorCode, "ResponseTooLarge")
      assert.strictEqual(h.rows[0]!.requestId, "rid-big")
    })
  )
})

/** A client over a real ledger (memory store) in write-ahead mode. */
const writeAheadLayer = (transport: Layer.Layer<Transport.Transport>) => {
  const ledger = Ledger.Ledger.layer({ durability: "sync" }).pipe(Layer.provide(MemoryStore.layer))
  return MwsClient.MwsClient.layer(config(), { writeAhead: true }).pipe(
    Layer.provideMerge(ledger),
    Layer.provide(Throttle.Throttle.layerMemory({})),
    Layer.provide(transport),
    Layer.provide(RetryBudget.RetryBudget.layer())
  )
}

const storedRows = Effect.flatMap(Effect.service(Ledger.Ledger), (ledger) => ledger.find({ limit: 100 }))

describe("write-ahead rows", () => {
  it.effect("the in-flight row is committed before the request is sent, then completed in place", () =>
    Effect.gen(function* () {
      const seenAtSend: Array<ReadonlyArray<LedgerEntry.LedgerEntry>> = []
      const base = scripted([ok("ListOrderItems")])
      const transport = Layer.effect(
        Transport.Transport,
        Effect.gen(function* () {
          const inner = yield* Transport.Transport
          const ledger = yield* Ledger.Ledger
          return {
            send: (request: Transport.TransportRequest) =>
              Effect.andThen(
                Effect.tap(Effect.orDie(ledger.find({ limit: 10 })), (rows) =>
                  Effect.sync(() => seenAtSend.push(rows))
                ),
                inner.send(request)
              )
          }
        })
      ).pipe(Layer.provide(base.layer))
      const ledger = Ledger.Ledger.layer({ durability: "sync" }).pipe(Layer.provide(MemoryStore.layer))
      const layer = MwsClient.MwsClient.layer(config(), { writeAhead: true }).pipe(
        Layer.provide(Throttle.Throttle.layerMemory({})),
        Layer.provide(transport),
        Layer.provideMerge(ledger),
        Layer.provide(RetryBudget.RetryBudget.layer())
      )
      const rows = yield* Effect.gen(function* () {
        const response = yield* MwsClient.MwsClient.use((mws) => mws.call(listOrderItems))
        const rows = yield* storedRows
        return { response, rows }
      }).pipe(Effect.provide(layer))
      assert.strictEqual(seenAtSend.length, 1)
      assert.deepStrictEqual(
        seenAtSend[0]!.map((row) => row.outcome),
        ["in-flight"]
      )
      assert.strictEqual(rows.rows.length, 1)
      assert.strictEqual(rows.rows[0]!.outcome, "success")
      assert.strictEqual(rows.rows[0]!.entryId, seenAtSend[0]![0]!.entryId)
      assert.strictEqual(rows.rows[0]!.requestId, rows.response.metadata.requestId)
    })
  )

  it.effect("an interrupted attempt's in-flight row becomes interrupted", () =>
    Effect.gen(function* () {
      const transport = hanging({ requestId: "rid-cut" })
      const layer = writeAheadLayer(transport.layer)
      const rows = yield* Effect.gen(function* () {
        const fiber = yield* Effect.forkChild(MwsClient.MwsClient.use((mws) => mws.call(listOrderItems)))
        // In steps: the ledger's writer may start its flush-interval wait while the clock moves.
        for (let step = 0; step < 10; step++) yield* TestClock.adjust("100 millis")
        assert.strictEqual(transport.sent.length, 1)
        const before = yield* storedRows
        assert.deepStrictEqual(
          before.map((row) => row.outcome),
          ["in-flight"]
        )
        yield* Fiber.interrupt(fiber)
        return yield* storedRows
      }).pipe(Effect.provide(layer))
      assert.strictEqual(rows.length, 1)
      assert.strictEqual(rows[0]!.outcome, "interrupted")
      assert.strictEqual(rows[0]!.requestId, "rid-cut")
    })
  )

  it.effect("retries: one row per attempt, each completed (no in-flight left)", () =>
    Effect.gen(function* () {
      const transport = scripted([error(500, "InternalError"), ok("ListOrderItems")])
      const layer = writeAheadLayer(transport.layer)
      const rows = yield* Effect.gen(function* () {
        const exit = yield* Effect.exit(MwsClient.MwsClient.use((mws) => mws.call(listOrderItems)))
        assert.isTrue(Exit.isSuccess(exit))
        return yield* storedRows
      }).pipe(Effect.provide(layer))
      assert.deepStrictEqual(rows.map((row) => `${row.attempt}:${row.outcome}`).sort(), ["1:retried", "2:success"])
    })
  )
})
