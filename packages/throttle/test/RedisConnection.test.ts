import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Fiber, Layer } from "effect"
import { Redis } from "effect/persistence"
import { type FaultMode, type FaultOptions, startFaultProxy } from "../../../scripts/faultProxy.ts"
import { serviceUrl } from "../../../scripts/test-services.ts"
import { describeTarget, redact, secretsOf } from "../src/internal/redact.ts"
import { reconnectDelayMs } from "../src/internal/redisClient.ts"
import * as RedisConnection from "../src/RedisConnection.ts"

const redisUrl = serviceUrl("MWS_KIT_REDIS_URL", "Redis connection bounds (@mws-kit/throttle)")

describe("RedisConnection helpers", () => {
  it("redacts passwords, also those holding @ or /", () => {
    assert.strictEqual(redact("at redis://user:secret@host:6379/0 now"), "at redis://***@host:6379/0 now")
    assert.strictEqual(redact("redis://u:p@ss/w0rd@host:6379"), "redis://***@host:6379")
    assert.strictEqual(redact("rediss://:hunter22@cache.example:6380"), "rediss://***@cache.example:6380")
    const url = "redis://user:p%40ss%2Fw0rd@host:6379"
    assert.strictEqual(describeTarget(url), "redis://***@host:6379")
    assert.strictEqual(describeTarget("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379")
    // A message quoting the decoded password outside any URL.
    assert.strictEqual(redact("WRONGPASS for p@ss/w0rd", secretsOf(url)), "WRONGPASS for ***")
  })

  it("spaces connect attempts: 50 ms doubled per failure, at most 2 s", () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 7, 100].map((failures) => reconnectDelayMs(failures, 50, 2000))
    assert.deepStrictEqual(delays, [0, 50, 100, 200, 400, 800, 1600, 2000, 2000])
  })
})

/** The bound every test configures, and the slack a loaded shared machine gets on top of it. */
const BOUND_MS = 500
const SLACK_MS = 1000

const bounded = (url: string, options: Partial<RedisConnection.RedisConnectionOptions> = {}) =>
  RedisConnection.layer({
    url,
    connectTimeout: `${BOUND_MS} millis`,
    commandTimeout: `${BOUND_MS} millis`,
    closeTimeout: `${BOUND_MS} millis`,
    ...options
  })

const faultProxy = (mode: FaultMode = "pass", options?: FaultOptions) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const target = new URL(redisUrl!)
      const proxy = await startFaultProxy({ target: { host: target.hostname, port: Number(target.port || 6379) } })
      proxy.setMode(mode, options)
      return proxy
    }),
    (proxy) => Effect.promise(() => proxy.close())
  )

/** Runs `effect`, returning its exit and the real milliseconds it took. */
const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const started = Date.now()
    const exit = yield* Effect.exit(effect)
    return { exit, ms: Date.now() - started }
  })

const buildFails = (layer: Layer.Layer<Redis.Redis, unknown>) =>
  Effect.gen(function* () {
    const { exit, ms } = yield* timed(Effect.scoped(Layer.build(layer)))
    assert.isTrue(Exit.isFailure(exit), "the layer must fail")
    const error = Exit.isFailure(exit) ? Exit.findErrorOption(exit) : undefined
    return {
      error: error?._tag === "Some" ? (error.value as { _tag: string; action: string; message: string }) : undefined,
      ms
    }
  })

describe.skipIf(redisUrl === undefined)("RedisConnection against a misbehaving Redis", { timeout: 20_000 }, () => {
  it.live("fails to connect within the bound when the server accepts and never answers", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* faultProxy("swallow")
        const url = proxy.url("redis://mws:p%40ss%2Fs3cret@127.0.0.1:6379")
        const { error, ms } = yield* buildFails(bounded(url))
        assert.strictEqual(error?._tag, "ThrottleStoreUnavailable")
        assert.strictEqual(error?.action, "connect")
        assert.match(error!.message, /no answer from redis:\/\/\*\*\*@127\.0\.0\.1:\d+ within 500 ms/)
        assert.notMatch(error!.message, /s3cret|p@ss|p%40ss|mws:/)
        assert.isAtLeast(ms, BOUND_MS - 20)
        assert.isBelow(ms, BOUND_MS + SLACK_MS)
      })
    )
  )

  it.live("fails at once when the server resets the connection", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* faultProxy("refuse")
        const { error, ms } = yield* buildFails(bounded(proxy.url(redisUrl!), { connectTimeout: "5 seconds" }))
        assert.strictEqual(error?._tag, "ThrottleStoreUnavailable")
        assert.strictEqual(error?.action, "connect")
        assert.isBelow(ms, 1000, "a reset needs no timeout")
      })
    )
  )

  it.live("fails to connect within the bound when answers are slower than it (delay and drip)", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* faultProxy("delay", { delayMs: 1_000 })
        const delayed = yield* buildFails(bounded(proxy.url(redisUrl!)))
        assert.strictEqual(delayed.error?._tag, "ThrottleStoreUnavailable")
        assert.isBelow(delayed.ms, BOUND_MS + SLACK_MS)
        proxy.setMode("drip", { dripBytes: 1, dripIntervalMs: 100 })
        const dripped = yield* buildFails(bounded(proxy.url(redisUrl!)))
        assert.strictEqual(dripped.error?._tag, "ThrottleStoreUnavailable")
        assert.isBelow(dripped.ms, BOUND_MS + SLACK_MS)
      })
    )
  )

  it.live("stops connecting at once when interrupted (Ctrl-C during the connect)", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* faultProxy("swallow")
        // The default connect bound (5 s): only the interruption can end this quickly.
        const fiber = yield* Effect.forkChild(
          Effect.scoped(Layer.build(RedisConnection.layer({ url: proxy.url(redisUrl!) })))
        )
        // Long enough for the TCP connect and the handshake to be under way.
        yield* Effect.sleep("500 millis")
        const { ms } = yield* timed(Fiber.interrupt(fiber))
        assert.isBelow(ms, 1000)
        assert.isTrue(Exit.hasInterrupts(fiber.pollUnsafe()!))
      })
    )
  )

  it.live("fails a command within the bound when Redis goes silent, closes within the bound, and recovers", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* faultProxy("pass")
        const url = proxy.url(redisUrl!)
        const scope = yield* Effect.scope
        const redis = yield* Effect.gen(function* () {
          const context = yield* Layer.buildWithScope(bounded(url), scope)
          return Context.get(context, Redis.Redis)
        })
        assert.strictEqual(yield* redis.send("PING"), "PONG")

        proxy.setMode("swallow")
        const silent = yield* timed(redis.send("PING"))
        assert.isTrue(Exit.isFailure(silent.exit))
        assert.match(String(silent.exit), /no reply to PING within 500 ms/)
        assert.isBelow(silent.ms, BOUND_MS + SLACK_MS)
        // No connection: the next command tries a new one, bounded too.
        const reconnect = yield* timed(redis.send("PING"))
        assert.isTrue(Exit.isFailure(reconnect.exit))
        assert.isBelow(reconnect.ms, BOUND_MS + SLACK_MS)

        // Redis answers again: the same layer connects again on demand.
        proxy.setMode("pass")
        let answer: unknown
        for (let attempt = 0; attempt < 30 && answer !== "PONG"; attempt++) {
          answer = yield* Effect.orElseSucceed(redis.send("PING"), () => undefined)
          if (answer !== "PONG") yield* Effect.sleep("100 millis")
        }
        assert.strictEqual(answer, "PONG")
      })
    )
  )

  it.live("closes within the close bound with a command in flight on a silent connection", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* faultProxy("pass")
        const url = proxy.url(redisUrl!)
        const { ms } = yield* timed(
          Effect.scoped(
            Effect.gen(function* () {
              // A long command bound: only the close bound can end the scope quickly.
              const context = yield* Layer.build(bounded(url, { commandTimeout: "10 seconds" }))
              const redis = Context.get(context, Redis.Redis)
              yield* redis.send("PING")
              proxy.setMode("swallow")
              yield* Effect.forkDetach(redis.send("PING"))
              yield* Effect.sleep("50 millis")
            })
          )
        )
        assert.isBelow(ms, 50 + BOUND_MS + SLACK_MS)
      })
    )
  )
})
