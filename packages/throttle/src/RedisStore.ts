/**
 * The fleet store: every bucket in Redis, shared by every process that uses
 * the same seller account, each decision one atomic Lua script run with
 * Redis's own clock (`TIME`), so the machines' clocks never matter.
 *
 * It needs Effect's `Redis` service (`effect/persistence`): provide it with
 * `RedisConnection.layer` (`@mws-kit/throttle/RedisConnection`), which bounds
 * the connect, every command and the close, so a Redis that accepts and
 * never answers fails within its bounds instead of hanging. Any other
 * provider works too (`@effect/platform-node`'s `NodeRedis.layer`), without
 * those bounds.
 *
 * Why not Effect's persistence `RateLimiter` with its Redis store: its token
 * bucket takes "now" from each caller's clock (passed into its script), ties
 * the restore rate to the limit (`window / limit`), has no way to drain a
 * bucket after a RequestThrottled, and no hourly quota. MWS needs all four,
 * so this store runs its own script (see the README).
 *
 * When Redis cannot be reached, every call fails with
 * `ThrottleStoreUnavailable` (after at most `timeout`), naming the action and
 * the bucket key; the throttle never falls back to pacing locally (see the
 * README, "When Redis is down").
 *
 * @since 0.1.0
 */
import { Duration, Effect, Layer } from "effect"
import { Redis } from "effect/persistence"
import type * as HourlyQuota from "./HourlyQuota.ts"
import { describeCause, redactUrls } from "./internal/redact.ts"
import { script } from "./internal/redisScript.ts"
import { type LimitedBy, ThrottleStoreUnavailable } from "./ThrottleError.ts"
import { type BucketRef, type Snapshot, type TakeResult, ThrottleStore } from "./ThrottleStore.ts"

/**
 * The prefix of every key the store writes.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_PREFIX = "mws-kit:throttle:"

/**
 * How long one store call may take before it fails with
 * `ThrottleStoreUnavailable`: 2 seconds. A script call is one round trip
 * (well under a millisecond on a LAN), so 2 seconds means Redis or the
 * network is down, not slow. It bounds the caller's wait whatever provides
 * `Redis` (node-redis queues commands while it reconnects, unless its
 * offline queue is disabled, as `RedisConnection` does).
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_TIMEOUT: Duration.Duration = Duration.seconds(2)

/**
 * Options of the Redis store.
 *
 * @category models
 * @since 0.1.0
 */
export interface RedisStoreOptions {
  /** The prefix of every key ({@link DEFAULT_PREFIX}); give each fleet or test run its own. */
  readonly prefix?: string | undefined
  /** The longest a store call may take ({@link DEFAULT_TIMEOUT}). */
  readonly timeout?: Duration.Input | undefined
}

const number = (value: string | undefined): number => Number(value)

const toTakeResult = (reply: ReadonlyArray<string>): TakeResult =>
  reply[0] === "granted"
    ? { _tag: "Granted", at: number(reply[1]), tokens: number(reply[2]) }
    : { _tag: "Wait", at: number(reply[1]), waitMs: number(reply[2]), limitedBy: reply[3] as LimitedBy }

/**
 * Makes a Redis store over the `Redis` service in the context.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function* (options: RedisStoreOptions = {}) {
  const redis = yield* Redis.Redis
  const run = redis.eval(script)
  const prefix = options.prefix ?? DEFAULT_PREFIX
  const timeout = Duration.fromInputUnsafe(options.timeout ?? DEFAULT_TIMEOUT)

  const call = (
    action: "take" | "estimate" | "drain" | "observe" | "exhaust" | "inspect",
    ref: BucketRef,
    extra: ReadonlyArray<number | undefined> = []
  ): Effect.Effect<ReadonlyArray<string>, ThrottleStoreUnavailable> =>
    run(`${prefix}${ref.key}`, action, ref, extra).pipe(
      Effect.mapError(
        (error) =>
          new ThrottleStoreUnavailable({
            store: "redis",
            action,
            key: ref.key,
            detail: redactUrls(describeCause(error.cause))
          })
      ),
      // Interrupts the call: with `RedisConnection`, a reply that never comes also drops the
      // connection (its command timeout), so nothing is left waiting on it.
      Effect.timeoutOrElse({
        duration: timeout,
        orElse: () =>
          Effect.fail(
            new ThrottleStoreUnavailable({
              store: "redis",
              action,
              key: ref.key,
              detail: `no answer within ${Duration.toMillis(timeout)} ms`
            })
          )
      })
    )

  return ThrottleStore.of({
    name: "redis",
    take: (ref, cost) => Effect.map(call("take", ref, [cost]), toTakeResult),
    estimate: (ref, cost, requests) => Effect.map(call("estimate", ref, [cost, requests]), toTakeResult),
    drain: (ref) => Effect.asVoid(call("drain", ref)),
    observe: (ref, observation: HourlyQuota.Observation) =>
      Effect.asVoid(call("observe", ref, [observation.max, observation.remaining, observation.resetsAt])),
    exhaust: (ref, resetsAt) => Effect.asVoid(call("exhaust", ref, [resetsAt])),
    inspect: (ref) =>
      Effect.map(call("inspect", ref), (reply): Snapshot => {
        const max = reply[4] === "" || reply[4] === undefined ? undefined : number(reply[4])
        const resetsAt = number(reply[5])
        const blockedUntil = number(reply[6])
        return {
          at: number(reply[1]),
          tokens: number(reply[2]),
          capacity: ref.capacity,
          hourly:
            max === undefined && blockedUntil === 0
              ? undefined
              : {
                  used: number(reply[3]),
                  max,
                  resetsAt: resetsAt > 0 ? resetsAt : undefined,
                  blockedUntil: blockedUntil > 0 ? blockedUntil : undefined
                }
        }
      })
  })
})

/**
 * The Redis store as a layer. Provide `Redis` with
 * `RedisConnection.layer({ url })` (bounded; see that module).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { RedisStore, Throttle } from "@mws-kit/throttle"
 * import * as RedisConnection from "@mws-kit/throttle/RedisConnection"
 *
 * const ThrottleLive = Throttle.Throttle.layer({ developerId: "1234-5678-9012" }).pipe(
 *   Layer.provide(RedisStore.layer()),
 *   Layer.provide(RedisConnection.layer({ url: "redis://127.0.0.1:6379" }))
 * )
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: RedisStoreOptions = {}): Layer.Layer<ThrottleStore, never, Redis.Redis> =>
  Layer.effect(ThrottleStore, make(options))
