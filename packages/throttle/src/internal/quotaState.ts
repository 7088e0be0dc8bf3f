import * as Bucket from "../Bucket.ts"
import * as HourlyQuota from "../HourlyQuota.ts"
import type { BucketRef, Snapshot, TakeResult } from "../ThrottleStore.ts"

/**
 * The whole state of one bucket key: the restore bucket and the hourly
 * quota. The memory store keeps these in a map; the Redis script keeps the
 * same fields in a hash and runs the same steps (see `redisScript.ts`).
 *
 * @internal
 */
export interface QuotaState {
  readonly bucket: Bucket.BucketState
  readonly hourly: HourlyQuota.HourlyState
}

/** A full bucket, no hourly window open. @internal */
export const initial = (now: number): QuotaState => ({ bucket: Bucket.full(now), hourly: HourlyQuota.empty })

const spec = (ref: BucketRef): Bucket.BucketSpec => ({ capacity: ref.capacity, intervalMs: ref.intervalMs })

/** The wait before `cost` units and `requests` requests fit, and which limit sets it. @internal */
export const waitFor = (
  ref: BucketRef,
  state: QuotaState,
  cost: number,
  requests: number,
  now: number
): { readonly waitMs: number; readonly limitedBy: "restore" | "hourly" } => {
  const restore = Bucket.waitFor(spec(ref), state.bucket, cost, now, ref.jitterMs)
  const hourly = HourlyQuota.waitFor(ref.hourlyMax, ref.windowMs, state.hourly, requests, now)
  return hourly > restore ? { waitMs: hourly, limitedBy: "hourly" } : { waitMs: restore, limitedBy: "restore" }
}

/** Takes `cost` units and one request if both fit now. @internal */
export const take = (
  ref: BucketRef,
  state: QuotaState,
  cost: number,
  now: number
): { readonly result: TakeResult; readonly state: QuotaState } => {
  const { waitMs, limitedBy } = waitFor(ref, state, cost, 1, now)
  if (waitMs > 0) return { result: { _tag: "Wait", at: now, waitMs, limitedBy }, state }
  const next: QuotaState = {
    bucket: Bucket.take(spec(ref), state.bucket, cost, now),
    hourly: HourlyQuota.record(ref.hourlyMax, ref.windowMs, state.hourly, now)
  }
  return { result: { _tag: "Granted", at: now, tokens: Bucket.tokens(spec(ref), next.bucket, now) }, state: next }
}

/** @internal */
export const estimate = (
  ref: BucketRef,
  state: QuotaState,
  cost: number,
  requests: number,
  now: number
): TakeResult => {
  const { waitMs, limitedBy } = waitFor(ref, state, cost, requests, now)
  return waitMs > 0
    ? { _tag: "Wait", at: now, waitMs, limitedBy }
    : { _tag: "Granted", at: now, tokens: Bucket.tokens(spec(ref), state.bucket, now) }
}

/** @internal */
export const drain = (ref: BucketRef, state: QuotaState, now: number): QuotaState => ({
  ...state,
  bucket: Bucket.drain(spec(ref), state.bucket, now)
})

/** @internal */
export const observe = (
  ref: BucketRef,
  state: QuotaState,
  observation: HourlyQuota.Observation,
  now: number
): QuotaState => ({
  ...state,
  hourly: HourlyQuota.observe(ref.hourlyMax, ref.windowMs, state.hourly, observation, now)
})

/** @internal */
export const exhaust = (ref: BucketRef, state: QuotaState, resetsAt: number | undefined, now: number): QuotaState => ({
  ...state,
  hourly: HourlyQuota.exhaust(ref.windowMs, state.hourly, resetsAt, now)
})

/** @internal */
export const snapshot = (ref: BucketRef, state: QuotaState, now: number): Snapshot => {
  const hourly = HourlyQuota.refresh(state.hourly, now)
  const max = HourlyQuota.maxOf(ref.hourlyMax, hourly)
  return {
    at: now,
    tokens: Bucket.tokens(spec(ref), state.bucket, now),
    capacity: ref.capacity,
    hourly:
      max === undefined && hourly.blockedUntil === 0
        ? undefined
        : {
            used: hourly.used,
            max,
            resetsAt: hourly.resetsAt > 0 ? hourly.resetsAt : undefined,
            blockedUntil: hourly.blockedUntil > 0 ? hourly.blockedUntil : undefined
          }
  }
}
