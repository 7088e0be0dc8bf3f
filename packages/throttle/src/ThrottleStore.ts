/**
 * Where the throttle keeps its buckets: the interface both stores implement.
 * {@link MemoryStore} keeps them in the process (exact under the test clock);
 * {@link RedisStore} keeps them in Redis, shared by every process of a fleet,
 * with every decision made atomically in Redis on Redis's clock.
 *
 * Each operation is one atomic step on one bucket key: the store refills the
 * bucket to its own "now", decides, writes, and answers with that "now".
 * Callers (the {@link Throttle} service) only sleep relative durations, so
 * machines whose clocks disagree still share one bucket correctly.
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type * as HourlyQuota from "./HourlyQuota.ts"
import type { LimitedBy, ThrottleStoreUnavailable } from "./ThrottleError.ts"

/**
 * One bucket as a store sees it: its key (seller, developer account and
 * bucket id) and its shape, already time-scaled.
 *
 * @category models
 * @since 0.1.0
 */
export interface BucketRef {
  /** Unique per (seller account, developer account, bucket). */
  readonly key: string
  /** The maximum request quota. */
  readonly capacity: number
  /** Milliseconds to restore one unit. */
  readonly intervalMs: number
  /** The catalog's hourly quota, when the operation has one. */
  readonly hourlyMax: number | undefined
  /** The hourly window, in milliseconds (an hour, divided by the time scale). */
  readonly windowMs: number
  /** The jitter allowance, in milliseconds (see `Bucket.take`). */
  readonly jitterMs: number
}

/**
 * The answer to a take: granted at the store's `at`, or the wait (from the
 * store's `at`) before the request could be granted, and why.
 *
 * @category models
 * @since 0.1.0
 */
export type TakeResult =
  | { readonly _tag: "Granted"; readonly at: number; readonly tokens: number }
  | { readonly _tag: "Wait"; readonly at: number; readonly waitMs: number; readonly limitedBy: LimitedBy }

/**
 * A bucket's state, for observability and tests.
 *
 * @category models
 * @since 0.1.0
 */
export interface Snapshot {
  /** The store's clock when the snapshot was taken (epoch ms). */
  readonly at: number
  /** Units in the bucket now (fractional while one restores). */
  readonly tokens: number
  /** The bucket's capacity. */
  readonly capacity: number
  /** The hourly quota, when one is known. */
  readonly hourly:
    | {
        readonly used: number
        /** The quota in force (announced by the server, else the catalog's); unknown for a blocked operation without one. */
        readonly max: number | undefined
        /** End of the current window (epoch ms), when one is open. */
        readonly resetsAt: number | undefined
        /** End of a QuotaExceeded block (epoch ms), when blocked. */
        readonly blockedUntil: number | undefined
      }
    | undefined
}

/**
 * The store service.
 *
 * @category services
 * @since 0.1.0
 */
export class ThrottleStore extends Context.Service<
  ThrottleStore,
  {
    /** A short name for errors and logs (`"memory"`, `"redis"`). */
    readonly name: string
    /** Takes `cost` units and counts one request against the hourly quota, if both allow it now. */
    readonly take: (bucket: BucketRef, cost: number) => Effect.Effect<TakeResult, ThrottleStoreUnavailable>
    /** Like `take` for `cost` units and `requests` requests, without taking anything. */
    readonly estimate: (
      bucket: BucketRef,
      cost: number,
      requests: number
    ) => Effect.Effect<TakeResult, ThrottleStoreUnavailable>
    /** Empties the bucket: the next unit is one full restore interval away. */
    readonly drain: (bucket: BucketRef) => Effect.Effect<void, ThrottleStoreUnavailable>
    /** Applies a response's quota headers to the hourly quota. */
    readonly observe: (
      bucket: BucketRef,
      observation: HourlyQuota.Observation
    ) => Effect.Effect<void, ThrottleStoreUnavailable>
    /** Blocks the hourly quota until `resetsAt` (epoch ms), else until its window ends. */
    readonly exhaust: (bucket: BucketRef, resetsAt: number | undefined) => Effect.Effect<void, ThrottleStoreUnavailable>
    /** The bucket's state now. */
    readonly inspect: (bucket: BucketRef) => Effect.Effect<Snapshot, ThrottleStoreUnavailable>
  }
>()("@mws-kit/throttle/ThrottleStore") {}
