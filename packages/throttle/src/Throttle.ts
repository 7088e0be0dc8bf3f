/**
 * The throttle: before each request, ask it for a permit for the operation;
 * it makes the caller wait, first come first served, until the operation's
 * bucket allows the request, and fails with a typed error rather than wait
 * past a limit. It learns from what the server says: quota headers update
 * the hourly quota, a RequestThrottled drains the bucket, a QuotaExceeded
 * blocks the hourly quota until its reset.
 *
 * Buckets are per (seller account, developer account) pair, as MWS counts
 * them. Where they live is the {@link ThrottleStore}: in memory for one
 * process, in Redis for a fleet.
 *
 * @since 0.1.0
 */
import { Clock, Context, Deferred, Duration, Effect, Exit, Layer, Option } from "effect"
import type * as HourlyQuota from "./HourlyQuota.ts"
import { Lanes, type Waiter } from "./internal/lanes.ts"
import * as MemoryStore from "./MemoryStore.ts"
import * as MwsQuotas from "./MwsQuotas.ts"
import * as QuotaCatalog from "./QuotaCatalog.ts"
import * as QuotaHeaders from "./QuotaHeaders.ts"
import {
  InvalidThrottleRequest,
  type LimitedBy,
  type ThrottleStoreUnavailable,
  ThrottleWaitTooLong,
  UnknownOperation
} from "./ThrottleError.ts"
import { type BucketRef, type Snapshot, ThrottleStore } from "./ThrottleStore.ts"

/**
 * How long a request may wait for its permit unless told otherwise: five
 * minutes, the longest restore interval in the MWS catalog (GetServiceStatus,
 * one request every five minutes), so one request on any drained bucket can
 * always wait its turn. Waiting out an hourly quota (up to an hour) needs a
 * larger `maxWait`.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MAX_WAIT: Duration.Duration = Duration.minutes(5)

/**
 * The default jitter allowance: none. The throttle then paces exactly as
 * the docs describe the bucket (and exactly under the test clock). Against a
 * real server, set `jitterAllowance` to the spread of your request latencies
 * (see the README, "Jitter allowance").
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_JITTER_ALLOWANCE: Duration.Duration = Duration.zero

/**
 * The developer account id used in bucket keys when neither the config nor
 * the request names one. Give the real one (it is not a secret) when several
 * applications share a store.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_DEVELOPER_ID = "default"

/**
 * How to throttle.
 *
 * @category models
 * @since 0.1.0
 */
export interface ThrottleConfig {
  /** The quotas; the MWS catalog by default. */
  readonly catalog?: QuotaCatalog.QuotaCatalog | undefined
  /** The developer account id for bucket keys (MWS counts per seller and developer account pair). */
  readonly developerId?: string | undefined
  /**
   * Time runs this many times faster for every quota: a time scale of 100
   * restores "one request every two seconds" every 20 ms and makes the
   * hourly window 36 seconds. For the sandbox, tests and benchmarks. Default 1.
   */
  readonly timeScale?: number | undefined
  /** The longest a request waits for its permit before failing ({@link DEFAULT_MAX_WAIT}). */
  readonly maxWait?: Duration.Input | undefined
  /**
   * The quota for operations the catalog does not know. Without it an
   * unknown operation fails with `UnknownOperation`: a guessed quota would
   * either throttle the operation or waste its quota, so guessing is opt-in.
   */
  readonly defaultQuota?: Pick<QuotaCatalog.QuotaEntry, "maxQuota" | "restore" | "per" | "hourlyQuota"> | undefined
  /**
   * How much longer one request may take than another to reach the server
   * (network and clock jitter); {@link DEFAULT_JITTER_ALLOWANCE} by default.
   * Exact pacing lets a request through the instant its unit is restored on
   * this side; if an earlier request travelled longer, the server sees the
   * two closer together than they were sent and throttles the later one.
   * With an allowance, the throttle paces as if the bucket held
   * `jitterAllowance / interval` fewer units (same restore rate), which keeps
   * every span of arrivals inside the server's bucket (see `Bucket.allowedAt`).
   * It costs `jitterAllowance` once per burst, never in steady use. Not
   * time-scaled: the network is as fast at any time scale.
   */
  readonly jitterAllowance?: Duration.Input | undefined
}

/**
 * Which bucket: the seller, the developer account, and the operation.
 *
 * @category models
 * @since 0.1.0
 */
export interface Target {
  /** The seller (merchant) id. Not a secret; it keys the bucket. */
  readonly sellerId: string
  /** The developer account id; the config's (or {@link DEFAULT_DEVELOPER_ID}) when absent. */
  readonly developerId?: string | undefined
  readonly section: string
  readonly operation: string
}

/**
 * A request for a permit.
 *
 * @category models
 * @since 0.1.0
 */
export interface AcquireRequest extends Target {
  /**
   * How many items the request sends, for operations whose restore is per
   * item (the Products list operations); ignored for the others. Default 1.
   */
  readonly items?: number | undefined
  /** Overrides the config's `maxWait` for this request. */
  readonly maxWait?: Duration.Input | undefined
  /**
   * The operation's entry and bucket, as this throttle's `resolve` gave them
   * for this target (since 0.2.0): a caller that resolved it already (to
   * count items, to read the restore interval) saves looking it up again.
   */
  readonly resolved?: Resolved | undefined
  /**
   * Called before each wait the permit needs (for its bucket to refill, or
   * for the requests queued ahead of it): for progress lines such as
   * "waiting for ListOrders quota (next slot in 54 s)". Not called when the
   * permit is granted at once.
   */
  readonly onWait?: ((wait: ThrottleWait) => Effect.Effect<void>) | undefined
}

/**
 * A wait a permit is about to take.
 *
 * @category models
 * @since 0.1.0
 */
export interface ThrottleWait {
  readonly section: string
  readonly operation: string
  readonly bucket: string
  /** How long the wait is expected to take, in ms of this process's clock (time-scaled). */
  readonly waitMs: number
  /** What the wait is for: the bucket's restore rate or its hourly quota. */
  readonly limitedBy: LimitedBy
  /** Requests of this process queued ahead on the same bucket (0 when the bucket alone is the reason). */
  readonly queuedAhead: number
}

/**
 * A granted request.
 *
 * @category models
 * @since 0.1.0
 */
export interface Permit {
  readonly section: string
  readonly operation: string
  readonly bucket: string
  /** The units taken (1, or the items of a per-item operation). */
  readonly cost: number
  /** When the store granted it, on the store's clock (Redis's for the Redis store), epoch ms. */
  readonly grantedAt: number
  /** How long the caller waited, on this process's clock. */
  readonly waitedMs: number
  /** Units left in the bucket just after. */
  readonly tokens: number
}

/**
 * How an operation resolved: its catalog entry and its bucket key.
 *
 * @category models
 * @since 0.1.0
 */
export interface Resolved {
  readonly entry: QuotaCatalog.QuotaEntry
  readonly ref: BucketRef
}

/**
 * What acquiring a permit can fail with.
 *
 * @category models
 * @since 0.1.0
 */
export type AcquireError = ThrottleWaitTooLong | UnknownOperation | InvalidThrottleRequest | ThrottleStoreUnavailable

/**
 * The throttle service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Throttle } from "@mws-kit/throttle"
 *
 * const listOrders = Effect.gen(function*() {
 *   const throttle = yield* Throttle.Throttle
 *   yield* throttle.acquire({ sellerId: "A1SELLER", section: "Orders", operation: "ListOrders" })
 *   // ... send the request
 * })
 *
 * Effect.runPromise(listOrders.pipe(Effect.provide(Throttle.Throttle.layerMemory({ developerId: "1234-5678-9012" }))))
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export class Throttle extends Context.Service<
  Throttle,
  {
    /** Waits until the bucket allows the request, then takes its units. */
    readonly acquire: (request: AcquireRequest) => Effect.Effect<Permit, AcquireError>
    /**
     * Applies quota headers already read (`QuotaHeaders.fromFields` of
     * `@mws-kit/wire-format`'s `ResponseHeaders.quota`, or
     * `QuotaHeaders.parse`), without reading the headers again (since 0.2.0).
     */
    readonly observeQuota: (
      target: Target,
      observation: QuotaHeaders.QuotaHeaders
    ) => Effect.Effect<void, UnknownOperation | ThrottleStoreUnavailable>
    /** Applies a response's `x-mws-quota-*` headers; returns what it read (`undefined` when there were none). */
    readonly observeHeaders: (
      target: Target,
      headers: QuotaHeaders.HeadersInput
    ) => Effect.Effect<QuotaHeaders.QuotaHeaders | undefined, UnknownOperation | ThrottleStoreUnavailable>
    /** The server answered RequestThrottled: drain the bucket, so the next request waits a full restore interval. */
    readonly reportThrottled: (target: Target) => Effect.Effect<void, UnknownOperation | ThrottleStoreUnavailable>
    /**
     * The server answered QuotaExceeded: block the operation's hourly quota
     * until `resetsAt` (an instant, an ISO or RFC 1123 string, epoch ms), else
     * until the current hourly window ends.
     */
    readonly reportQuotaExceeded: (
      target: Target,
      resetsAt?: Date | string | number | undefined
    ) => Effect.Effect<void, UnknownOperation | ThrottleStoreUnavailable>
    /** The bucket's state now. */
    readonly inspect: (target: Target) => Effect.Effect<Snapshot, UnknownOperation | ThrottleStoreUnavailable>
    /** The operation's quota entry and bucket key, time-scaled. */
    readonly resolve: (target: Target) => Effect.Effect<Resolved, UnknownOperation>
  }
>()("@mws-kit/throttle/Throttle") {
  /**
   * The throttle over the {@link ThrottleStore} in the context (memory or
   * Redis).
   */
  static readonly layer = (config: ThrottleConfig = {}): Layer.Layer<Throttle, never, ThrottleStore> =>
    Layer.effect(Throttle, make(config))

  /** The throttle with its own in-memory store: one process. */
  static readonly layerMemory = (config: ThrottleConfig = {}): Layer.Layer<Throttle> =>
    Throttle.layer(config).pipe(Layer.provide(MemoryStore.layer))
}

const encodeKeyPart = (part: string) => encodeURIComponent(part)

/**
 * The store key of a bucket: seller, developer account and bucket id.
 *
 * @category getters
 * @since 0.1.0
 */
export const bucketKey = (sellerId: string, developerId: string, bucket: string): string =>
  `${encodeKeyPart(sellerId)}:${encodeKeyPart(developerId)}:${bucket}`

const toMillis = (input: Duration.Input): number => Duration.toMillis(Duration.fromInputUnsafe(input))

const toEpochMillis = (input: Date | string | number | undefined): number | undefined => {
  if (input === undefined) return undefined
  if (typeof input === "number") return Number.isFinite(input) ? input : undefined
  if (input instanceof Date) return Number.isFinite(input.getTime()) ? input.getTime() : undefined
  return QuotaHeaders.parseResetsOn(input)
}

/**
 * Makes a throttle over the store in the context.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function* (config: ThrottleConfig = {}) {
  const store = yield* ThrottleStore
  const catalog = config.catalog ?? MwsQuotas.catalog
  const timeScale = config.timeScale ?? 1
  if (!(Number.isFinite(timeScale) && timeScale > 0)) {
    return yield* Effect.die(new Error(`timeScale must be a positive number, got ${timeScale}`))
  }
  const defaultDeveloperId = config.developerId ?? DEFAULT_DEVELOPER_ID
  const defaultMaxWaitMs = toMillis(config.maxWait ?? DEFAULT_MAX_WAIT)
  const windowMs = QuotaCatalog.HOUR_MS / timeScale
  const jitterMs = toMillis(config.jitterAllowance ?? DEFAULT_JITTER_ALLOWANCE)
  const lanes = new Lanes()

  const resolve = (target: Target): Effect.Effect<Resolved, UnknownOperation> =>
    Effect.suspend(() => {
      const found = QuotaCatalog.lookup(catalog, target.section, target.operation)
      const entry: QuotaCatalog.QuotaEntry | undefined =
        found ??
        (config.defaultQuota === undefined
          ? undefined
          : {
              section: target.section,
              operation: target.operation,
              bucket: `${target.section}/${target.operation}`,
              ...config.defaultQuota,
              source: "ThrottleConfig.defaultQuota"
            })
      if (entry === undefined) {
        return Effect.fail(new UnknownOperation({ section: target.section, operation: target.operation }))
      }
      const ref: BucketRef = {
        key: bucketKey(target.sellerId, target.developerId ?? defaultDeveloperId, entry.bucket),
        capacity: entry.maxQuota,
        intervalMs: QuotaCatalog.unitIntervalMs(entry, timeScale),
        hourlyMax: entry.hourlyQuota,
        windowMs,
        jitterMs
      }
      return Effect.succeed({ entry, ref })
    })

  const costOf = (entry: QuotaCatalog.QuotaEntry, items: number | undefined) => {
    if (entry.per === "request") return Effect.succeed(1)
    const cost = items ?? 1
    const invalid = (reason: string) =>
      Effect.fail(
        new InvalidThrottleRequest({
          section: entry.section,
          operation: entry.operation,
          items: cost,
          maxQuota: entry.maxQuota,
          reason
        })
      )
    if (!Number.isInteger(cost) || cost < 1) return invalid(`items must be a positive integer, got ${cost}`)
    if (cost > entry.maxQuota) {
      return invalid(`${cost} items can never fit a bucket of ${entry.maxQuota}: split the request`)
    }
    return Effect.succeed(cost)
  }

  const tooLong = (
    entry: QuotaCatalog.QuotaEntry,
    now: number,
    waitMs: number,
    maxWaitMs: number,
    limitedBy: LimitedBy
  ) =>
    new ThrottleWaitTooLong({
      section: entry.section,
      operation: entry.operation,
      bucket: entry.bucket,
      allowedAt: new Date(now + waitMs).toISOString(),
      waitMs,
      maxWaitMs,
      limitedBy
    })

  /** One permit being acquired: what its waits and its refusal need to know. */
  interface Pending {
    readonly request: AcquireRequest
    readonly entry: QuotaCatalog.QuotaEntry
    readonly ref: BucketRef
    readonly cost: number
    readonly maxWaitMs: number
    readonly startedAt: number
    readonly deadline: number
  }

  const announce = (p: Pending, waitMs: number, limitedBy: LimitedBy, queuedAhead: number): Effect.Effect<void> =>
    p.request.onWait === undefined
      ? Effect.void
      : p.request.onWait({
          section: p.entry.section,
          operation: p.entry.operation,
          bucket: p.entry.bucket,
          waitMs,
          limitedBy,
          queuedAhead
        })

  /** Others of this process are ahead on the bucket: wait for them, or fail now if their turns and ours cannot fit. */
  const waitForTurn = (p: Pending, waiter: Waiter) =>
    Effect.gen(function* () {
      const { ref, cost, maxWaitMs } = p
      const ahead = lanes.aheadOf(ref.key, waiter)
      const projected = yield* store.estimate(ref, ahead.cost + cost, ahead.requests + 1)
      if (projected._tag === "Wait" && projected.waitMs > maxWaitMs) {
        return yield* tooLong(p.entry, p.startedAt, projected.waitMs, maxWaitMs, projected.limitedBy)
      }
      if (projected._tag === "Wait") yield* announce(p, projected.waitMs, projected.limitedBy, ahead.requests)
      const now = yield* Clock.currentTimeMillis
      yield* Deferred.await(waiter.turn).pipe(
        Effect.timeoutOrElse({
          duration: Duration.millis(Math.max(0, p.deadline - now)),
          orElse: () =>
            Effect.gen(function* () {
              const late = lanes.aheadOf(ref.key, waiter)
              const estimate = yield* store.estimate(ref, late.cost + cost, late.requests + 1)
              const at = yield* Clock.currentTimeMillis
              const waitMs = estimate._tag === "Wait" ? estimate.waitMs : 0
              return yield* tooLong(
                p.entry,
                at,
                waitMs,
                maxWaitMs,
                estimate._tag === "Wait" ? estimate.limitedBy : "restore"
              )
            })
        })
      )
    })

  /** First in line: take the units, or wait for the bucket (announced) and take them then. */
  const takeInTurn = (p: Pending): Effect.Effect<Permit, AcquireError> =>
    Effect.flatMap(store.take(p.ref, p.cost), (result) =>
      Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<Permit, AcquireError> => {
        if (result._tag === "Granted") {
          return Effect.succeed({
            section: p.entry.section,
            operation: p.entry.operation,
            bucket: p.entry.bucket,
            cost: p.cost,
            grantedAt: result.at,
            waitedMs: now - p.startedAt,
            tokens: result.tokens
          })
        }
        if (now + result.waitMs > p.deadline) {
          return Effect.fail(tooLong(p.entry, now, result.waitMs, p.maxWaitMs, result.limitedBy))
        }
        return announce(p, result.waitMs, result.limitedBy, 0).pipe(
          Effect.andThen(Effect.sleep(Duration.millis(Math.ceil(result.waitMs)))),
          Effect.andThen(Effect.suspend(() => takeInTurn(p)))
        )
      })
    )

  /**
   * The bucket as this request is paced on it. A jitter allowance the bucket
   * cannot hold beside the request (its slack, `(maxQuota - cost) x
   * interval`, is no larger than the allowance: a per-item request for most
   * of a bucket, a small bucket at a high time scale) is not applied: the
   * request is paced exactly. Capped to the slack instead, it would hold
   * every such request until the bucket is full again. Same key, same lane.
   */
  const allowanceFor = (ref: BucketRef, entry: QuotaCatalog.QuotaEntry, cost: number): BucketRef =>
    ref.jitterMs > 0 && (entry.maxQuota - cost) * ref.intervalMs <= ref.jitterMs ? { ...ref, jitterMs: 0 } : ref

  const acquirePermit = Effect.fnUntraced(function* (request: AcquireRequest) {
    const { entry, ref } = request.resolved ?? (yield* resolve(request))
    const cost = entry.per === "request" ? 1 : yield* costOf(entry, request.items)
    const maxWaitMs = request.maxWait === undefined ? defaultMaxWaitMs : toMillis(request.maxWait)
    const startedAt = yield* Clock.currentTimeMillis
    const p: Pending = {
      request,
      entry,
      ref: allowanceFor(ref, entry, cost),
      cost,
      maxWaitMs,
      startedAt,
      deadline: startedAt + maxWaitMs
    }
    return yield* Effect.acquireUseRelease(
      Effect.sync(() => lanes.join(ref.key, cost)),
      ({ waiter, ahead }) =>
        ahead.requests > 0 ? Effect.andThen(waitForTurn(p, waiter), takeInTurn(p)) : takeInTurn(p),
      ({ waiter }, exit) =>
        Effect.sync(() => {
          const error = Exit.findErrorOption(exit)
          if (Option.isSome(error) && error.value._tag === "ThrottleStoreUnavailable") {
            lanes.failQueue(ref.key, waiter, error.value)
          } else {
            lanes.leave(ref.key, waiter)
          }
        })
    )
  })

  // A span per permit, without the stack capture `Effect.fn` makes on every call (a tenth of the
  // throttle's CPU when the permit is granted at once).
  const acquire = (request: AcquireRequest): Effect.Effect<Permit, AcquireError> =>
    Effect.withSpan(acquirePermit(request), "Throttle.acquire", { captureStackTrace: false })

  const observeQuota = Effect.fn("Throttle.observeQuota")(function* (
    target: Target,
    observation: QuotaHeaders.QuotaHeaders
  ) {
    const { ref } = yield* resolve(target)
    yield* store.observe(ref, observation satisfies HourlyQuota.Observation)
  })

  const observeHeaders = Effect.fn("Throttle.observeHeaders")(function* (
    target: Target,
    headers: QuotaHeaders.HeadersInput
  ) {
    const observation = QuotaHeaders.parse(headers)
    if (observation === undefined) return undefined
    yield* observeQuota(target, observation)
    return observation
  })

  const reportThrottled = Effect.fn("Throttle.reportThrottled")(function* (target: Target) {
    const { ref } = yield* resolve(target)
    yield* store.drain(ref)
  })

  const reportQuotaExceeded = Effect.fn("Throttle.reportQuotaExceeded")(function* (
    target: Target,
    resetsAt?: Date | string | number | undefined
  ) {
    const { ref } = yield* resolve(target)
    yield* store.exhaust(ref, toEpochMillis(resetsAt))
  })

  const inspect = Effect.fn("Throttle.inspect")(function* (target: Target) {
    const { ref } = yield* resolve(target)
    return yield* store.inspect(ref)
  })

  return Throttle.of({ acquire, observeQuota, observeHeaders, reportThrottled, reportQuotaExceeded, inspect, resolve })
})

/**
 * Runs `effect` once the throttle grants `request`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Throttle } from "@mws-kit/throttle"
 *
 * declare const getMatchingProduct: (asins: ReadonlyArray<string>) => Effect.Effect<string>
 *
 * const asins = ["B00EXAMPLE1", "B00EXAMPLE2"]
 * const paced = getMatchingProduct(asins).pipe(
 *   Throttle.withPermit({ sellerId: "A1SELLER", section: "Products", operation: "GetMatchingProduct", items: asins.length })
 * )
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const withPermit =
  (request: AcquireRequest) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | AcquireError, R | Throttle> =>
    Throttle.use((throttle) => Effect.andThen(throttle.acquire(request), effect))
