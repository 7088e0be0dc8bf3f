/**
 * The hourly request quota of an operation (Products, Reports, Feeds and a
 * few others), as pure functions of time.
 *
 * MWS counts requests in one-hour windows whose start "varies between
 * different callers" (DOCS dev_guide/DG_Throttling.md), and says where a
 * window ends in `x-mws-quota-resetsOn`. Without that header a window opens
 * with the first request counted and lasts an hour; with it, the server's
 * window and count win: a response from a new server window replaces the
 * local count, and one from the current window raises it (responses can
 * arrive out of order, so a lower figure never lowers the count). A
 * QuotaExceeded blocks the operation until the reset it names.
 *
 * @since 0.1.0
 */

/**
 * The state of one hourly quota.
 *
 * @category models
 * @since 0.1.0
 */
export interface HourlyState {
  /** Requests counted in the current window. */
  readonly used: number
  /** When the current window ends; 0 when no window is open. */
  readonly resetsAt: number
  /** The quota `x-mws-quota-max` announced, which wins over the catalog's. */
  readonly learnedMax: number | undefined
  /** Nothing passes before this instant (a reported QuotaExceeded); 0 when not blocked. */
  readonly blockedUntil: number
}

/**
 * What a response's quota headers said, as numbers (epoch milliseconds for
 * the reset).
 *
 * @category models
 * @since 0.1.0
 */
export interface Observation {
  readonly max?: number | undefined
  readonly remaining?: number | undefined
  readonly resetsAt?: number | undefined
}

/**
 * No request counted, no window open.
 *
 * @category constructors
 * @since 0.1.0
 */
export const empty: HourlyState = { used: 0, resetsAt: 0, learnedMax: undefined, blockedUntil: 0 }

/**
 * The quota in force: the one the server announced, else the catalog's
 * (`undefined` when neither is known: nothing to count).
 *
 * @category getters
 * @since 0.1.0
 */
export const maxOf = (catalogMax: number | undefined, state: HourlyState): number | undefined =>
  state.learnedMax ?? catalogMax

/**
 * The state at `now`: a window that has ended is closed (count back to 0),
 * a block that has passed is lifted.
 *
 * @category combinators
 * @since 0.1.0
 */
export const refresh = (state: HourlyState, now: number): HourlyState => {
  const expired = state.resetsAt > 0 && now >= state.resetsAt
  const unblocked = state.blockedUntil > 0 && now >= state.blockedUntil
  if (!expired && !unblocked) return state
  return {
    ...state,
    ...(expired ? { used: 0, resetsAt: 0 } : {}),
    ...(unblocked ? { blockedUntil: 0 } : {})
  }
}

/**
 * Milliseconds from `now` until `requests` more requests fit in the hourly
 * quota (0 when they fit now). Past the current window, each further
 * `max` requests need one more window.
 *
 * @category getters
 * @since 0.1.0
 */
export const waitFor = (
  catalogMax: number | undefined,
  windowMs: number,
  state: HourlyState,
  requests: number,
  now: number
): number => {
  const current = refresh(state, now)
  const blocked = current.blockedUntil > now ? current.blockedUntil - now : 0
  const max = maxOf(catalogMax, current)
  if (max === undefined || current.used + requests <= max) return blocked
  const firstReset = current.resetsAt > 0 ? current.resetsAt - now : windowMs
  const windowsAhead = max > 0 ? Math.ceil((current.used + requests) / max) - 1 : 1
  return Math.max(blocked, firstReset + (windowsAhead - 1) * windowMs)
}

/**
 * Counts one request at `now`, opening a window if none is open. Nothing is
 * counted when no quota is known.
 *
 * @category combinators
 * @since 0.1.0
 */
export const record = (
  catalogMax: number | undefined,
  windowMs: number,
  state: HourlyState,
  now: number
): HourlyState => {
  const current = refresh(state, now)
  if (maxOf(catalogMax, current) === undefined) return current
  return {
    ...current,
    used: current.used + 1,
    resetsAt: current.resetsAt > 0 ? current.resetsAt : now + windowMs
  }
}

/**
 * Applies what a response's quota headers said.
 *
 * @category combinators
 * @since 0.1.0
 */
export const observe = (
  catalogMax: number | undefined,
  windowMs: number,
  state: HourlyState,
  observation: Observation,
  now: number
): HourlyState => {
  const current = refresh(state, now)
  const learnedMax = observation.max ?? current.learnedMax
  const max = learnedMax ?? catalogMax
  const resetsAt = observation.resetsAt
  if (observation.remaining === undefined || max === undefined) {
    return {
      ...current,
      learnedMax,
      resetsAt: resetsAt !== undefined && resetsAt > now ? resetsAt : current.resetsAt
    }
  }
  const serverUsed = Math.max(0, max - observation.remaining)
  if (resetsAt !== undefined && resetsAt !== current.resetsAt) {
    // The server names its own window: its count is the truth for that window.
    return resetsAt > now
      ? { ...current, learnedMax, used: serverUsed, resetsAt }
      : { ...current, learnedMax, used: 0, resetsAt: 0 }
  }
  return {
    ...current,
    learnedMax,
    used: Math.max(current.used, serverUsed),
    resetsAt: current.resetsAt > 0 ? current.resetsAt : serverUsed > 0 ? now + windowMs : 0
  }
}

/**
 * Blocks the quota until `resetsAt` (the reset a QuotaExceeded named), else
 * until the current window ends, else for one window; the window then ends
 * at that instant.
 *
 * @category combinators
 * @since 0.1.0
 */
export const exhaust = (
  windowMs: number,
  state: HourlyState,
  resetsAt: number | undefined,
  now: number
): HourlyState => {
  const current = refresh(state, now)
  const until = resetsAt ?? (current.resetsAt > now ? current.resetsAt : now + windowMs)
  if (until <= now) return current
  return { ...current, blockedUntil: Math.max(current.blockedUntil, until), resetsAt: until }
}
