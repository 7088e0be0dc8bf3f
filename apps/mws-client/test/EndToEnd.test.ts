/**
 * The client against the sandbox, in this process, over real HTTP: the
 * ledger against the sandbox's own log, signatures with tricky values, a run
 * of 2,000 calls under faults and throttling, and no secret anywhere.
 *
 * Real time, kept short: quotas and retry waits are time-scaled.
 */
import { assert, describe, it } from "@effect/vitest"
import { RetryBudget } from "@mws-kit/backoff-policy"
import { Ledger, type LedgerEntry, MemoryStore } from "@mws-kit/request-ledger"
import { Sandbox } from "@mws-kit/sandbox"
import { Throttle } from "@mws-kit/throttle"
import { Effect, Exit, Layer, Logger, References } from "effect"
import { ClientConfig, ContentMd5, MwsClient, ResponseBody, Transport } from "../src/index.ts"
import { SECRET, TOKEN } from "./helpers.ts"

const ACCESS_KEY = "AKIAE2ETESTEXAMPLE01"

const startSandbox = (timeScale: number, orders?: number) =>
  Effect.acquireRelease(
    Effect.promise(() =>
      Sandbox.start({
        timeScale,
        credentials: [{ accessKeyId: ACCESS_KEY, secretKey: SECRET }],
        ...(orders === undefined ? {} : { orders })
      })
    ),
    (sandbox) => Effect.promise(() => sandbox.close())
  )

const configFor = (sandbox: Sandbox.SandboxHandle, timeScale: number) =>
  ClientConfig.forSandbox({
    url: sandbox.url,
    accessKeyId: ACCESS_KEY,
    secretKey: SECRET,
    authToken: TOKEN,
    sellerId: Sandbox.DEFAULT_SELLER_ID,
    timeScale
  })

/** A client with its own throttle ("a process"), the given ledger and a fresh retry budget. */
const clientLayer = (config: ClientConfig.ClientConfig, ledger: Layer.Layer<Ledger.Ledger>) =>
  MwsClient.MwsClient.layer(config).pipe(
    Layer.provide(Layer.fresh(Throttle.Throttle.layerMemory({ timeScale: config.timeScale }))),
    Layer.provide(ledger),
    Layer.provide(Transport.Transport.layerNode),
    Layer.provide(RetryBudget.RetryBudget.layer())
  )

const memoryLedger = () =>
  Layer.fresh(Ledger.Ledger.layer({ backgroundPrune: false }).pipe(Layer.provide(MemoryStore.layer), Layer.orDie))

const allEntries = (ledger: Ledger.Ledger["Service"]) =>
  Effect.gen(function* () {
    yield* ledger.flush
    return yield* ledger.find({ limit: 10_000, order: "oldest" })
  })

/** Every request id the sandbox issued is in the ledger exactly once, and the ledger has no other. */
const assertLedgerMatchesSandbox = (
  entries: ReadonlyArray<LedgerEntry.LedgerEntry>,
  sandbox: Sandbox.SandboxHandle
) => {
  const log = sandbox.requests()
  const issued = log.filter((r) => r.requestId !== null).map((r) => r.requestId!)
  const recorded = entries.filter((e) => e.requestId !== null).map((e) => e.requestId!)
  const counts = new Map<string, number>()
  for (const id of recorded) counts.set(id, (counts.get(id) ?? 0) + 1)
  for (const id of issued)
    assert.strictEqual(counts.get(id), 1, `request id ${id} recorded ${counts.get(id) ?? 0} times`)
  assert.strictEqual(recorded.length, issued.length, "the ledger has request ids the sandbox never issued")
  // Resets: no response, no request id, on both sides.
  assert.strictEqual(entries.filter((e) => e.requestId === null).length, log.filter((r) => r.requestId === null).length)
  for (const entry of entries) assert.isNotNull(entry.requestTimestamp)
}

/** Captures every log line (any level) as text. */
const captureLogs = () => {
  const lines: Array<string> = []
  const layer = Logger.layer([Logger.map(Logger.formatStructured, (out) => lines.push(JSON.stringify(out)))])
  return { lines, layer }
}

describe("against the sandbox", () => {
  it.live("every attempt's request id is in the ledger exactly once and matches the sandbox's log", () =>
    Effect.gen(function* () {
      const sandbox = yield* startSandbox(1_000)
      const config = configFor(sandbox, 1_000)
      const ledgerLayer = memoryLedger()
      sandbox.faults.script("ListOrderItems", [
        { kind: "internal-error" },
        { kind: "reset" },
        { kind: "html-503" },
        { kind: "service-unavailable" },
        { kind: "truncated" },
        { kind: "reset-mid-body" }
      ])
      const entries = yield* Effect.gen(function* () {
        const ledger = yield* Ledger.Ledger
        yield* Effect.gen(function* () {
          const mws = yield* MwsClient.MwsClient
          const orders = yield* mws.call({
            section: "Orders",
            operation: "ListOrders",
            params: { "MarketplaceId.Id": ["ATVPDKIKX0DER"], CreatedAfter: new Date(Date.now() - 40 * 86_400_000) }
          })
          const first = ResponseBody.list(
            ResponseBody.child(orders.result, "Orders"),
            "Order"
          )[0] as ResponseBody.XmlObject
          const order = ResponseBody.text(first, "AmazonOrderId")!
          yield* Effect.forEach(
            Array.from({ length: 40 }),
            () => mws.call({ section: "Orders", operation: "ListOrderItems", params: { AmazonOrderId: order } }),
            { concurrency: 8 }
          )
        }).pipe(Effect.provide(clientLayer(config, Layer.succeed(Ledger.Ledger, ledger))))
        return yield* allEntries(ledger)
      }).pipe(Effect.provide(ledgerLayer))
      assertLedgerMatchesSandbox(entries, sandbox)
      assert.isAtLeast(entries.length, 47)
      assert.strictEqual(entries.filter((e) => e.outcome === "retried").length, 6)
      // A body that broke off after the headers: the attempt still carries the RequestId the sandbox issued.
      const cut = sandbox.requests().find((r) => r.fault === "reset-mid-body")!
      const cutEntry = entries.find((e) => e.requestId === cut.requestId)
      assert.deepInclude(cutEntry, { httpStatus: 200, outcome: "retried", serverTimestamp: cut.timestamp })
      assert.match(cutEntry?.errorCode ?? "", /^Transport:/)
    })
  )

  it.live("signatures verify with tricky values, in a form body and in a query string", () =>
    Effect.gen(function* () {
      const sandbox = yield* startSandbox(3_600)
      const config = configFor(sandbox, 3_600)
      const tricky = [
        "a*b",
        "tilde~ok",
        "bang!quote'paren()",
        "space and+plus",
        "amp&eq=slash/question?hash#",
        "percent%20literal",
        "é日本🙂",
        "",
        "  leading and trailing  ",
        "semi;colon,comma:colon@at$dollar"
      ]
      yield* Effect.gen(function* () {
        const mws = yield* MwsClient.MwsClient
        for (const value of tricky) {
          // SellerOrderId is an optional ListOrders filter the sandbox does not interpret: only the signature matters.
          const response = yield* mws.call({
            section: "Orders",
            operation: "ListOrders",
            params: {
              "MarketplaceId.Id": ["ATVPDKIKX0DER"],
              CreatedAfter: "2026-01-01T00:00:00Z",
              SellerOrderId: value
            }
          })
          assert.strictEqual(response.metadata.httpStatus, 200)
        }
        // In the query string, with a body: SubmitFeed.
        const feed = "<AmazonEnvelope>*~!'() é</AmazonEnvelope>"
        const submitted = yield* mws.submitFeed({
          feedType: "_POST_PRODUCT_DATA_",
          feed,
          params: { Note: "a*b~c!d'e(f)g h+i&j=k" }
        })
        assert.strictEqual(submitted.metadata.httpStatus, 200)
        assert.isString(ContentMd5.of(feed))
      }).pipe(Effect.provide(clientLayer(config, memoryLedger())))
      const codes = sandbox.requests().map((r) => r.code)
      assert.notInclude(codes, "SignatureDoesNotMatch")
      assert.strictEqual(sandbox.requests().filter((r) => r.status === 200).length, tricky.length + 1)
    })
  )

  it.live(
    "2,000 calls with 10% InternalError, 5% resets and throttling: each ends in success or a typed error, the ledger is complete",
    () =>
      Effect.gen(function* () {
        const unhandled: Array<unknown> = []
        const onUnhandled = (reason: unknown) => unhandled.push(reason)
        process.on("unhandledRejection", onUnhandled)
        yield* Effect.addFinalizer(() => Effect.sync(() => process.off("unhandledRejection", onUnhandled)))

        const scale = 1_000
        const sandbox = yield* startSandbox(scale)
        sandbox.faults.sometimes("*", { kind: "internal-error" }, 0.1)
        sandbox.faults.sometimes("*", { kind: "reset" }, 0.05 / 0.9)
        const config = configFor(sandbox, scale)
        const ledgerLayer = memoryLedger()
        const logs = captureLogs()
        const orderId = "902-1000000-7000000"
        // Two "processes" of the same seller, each pacing on its own: together they exceed the quota, so
        // MWS throttles them and each has to learn from RequestThrottled.
        const perProcess = 1_000
        const run = (client: Layer.Layer<MwsClient.MwsClient>) =>
          Effect.flatMap(Effect.service(MwsClient.MwsClient), (mws) =>
            Effect.forEach(
              Array.from({ length: perProcess }),
              () =>
                mws
                  .call({ section: "Orders", operation: "ListOrderItems", params: { AmazonOrderId: orderId } })
                  .pipe(Effect.exit),
              { concurrency: 50 }
            )
          ).pipe(Effect.provide(client))
        const { exits, entries } = yield* Effect.gen(function* () {
          const ledger = yield* Ledger.Ledger
          const shared = Layer.succeed(Ledger.Ledger, ledger)
          const [a, b] = yield* Effect.all([run(clientLayer(config, shared)), run(clientLayer(config, shared))], {
            concurrency: 2
          })
          return { exits: [...a, ...b], entries: yield* allEntries(ledger) }
        }).pipe(
          Effect.provide(ledgerLayer),
          Effect.provide(logs.layer),
          Effect.provideService(References.MinimumLogLevel, "All")
        )

        assert.strictEqual(exits.length, 2_000)
        const typed = new Set([
          "MwsError",
          "UnparseableErrorBody",
          "MwsTransportError",
          "RetryGaveUp",
          "MalformedResponse"
        ])
        let failures = 0
        for (const exit of exits) {
          if (Exit.isSuccess(exit)) continue
          failures++
          assert.isTrue(exit.cause.reasons.length === 1 && exit.cause.reasons[0]!._tag === "Fail", String(exit.cause))
          const error = (exit.cause.reasons[0] as { readonly error: { readonly _tag: string } }).error
          assert.isTrue(typed.has(error._tag), `untyped failure ${error._tag}`)
        }
        const log = sandbox.requests()
        assert.isAbove(
          log.filter((r) => r.code === "RequestThrottled").length,
          0,
          "the two processes together should have been throttled"
        )
        assert.isAbove(log.filter((r) => r.code === "InternalError").length, 100)
        assert.isAbove(log.filter((r) => r.fault === "reset").length, 50)

        // A complete ledger: every call has attempts 1..n, the last one ends the call.
        assertLedgerMatchesSandbox(entries, sandbox)
        const calls = new Map<string, Array<LedgerEntry.LedgerEntry>>()
        for (const entry of entries) calls.set(entry.callId, [...(calls.get(entry.callId) ?? []), entry])
        assert.strictEqual(calls.size, 2_000)
        const ended = { success: 0, other: 0 }
        for (const attempts of calls.values()) {
          attempts.sort((x, y) => x.attempt - y.attempt)
          attempts.forEach((entry, index) => {
            assert.strictEqual(entry.attempt, index + 1)
          })
          for (const entry of attempts.slice(0, -1)) assert.strictEqual(entry.outcome, "retried")
          const last = attempts.at(-1)!.outcome
          assert.notStrictEqual(last, "retried")
          if (last === "success") ended.success++
          else ended.other++
        }
        assert.strictEqual(ended.success, 2_000 - failures)
        assert.strictEqual(ended.other, failures)

        // No secret in the ledger or the logs.
        const text = JSON.stringify(entries) + logs.lines.join("\n")
        assert.notInclude(text, SECRET)
        assert.notInclude(text, TOKEN)
        assert.notInclude(text, encodeURIComponent(TOKEN))
        assert.deepStrictEqual(unhandled, [])
      }),
    60_000
  )
})
