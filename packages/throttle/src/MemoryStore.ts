/**
 * The in-process store: buckets in a map, time from Effect's `Clock`. Exact
 * under the test clock, and the right store for one process per seller
 * account. Processes that share a seller account need {@link RedisStore}.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Layer } from "effect"
import * as State from "./internal/quotaState.ts"
import { initial, type QuotaState } from "./internal/quotaState.ts"
import { type BucketRef, ThrottleStore } from "./ThrottleStore.ts"

const isIdle = (state: QuotaState, now: number): boolean =>
  state.bucket.fullAt <= now &&
  state.hourly.used === 0 &&
  state.hourly.resetsAt === 0 &&
  state.hourly.blockedUntil === 0 &&
  state.hourly.learnedMax === undefined

/**
 * Makes an in-memory store. Each call has its own buckets.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make: Effect.Effect<ThrottleStore["Service"]> = Effect.sync(() => {
  const states = new Map<string, QuotaState>()
  const withState = <A>(ref: BucketRef, f: (state: QuotaState, now: number) => readonly [A, QuotaState | undefined]) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const [result, next] = f(states.get(ref.key) ?? initial(now), now)
      if (next === undefined) return result
      if (isIdle(next, now))
        states.delete(ref.key) // a full bucket with nothing to remember is the default
      else states.set(ref.key, next)
      return result
    })

  return ThrottleStore.of({
    name: "memory",
    take: (ref, cost) =>
      withState(ref, (state, now) => {
        const { result, state: next } = State.take(ref, state, cost, now)
        return [result, next]
      }),
    estimate: (ref, cost, requests) =>
      withState(ref, (state, now) => [State.estimate(ref, state, cost, requests, now), undefined]),
    drain: (ref) => withState(ref, (state, now) => [undefined, State.drain(ref, state, now)]),
    observe: (ref, observation) =>
      withState(ref, (state, now) => [undefined, State.observe(ref, state, observation, now)]),
    exhaust: (ref, resetsAt) => withState(ref, (state, now) => [undefined, State.exhaust(ref, state, resetsAt, now)]),
    inspect: (ref) => withState(ref, (state, now) => [State.snapshot(ref, state, now), undefined])
  })
})

/**
 * The in-memory store as a layer (one set of buckets per layer build).
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<ThrottleStore> = Layer.effect(ThrottleStore, make)
