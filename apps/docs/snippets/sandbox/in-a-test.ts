import { assert, it } from "@effect/vitest"
import { ClientConfig, ClientLayer, MwsClient } from "@mws-kit/mws-client"
import { Sandbox } from "@mws-kit/sandbox"
import { Effect } from "effect"

/** Registers the suite below; `test/snippets.test.ts` calls it, so this example runs as a real test. */
export const sandboxSuite = () =>
  // #region it-layer
  // The sandbox starts before the first test of the block and stops after the last.
  // excludeTestServices: the client really waits (time-scaled), so these tests use the live clock.
  it.layer(Sandbox.Sandbox.layer({ timeScale: 100 }), { excludeTestServices: true })((it) => {
    it.effect("recovers from two 500s on the documented timeline", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox.Sandbox
        sandbox.faults.script("GetOrder", [{ kind: "internal-error" }, { kind: "internal-error" }])

        const config = ClientConfig.forSandbox({
          url: sandbox.url,
          ...Sandbox.DEFAULT_CREDENTIAL,
          sellerId: Sandbox.DEFAULT_SELLER_ID,
          timeScale: 100 // retry waits 100 times shorter, like the sandbox's quotas
        })
        const order = yield* MwsClient.MwsClient.use((mws) =>
          mws.call({
            section: "Orders",
            operation: "GetOrder",
            params: { "AmazonOrderId.Id": ["902-1000000-7000000"] }
          })
        ).pipe(Effect.provide(ClientLayer.live(config)))

        assert.strictEqual(order.metadata.attempt, 3)
        const log = sandbox.requests() // every request id the sandbox issued
        assert.deepStrictEqual(
          log.map((entry) => [entry.operation, entry.status, entry.fault]),
          [
            ["GetOrder", 500, "internal-error"],
            ["GetOrder", 500, "internal-error"],
            ["GetOrder", 200, undefined]
          ]
        )
        assert.strictEqual(log[2]?.requestId, order.metadata.requestId)
      })
    )
  })
// #endregion it-layer
