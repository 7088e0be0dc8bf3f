/**
 * One member of the benchmark's fleet: the full mws-kit client with its
 * throttle in Redis, making its share of the calls when the parent says go,
 * then reporting when each call ended and how many were throttled.
 */
import { Effect, Redacted } from "effect"
import { ClientConfig, ClientLayer, MwsClient } from "../src/index.ts"

interface Start {
  readonly type: "start"
  readonly url: string
  readonly accessKeyId: string
  readonly secretKey: string
  readonly sellerId: string
  readonly orderId: string
  readonly calls: number
  readonly timeScale: number
  readonly redisUrl: string
  readonly redisPrefix: string
  readonly jitterMs: number
}

process.once("message", (start: Start) => {
  const config: ClientConfig.ClientConfig = {
    ...ClientConfig.forSandbox({
      url: start.url,
      accessKeyId: start.accessKeyId,
      secretKey: start.secretKey,
      sellerId: start.sellerId,
      timeScale: start.timeScale
    }),
    redisUrl: Redacted.make(start.redisUrl)
  }
  const program = Effect.gen(function* () {
    const mws = yield* MwsClient.MwsClient
    // Warm up the connection pool and the Redis script on another seller's bucket.
    yield* Effect.forEach(
      Array.from({ length: 15 }),
      () =>
        mws.call({
          section: "Orders",
          operation: "ListOrderItems",
          params: { AmazonOrderId: start.orderId },
          sellerId: `${start.sellerId}WARM${process.pid}`
        }),
      { concurrency: "unbounded" }
    )
    process.send?.({ type: "ready" })
    yield* Effect.callback<void>((resume) => {
      process.once("message", () => resume(Effect.void))
    })
    const results = yield* Effect.forEach(
      Array.from({ length: start.calls }),
      () =>
        mws.call({ section: "Orders", operation: "ListOrderItems", params: { AmazonOrderId: start.orderId } }).pipe(
          Effect.map(() => ({ ok: true, code: undefined as string | undefined, at: Date.now() })),
          Effect.catch((error) =>
            Effect.succeed({ ok: false, code: (error as { readonly code?: string }).code, at: Date.now() })
          )
        ),
      { concurrency: "unbounded" }
    )
    return results
  }).pipe(
    Effect.provide(
      ClientLayer.live(config, {
        redisPrefix: start.redisPrefix,
        throttle: { jitterAllowance: start.jitterMs, maxWait: "5 minutes" },
        onAttempt: (report) => (report.errorCode === "RequestThrottled" ? Effect.sync(() => throttled++) : Effect.void)
      })
    )
  )
  let throttled = 0
  Effect.runPromise(program).then(
    (results) => {
      process.send?.({ type: "done", results, throttled }, () => process.exit(0))
    },
    (error) => {
      process.send?.({ type: "failed", error: String(error) }, () => process.exit(1))
    }
  )
})
