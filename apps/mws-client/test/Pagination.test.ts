import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Redacted, Stream } from "effect"
import { TestClock } from "effect/testing"
import { MwsClient, Pagination, ResponseBody } from "../src/index.ts"
import { harness, ok, scripted, successOf } from "./helpers.ts"

const page = (operation: string, token: string | undefined, order: string) =>
  ok(
    operation,
    `${token === undefined ? "" : `<NextToken>${token}</NextToken>`}<Orders><Order><AmazonOrderId>${order}</AmazonOrderId></Order></Orders>`
  )

const request = { section: "Orders", operation: "ListOrders", params: { "MarketplaceId.Id": ["ATVPDKIKX0DER"] } }

describe("Pagination", () => {
  it.effect("follows NextToken with {Operation}ByNextToken until a page has none", () =>
    Effect.gen(function* () {
      const transport = scripted([
        page("ListOrders", "t1", "A"),
        page("ListOrdersByNextToken", "t2", "B"),
        page("ListOrdersByNextToken", undefined, "C")
      ])
      const h = harness(transport.layer)
      const fiber = yield* Effect.forkChild(
        Pagination.pages(request).pipe(Stream.runCollect, Effect.provide(h.layer), Effect.exit)
      )
      yield* TestClock.adjust("10 minutes")
      const exit = yield* Fiber.join(fiber)
      const pages = successOf(exit)
      assert.deepStrictEqual(
        pages.map((p) =>
          ResponseBody.text(ResponseBody.child(ResponseBody.child(p.result, "Orders"), "Order")!, "AmazonOrderId")
        ),
        ["A", "B", "C"]
      )
      const sent = transport.sent.map((s) => new URLSearchParams(Redacted.value(s.request.signed.encoded)))
      assert.deepStrictEqual(
        sent.map((p) => [p.get("Action"), p.get("NextToken")]),
        [
          ["ListOrders", null],
          ["ListOrdersByNextToken", "t1"],
          ["ListOrdersByNextToken", "t2"]
        ]
      )
      // ListOrders and ListOrdersByNextToken share a bucket of 6: no wait for three pages.
      assert.deepStrictEqual(
        transport.sent.map((s) => s.at),
        [0, 0, 0]
      )
    })
  )

  it.effect("is lazy: taking one page makes one call", () =>
    Effect.gen(function* () {
      const transport = scripted([page("ListOrders", "t1", "A"), page("ListOrdersByNextToken", "t2", "B")])
      const h = harness(transport.layer)
      const fiber = yield* Effect.forkChild(
        Pagination.pages(request).pipe(Stream.take(1), Stream.runCollect, Effect.provide(h.layer))
      )
      yield* TestClock.adjust("1 minute")
      const pages = yield* Fiber.join(fiber)
      assert.strictEqual(pages.length, 1)
      assert.strictEqual(transport.sent.length, 1)
    })
  )

  it.effect("the seventh page waits for the shared bucket's restore (one a minute)", () =>
    Effect.gen(function* () {
      const transport = scripted([
        page("ListOrders", "t", "A"),
        ...Array.from({ length: 6 }, (_, i) => page("ListOrdersByNextToken", i === 5 ? undefined : "t", String(i)))
      ])
      const h = harness(transport.layer)
      const fiber = yield* Effect.forkChild(Pagination.pages(request).pipe(Stream.runCollect, Effect.provide(h.layer)))
      yield* TestClock.adjust("10 minutes")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(
        transport.sent.map((s) => s.at),
        [0, 0, 0, 0, 0, 0, 60_000]
      )
      assert.isTrue(MwsClient.isStateChanging("SubmitFeed"))
      assert.isFalse(MwsClient.isStateChanging("ListOrders"))
    })
  )
})
