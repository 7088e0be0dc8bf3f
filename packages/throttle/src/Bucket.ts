/**
 * The leaky bucket of one MWS quota, as pure functions of time.
 *
 * A bucket holds up to `capacity` units (the maximum request quota) and
 * restores one unit every `intervalMs`, up to the capacity: after `t`
 * milliseconds, `tokens = min(capacity, tokens + t / intervalMs)`. A request
 * that costs `n` units passes when `tokens >= n`, and takes them.
 *
 * The state is kept as one instant rather than a token count (the "virtual
 * scheduling" form of the same bucket): `fullAt`, the instant the bucket is
 * full again. Then `tokens(now) = capacity - max(0, fullAt - now) / intervalMs`,
 * taking `n` units moves `fullAt` to `max(fullAt, now) + n * intervalMs`, and
 * the earliest instant `n` units are there is `fullAt - (capacity - n) * intervalMs`.
 * It is the same bucket, but sums of whole intervals stay exact in floating
 * point (a drained 1-per-minute bucket allows its next request after exactly
 * 60000 ms, not 59999.99999), and a late wake-up never shifts the schedule.
 * The Redis store runs the same arithmetic in Lua.
 *
 * @since 0.1.0
 */

/**
 * Float tolerance, in milliseconds, when comparing an instant with the time
 * a request becomes allowed: a millionth of a millisecond, far below any
 * clock's resolution, so rounding never makes a request wait an extra tick.
 *
 * @category constants
 * @since 0.1.0
 */
export const TIME_EPSILON_MS = 1e-6

/**
 * A bucket's shape: how many units it holds and how long one unit takes to
 * restore.
 *
 * @category models
 * @since 0.1.0
 */
export interface BucketSpec {
  /** The maximum request quota (the burst). */
  readonly capacity: number
  /** Milliseconds to restore one unit (a request, or an item). */
  readonly intervalMs: number
}

/**
 * A bucket's state: the instant it is full again (at or before now means
 * full).
 *
 * @category models
 * @since 0.1.0
 */
export interface BucketState {
  readonly fullAt: number
}

/**
 * A full bucket.
 *
 * @category constructors
 * @since 0.1.0
 */
export const full = (now: number): BucketState => ({ fullAt: now })

/**
 * The units in the bucket at `now` (fractional while one restores).
 *
 * @category getters
 * @since 0.1.0
 */
export const tokens = (spec: BucketSpec, state: BucketState, now: number): number =>
  Math.max(0, spec.capacity - Math.max(0, state.fullAt - now) / spec.intervalMs)

/**
 * The earliest instant the bucket holds `cost` units (it may be in the past),
 * with a jitter allowance of `jitterMs` (default 0).
 *
 * Requests reach the server with different delays. If one arrives up to
 * `jitterMs` later than it was sent, relative to the others, then any span
 * of arrivals comes from a span of sends up to `jitterMs` longer. Pacing the
 * sends with a bucket of `capacity - jitterMs / intervalMs` units (same
 * restore rate) therefore keeps every span of arrivals within the server's
 * bucket of `capacity`: that is what the allowance does. It costs `jitterMs`
 * once, on the last units of a burst; a bucket in steady use pays nothing
 * more (its rate is unchanged). The allowance is capped so the smaller
 * bucket still holds `cost` units: a request as large as the bucket waits
 * for a full bucket, never longer.
 *
 * @category getters
 * @since 0.1.0
 */
export const allowedAt = (spec: BucketSpec, state: BucketState, cost: number, jitterMs = 0): number => {
  // The allowance can shrink the bucket down to `cost` units, no further: past that a full, idle bucket
  // would never grant the request.
  const slack = Math.max(0, spec.capacity - cost) * spec.intervalMs
  return state.fullAt - slack + Math.min(jitterMs, slack)
}

/**
 * Milliseconds from `now` until the bucket holds `cost` units (0 when it
 * already does), with a jitter allowance of `jitterMs` ({@link allowedAt}).
 *
 * @category getters
 * @since 0.1.0
 */
export const waitFor = (spec: BucketSpec, state: BucketState, cost: number, now: number, jitterMs = 0): number => {
  const wait = allowedAt(spec, state, cost, jitterMs) - now
  return wait <= TIME_EPSILON_MS ? 0 : wait
}

/**
 * Takes `cost` units at `now`. Call it only when {@link waitFor} is 0.
 *
 * @category combinators
 * @since 0.1.0
 */
export const take = (spec: BucketSpec, state: BucketState, cost: number, now: number): BucketState => ({
  fullAt: Math.max(state.fullAt, now) + cost * spec.intervalMs
})

/**
 * Empties the bucket at `now`: another process spent the quota (the server
 * answered RequestThrottled), so the next unit is one full restore interval
 * away.
 *
 * @category combinators
 * @since 0.1.0
 */
export const drain = (spec: BucketSpec, state: BucketState, now: number): BucketState => ({
  fullAt: Math.max(state.fullAt, now + spec.capacity * spec.intervalMs)
})
