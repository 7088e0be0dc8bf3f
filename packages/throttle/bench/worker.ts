/**
 * One process of the benchmark fleet. It connects to Redis, warms up (the
 * script is loaded), says "ready", and on "go" asks for COUNT permits at once
 * on the shared bucket; it sends each grant to the parent, which plays the
 * MWS server and judges it on arrival.
 *
 * Environment: MWS_KIT_REDIS_URL, PREFIX, COUNT, TIME_SCALE, JITTER_ALLOWANCE_MS.
 */
import * as NodeRedis from "@effect/platform-node/NodeRedis"
import { Duration, Effect, Layer, ManagedRuntime } from "effect"
import { RedisStore, Throttle } from "../src/index.ts"

const url = process.env.MWS_KIT_REDIS_URL ?? "redis://127.0.0.1:6379"
const count = Number(process.env.COUNT)
const target = { sellerId: "A1BENCH", section: "Orders", operation: "ListOrderItems" } as const

const runtime = ManagedRuntime.make(
  Throttle.Throttle.layer({
    developerId: "bench",
    timeScale: Number(process.env.TIME_SCALE),
    maxWait: "1 minute",
    jitterAllowance: Duration.millis(Number(process.env.JITTER_ALLOWANCE_MS ?? 0))
  }).pipe(Layer.provide(RedisStore.layer({ prefix: process.env.PREFIX })), Layer.provide(NodeRedis.layer({ url })))
)

const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()))

const main = async () => {
  const throttle = await runtime.runPromise(Effect.service(Throttle.Throttle))
  await runtime.runPromise(throttle.inspect(target)) // loads the script, opens the connection
  await send({ type: "ready" })
  await new Promise<void>((resolve) => process.once("message", () => resolve()))
  await runtime.runPromise(
    Effect.forEach(
      Array.from({ length: count }, (_, index) => index),
      () =>
        Effect.flatMap(throttle.acquire(target), (permit) =>
          Effect.sync(() => process.send!({ type: "grant", grantedAt: permit.grantedAt }))
        ),
      { concurrency: "unbounded", discard: true }
    )
  )
  await send({ type: "done" })
  await runtime.dispose()
  process.disconnect()
}

main().catch((error: unknown) => {
  console.error(String(error))
  process.exit(1)
})
