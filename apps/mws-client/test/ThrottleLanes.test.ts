/**
 * The client's throttle keeps one FIFO lane per bucket. Until 0.2.0 the
 * client built two throttles over one store (requests too large for the
 * jitter allowance went through a second one, paced exactly) and each had
 * its own lanes, so a small request queued behind a large one on the other
 * throttle could overtake it. The throttle now grants a full, idle bucket
 * whatever the allowance, and the client uses one throttle. Test clock.
 */
import { assert, describe, it } from "@effect/vitest"
import { Throttle } from "@mws-kit/throttle"
import { Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { ClientConfig, ClientLayer } from "../src/index.ts"

const config = ClientConfig.forSandbox({
  url: "https://mws.amazonservices.com",
  accessKeyId: "AKIALANES",
  secretKey: "not-a-secret",
  sellerId: "A1LANES"
})

describe("the client's throttle", () => {
  it.effect("serves requests on one bucket in the order they came, whatever their size", () =>
    Effect.gen(function* () {
      const throttle = yield* Throttle.Throttle
      const granted: Array<string> = []
      const take = (name: string, items: number) =>
        throttle
          .acquire({ sellerId: "A1LANES", section: "Products", operation: "GetMatchingProduct", items })
          .pipe(Effect.tap(() => Effect.sync(() => granted.push(name))))
      // GetMatchingProduct: a bucket of 20 items, 2 restored a second. A small request, one that
      // needs the whole bucket (no room for the 200 ms jitter allowance), then a small one again.
      const fibers = []
      for (const [name, items] of [
        ["A", 1],
        ["B", 20],
        ["C", 1]
      ] as const) {
        fibers.push(yield* Effect.forkChild(take(name, items)))
        yield* Effect.yieldNow
      }
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.joinAll(fibers)
      assert.deepStrictEqual(granted, ["A", "B", "C"])
    }).pipe(Effect.provide(ClientLayer.throttleLayer(config)))
  )

  it.effect("grants a request for a whole full, idle bucket at once, despite the jitter allowance", () =>
    Effect.gen(function* () {
      const throttle = yield* Throttle.Throttle
      const permit = yield* throttle.acquire({
        sellerId: "A1LANES",
        section: "Products",
        operation: "GetMatchingProduct",
        items: 20
      })
      assert.strictEqual(permit.waitedMs, 0)
      assert.strictEqual(permit.tokens, 0)
    }).pipe(Effect.provide(ClientLayer.throttleLayer(config)))
  )
})
