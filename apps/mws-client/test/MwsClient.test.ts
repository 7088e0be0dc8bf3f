import { assert, describe, it } from "@effect/vitest"
import type { MwsError } from "@mws-kit/error-codes"
import type { Throttle } from "@mws-kit/throttle"
import { type Duration, Effect, Exit, Fiber, type Layer, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { ContentMd5, MwsClient } from "../src/index.ts"
import { config, error, failureOf, harness, ok, SECRET, scripted, successOf, TOKEN } from "./helpers.ts"

const listOrderItems = { section: "Orders", operation: "ListOrderItems", params: { AmazonOrderId: "902-1" } } as const

const run = <A, E>(
  layer: Layer.Layer<MwsClient.MwsClient | Throttle.Throttle>,
  use: (client: MwsClient.MwsClient["Service"]) => Effect.Effect<A, E>,
  advance: Duration.Input = "10 minutes"
) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(
      Effect.flatMap(Effect.service(MwsClient.MwsClient), use).pipe(Effect.provide(layer), Effect.exit)
    )
    yield* TestClock.adjust(advance)
    return yield* Fiber.join(fiber)
  })

describe("MwsClient", () => {
  it.effect("a success: one attempt, parsed body, metadata, one ledger row", () =>
    Effect.gen(function* () {
      const transport = scripted([ok("ListOrderItems", "<AmazonOrderId>902-1</AmazonOrderId>")])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) => mws.call(listOrderItems))
      assert.isTrue(Exit.isSuccess(exit))
      const response = successOf(exit)
      assert.strictEqual(response.result.AmazonOrderId, "902-1")
      assert.match(response.metadata.requestId ?? "", /^req-\d+$/)
      assert.strictEqual(response.metadata.attempt, 1)
      assert.strictEqual(h.rows.length, 1)
      assert.strictEqual(h.rows[0]!.outcome, "success")
      assert.strictEqual(h.rows[0]!.requestId, response.metadata.requestId)
      assert.strictEqual(h.rows[0]!.requestTimestamp, response.metadata.requestTimestamp)
      assert.strictEqual(h.rows[0]!.callId, response.metadata.callId)
    })
  )

  it.effect("InternalError follows the documented timeline: at once, then 1s, 4s, 10s, 30s", () =>
    Effect.gen(function* () {
      const transport = scripted([
        error(500, "InternalError"),
        error(500, "InternalError"),
        error(500, "InternalError"),
        error(500, "InternalError"),
        error(500, "InternalError"),
        ok("ListOrderItems")
      ])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) => mws.call(listOrderItems))
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(
        transport.sent.map((s) => s.at),
        [0, 0, 1_000, 5_000, 15_000, 45_000]
      )
      assert.deepStrictEqual(
        h.rows.map((r) => [r.attempt, r.delayBeforeMs, r.outcome]),
        [
          [1, 0, "retried"],
          [2, 0, "retried"],
          [3, 1_000, "retried"],
          [4, 4_000, "retried"],
          [5, 10_000, "retried"],
          [6, 30_000, "success"]
        ]
      )
      assert.strictEqual(new Set(h.rows.map((r) => r.callId)).size, 1)
      // A fresh Timestamp for every attempt.
      assert.deepStrictEqual(
        h.rows.map((r) => r.requestTimestamp),
        [0, 0, 1_000, 5_000, 15_000, 45_000].map((ms) => new Date(ms).toISOString())
      )
    })
  )

  it.effect("gives up after the timeline with every attempt listed, marked gave-up in the ledger", () =>
    Effect.gen(function* () {
      const transport = scripted([error(500, "InternalError")])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) => mws.call(listOrderItems))
      assert.isTrue(Exit.isFailure(exit))
      const failure = failureOf(exit)
      assert.strictEqual(failure._tag, "RetryGaveUp")
      if (failure._tag !== "RetryGaveUp") return
      assert.strictEqual(failure.attempts.length, 6)
      assert.deepStrictEqual(
        h.rows.map((r) => r.outcome),
        ["retried", "retried", "retried", "retried", "retried", "gave-up"]
      )
      assert.deepStrictEqual(
        failure.attempts.map((a) => a.requestId ?? null),
        h.rows.map((r) => r.requestId)
      )
    })
  )

  it.effect("a retry the throttle refuses before sending adds no row: the last row stays retried", () =>
    Effect.gen(function* () {
      // GetServiceStatus holds 2 requests and restores one every 5 minutes: the third attempt would wait minutes.
      const transport = scripted([error(500, "InternalError")])
      const h = harness(transport.layer, { maxWait: "2 seconds" })
      const exit = yield* run(h.layer, (mws) => mws.call({ section: "Orders", operation: "GetServiceStatus" }))
      const failure = failureOf(exit)
      assert.strictEqual(failure._tag, "RetryGaveUp")
      if (failure._tag !== "RetryGaveUp") return
      assert.strictEqual((failure.lastError as { _tag: string })._tag, "ThrottleWaitTooLong")
      assert.strictEqual(transport.sent.length, 2, "only two requests were sent")
      assert.deepStrictEqual(
        h.rows.map((r) => r.outcome),
        ["retried", "retried"]
      )
    })
  )

  it.effect("a 4xx fails at once with the MwsError, ledger outcome failed", () =>
    Effect.gen(function* () {
      const transport = scripted([error(400, "InvalidParameterValue", "bad date")])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) => mws.call(listOrderItems))
      const failure = failureOf(exit)
      assert.strictEqual(failure._tag, "MwsError")
      assert.strictEqual((failure as MwsError.MwsError).code, "InvalidParameterValue")
      assert.strictEqual(transport.sent.length, 1)
      assert.strictEqual(h.rows[0]!.outcome, "failed")
      assert.strictEqual(h.rows[0]!.errorCode, "InvalidParameterValue")
      assert.strictEqual(h.rows[0]!.errorType, "Sender")
      assert.strictEqual(h.rows[0]!.message, "bad date")
    })
  )

  it.effect("RequestThrottled: never at once, waits the operation's restore interval, drains the bucket", () =>
    Effect.gen(function* () {
      const transport = scripted([error(503, "RequestThrottled", "Request is throttled"), ok("ListOrderItems")])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) => mws.call(listOrderItems))
      assert.isTrue(Exit.isSuccess(exit))
      // ListOrderItems restores one request every 2 seconds (Orders_ListOrderItems).
      assert.deepStrictEqual(
        transport.sent.map((s) => s.at),
        [0, 2_000]
      )
      assert.strictEqual(h.reports[0]!.reason, "throttled")
      assert.strictEqual(h.reports[0]!.nextDelayMs, 2_000)
    })
  )

  it.effect("RequestThrottled drains the bucket (another process spent it): the next call waits a restore too", () =>
    Effect.gen(function* () {
      const transport = scripted([error(503, "RequestThrottled"), ok("ListOrderItems")])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) =>
        Effect.andThen(
          mws.call(listOrderItems),
          mws.call({ ...listOrderItems, operation: "ListOrderItemsByNextToken" })
        )
      )
      assert.isTrue(Exit.isSuccess(exit))
      // ListOrderItemsByNextToken shares ListOrderItems' bucket, which the RequestThrottled drained.
      assert.deepStrictEqual(
        transport.sent.map((s) => s.at),
        [0, 2_000, 4_000]
      )
    })
  )

  it.effect("QuotaExceeded waits until the reset the headers give, then succeeds", () =>
    Effect.gen(function* () {
      const reset = new Date(90_000).toISOString()
      const transport = scripted([
        {
          status: 503,
          body: `<ErrorResponse><Error><Type>Sender</Type><Code>QuotaExceeded</Code><Message>You exceeded your quota of 80.0 requests per 1 hour for operation Reports/2009-01-01/GetReportList.</Message></Error><RequestID>x</RequestID></ErrorResponse>`,
          headers: { "x-mws-quota-max": "80.0", "x-mws-quota-remaining": "0.0", "x-mws-quota-resetsOn": reset }
        },
        ok("GetReportList")
      ])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) => mws.call({ section: "Reports", operation: "GetReportList" }))
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(
        transport.sent.map((s) => s.at),
        [0, 90_000]
      )
      assert.strictEqual(h.rows[0]!.quotaMax, 80)
      assert.strictEqual(h.rows[0]!.quotaResetsOn, reset)
      assert.strictEqual(h.rows[0]!.errorClass, "quota-exceeded")
    })
  )

  it.effect("SubmitFeed: ContentMD5Value is sent and signed; a 500 is not retried (it may have been processed)", () =>
    Effect.gen(function* () {
      const transport = scripted([error(500, "InternalError")])
      const h = harness(transport.layer)
      const feed = "<AmazonEnvelope>feed</AmazonEnvelope>"
      const exit = yield* run(h.layer, (mws) => mws.submitFeed({ feedType: "_POST_PRODUCT_DATA_", feed }))
      const failure = failureOf(exit)
      assert.strictEqual(failure._tag, "MwsError")
      assert.strictEqual(transport.sent.length, 1)
      const sent = transport.sent[0]!.request
      assert.strictEqual(sent.signed.placement, "query")
      const query = new URLSearchParams(Redacted.value(sent.signed.encoded))
      assert.strictEqual(query.get("ContentMD5Value"), ContentMd5.of(feed))
      assert.strictEqual(new TextDecoder().decode(sent.body!), feed)
      assert.strictEqual(h.rows[0]!.outcome, "failed")
    })
  )

  it.effect("SubmitFeed: a 503 (not processed) is retried", () =>
    Effect.gen(function* () {
      const transport = scripted([error(503, "ServiceUnavailable"), ok("SubmitFeed")])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) => mws.submitFeed({ feedType: "_POST_PRODUCT_DATA_", feed: "x" }))
      assert.isTrue(Exit.isSuccess(exit))
      assert.strictEqual(transport.sent.length, 2)
    })
  )

  it.effect(
    "a reset after sending is retried for a read, not for SubmitFeed; a refused connection is retried for both",
    () =>
      Effect.gen(function* () {
        const read = scripted([{ fail: "reset" }, ok("ListOrderItems")])
        const readExit = yield* run(harness(read.layer).layer, (mws) => mws.call(listOrderItems))
        assert.isTrue(Exit.isSuccess(readExit))

        const feed = scripted([{ fail: "reset" }, ok("SubmitFeed")])
        const feedExit = yield* run(harness(feed.layer).layer, (mws) => mws.submitFeed({ feedType: "T", feed: "x" }))
        const failure = failureOf(feedExit)
        assert.strictEqual(failure._tag, "MwsTransportError")
        assert.strictEqual(feed.sent.length, 1)

        const refused = scripted([{ fail: "refused" }, ok("SubmitFeed")])
        const refusedExit = yield* run(harness(refused.layer).layer, (mws) =>
          mws.submitFeed({ feedType: "T", feed: "x" })
        )
        assert.isTrue(Exit.isSuccess(refusedExit))
      })
  )

  it.effect("a download whose Content-MD5 does not match is retried up to three more times", () =>
    Effect.gen(function* () {
      const report = "sku\tprice\nA\t1\n"
      const good = ContentMd5.of(report)
      const corrupt = { status: 200, body: report.replace("1", "2"), headers: { "content-md5": good } }
      const transport = scripted([
        corrupt,
        corrupt,
        corrupt,
        { status: 200, body: report, headers: { "content-md5": good } }
      ])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) =>
        mws.download({ section: "Reports", operation: "GetReport", params: { ReportId: "1" } })
      )
      assert.isTrue(Exit.isSuccess(exit))
      assert.strictEqual(successOf(exit).text, report)
      assert.deepStrictEqual(
        h.rows.map((r) => [r.errorCode ?? null, r.outcome]),
        [
          ["ContentMD5DoesNotMatch", "retried"],
          ["ContentMD5DoesNotMatch", "retried"],
          ["ContentMD5DoesNotMatch", "retried"],
          [null, "success"]
        ]
      )

      const always = scripted([corrupt])
      const h2 = harness(always.layer)
      const exit2 = yield* run(h2.layer, (mws) =>
        mws.download({ section: "Reports", operation: "GetReport", params: { ReportId: "1" } })
      )
      assert.isTrue(Exit.isFailure(exit2))
      assert.strictEqual(always.sent.length, 4)
      assert.strictEqual(h2.rows.at(-1)!.outcome, "gave-up")
    })
  )

  it.effect("time scale: the timeline runs faster", () =>
    Effect.gen(function* () {
      const transport = scripted([
        error(500, "InternalError"),
        error(500, "InternalError"),
        error(500, "InternalError"),
        ok("ListOrderItems")
      ])
      const h = harness(transport.layer, { config: config({ timeScale: 100 }) })
      const exit = yield* run(h.layer, (mws) => mws.call(listOrderItems))
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(
        transport.sent.map((s) => s.at),
        [0, 0, 10, 50]
      )
    })
  )

  it.effect("the throttle paces a burst: the 31st ListOrderItems waits one restore interval", () =>
    Effect.gen(function* () {
      const transport = scripted([ok("ListOrderItems")])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) =>
        Effect.forEach(Array.from({ length: 32 }), () => mws.call(listOrderItems), { concurrency: "unbounded" })
      )
      assert.isTrue(Exit.isSuccess(exit))
      const times = transport.sent.map((s) => s.at).sort((a, b) => a - b)
      assert.strictEqual(times.filter((t) => t === 0).length, 30)
      assert.deepStrictEqual(times.slice(30), [2_000, 4_000])
    })
  )

  it.effect("a call for another seller signs that SellerId and is paced on that seller's buckets", () =>
    Effect.gen(function* () {
      const transport = scripted([ok("ListOrderItems")])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) =>
        Effect.forEach(
          Array.from({ length: 31 }),
          (_, i) => mws.call({ ...listOrderItems, sellerId: i === 30 ? "A1OTHERSELLER" : "A1TESTSELLER" }),
          { concurrency: "unbounded" }
        )
      )
      assert.isTrue(Exit.isSuccess(exit))
      const sellers = transport.sent.map((s) =>
        new URLSearchParams(Redacted.value(s.request.signed.encoded)).get("SellerId")
      )
      assert.strictEqual(sellers.filter((id) => id === "A1OTHERSELLER").length, 1)
      // 30 for the configured seller fill its bucket; the other seller's call does not wait behind them.
      assert.deepStrictEqual([...new Set(transport.sent.map((s) => s.at))], [0])
      assert.strictEqual(h.rows.find((r) => r.sellerId === "A1OTHERSELLER")?.outcome, "success")
    })
  )

  it.effect("no secret in what the client records, reports or fails with", () =>
    Effect.gen(function* () {
      const transport = scripted([{ fail: "reset" }, error(403, "SignatureDoesNotMatch")])
      const h = harness(transport.layer)
      const exit = yield* run(h.layer, (mws) => mws.call(listOrderItems))
      const text = JSON.stringify([h.rows, h.reports]) + String(exit) + JSON.stringify(exit)
      assert.notInclude(text, SECRET)
      assert.notInclude(text, TOKEN)
      // The token was sent, though.
      const sent = Redacted.value(transport.sent[0]!.request.signed.encoded)
      assert.include(sent, encodeURIComponent(TOKEN))
      assert.notInclude(String(transport.sent[0]!.request.signed.encoded), "amzn")
    })
  )
})
