import { Throttle, type ThrottleStore } from "@mws-kit/throttle"
import { Duration, Effect, Layer } from "effect"

/**
 * A throttle whose jitter allowance never stalls a request.
 *
 * The throttle's allowance paces a request as if its bucket held
 * `jitterAllowance / interval` fewer units. When the bucket cannot hold that
 * many more than the request costs (`(maxQuota - cost) * interval <=
 * jitterAllowance`: a per-item request for a full bucket, a small bucket at a
 * high time scale), a full, idle bucket never grants it: every check finds it
 * "allowed a little later" (observed with @mws-kit/throttle 0.0.0, memory
 * store). Such requests are paced exactly instead (no allowance), through a
 * second throttle over the same store, so both see the same buckets.
 *
 * @internal
 */
export const layer = (
  config: Throttle.ThrottleConfig
): Layer.Layer<Throttle.Throttle, never, ThrottleStore.ThrottleStore> =>
  Layer.effect(
    Throttle.Throttle,
    Effect.gen(function* () {
      const paced = yield* Throttle.make(config)
      const jitterMs = Duration.toMillis(Duration.fromInputUnsafe(config.jitterAllowance ?? 0))
      if (jitterMs <= 0) return paced
      const exact = yield* Throttle.make({ ...config, jitterAllowance: Duration.zero })
      return Throttle.Throttle.of({
        ...paced,
        acquire: (request) =>
          Effect.flatMap(paced.resolve(request), ({ entry, ref }) => {
            const cost = entry.per === "item" ? (request.items ?? 1) : 1
            return (entry.maxQuota - cost) * ref.intervalMs > jitterMs ? paced.acquire(request) : exact.acquire(request)
          })
      })
    })
  )
