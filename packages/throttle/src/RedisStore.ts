/**
 * The fleet store: every bucket in Redis, shared by every process that uses
 * the same seller account, each decision one atomic Lua script run with
 * Redis's own clock (`TIME`), so the machines' clocks never matter.
 *
 * It needs Effect's `Redis` service (`effect/persistence`), which
 * `@effect/platform-node`'s `NodeRedis.layer` provides over node-redis.
 *
 * Why not Effect's persistence `RateLimiter` with its Redis store: its token
 * bucket takes "now" from each caller's clock (passed into its script), ties
 * the restore rate to the limit (`window / limit`), has no way to drain a
 * bucket after a RequestThrottled, and no hourly quota. MWS needs all four,
 * so this store runs its own script (see the README).
 *
 * When Redis cannot be reached, every call fails with
 * `ThrottleStoreUnavailable` (after at most `timeout`); the throttle never
 * falls back to pacing locally (see the README, "When Redis is down").
 *
 * @since 0.1.0
 */
import { Duration, Effect, Layer } from "effect"
import { Redis } from "effect/persistence"
import type * as HourlyQuota from "./HourlyQuota.ts"
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
 * network is down, not slow. While node-redis reconnects it queues commands;
 * this bound keeps a caller from waiting on that queue forever.
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

/** Drops credentials from URLs in a driver message (`redis://user:secret@host` becomes `redis://***@host`). */
const redact = (text: string): string => text.replace(/\/\/[^@/\s]*@/g, "//***@")

const describe = (cause: unknown): string => {
  if (cause instanceof Error) return cause.message || cause.name
  return String(cause)
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
        (error) => new ThrottleStoreUnavailable({ store: "redis", action, detail: redact(describe(error.cause)) })
      ),
      Effect.timeoutOrElse({
        duration: timeout,
        orElse: () =>
          Effect.fail(
            new ThrottleStoreUnavailable({
              store: "redis",
              action,
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
 * The Redis store as a layer. Provide `Redis` with `@effect/platform-node`'s
 * `NodeRedis.layer({ url })`.
 *
 * @example
 * ```ts
 * import { NodeRedis } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { RedisStore, Throttle } from "@mws-kit/throttle"
 *
 * const ThrottleLive = Throttle.Throttle.layer({ developerId: "1234-5678-9012" }).pipe(
 *   Layer.provide(RedisStore.layer()),
 *   Layer.provide(NodeRedis.layer({ url: "redis://127.0.0.1:6379", disableOfflineQueue: true }))
 * )
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: RedisStoreOptions = {}): Layer.Layer<ThrottleStore, never, Redis.Redis> =>
  Layer.effect(ThrottleStore, make(options))
