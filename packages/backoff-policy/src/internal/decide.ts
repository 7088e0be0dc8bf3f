import type { QuotaInfo } from "@mws-kit/error-codes"
import type { Classification } from "../Classifier.ts"
import type * as RetryBudget from "../RetryBudget.ts"
import type { RetryReason, StopReason } from "../RetryDecision.ts"
import type { AttemptRecord } from "../RetryGaveUp.ts"
import * as Timeline from "../Timeline.ts"

/** @internal The policy's options, resolved to milliseconds and counts. */
export interface ResolvedOptions {
  readonly timeline: Timeline.Timeline
  readonly restoreMs: (operation: string | undefined) => number
  readonly throttledRetries: number
  readonly quotaWaitLimitMs: number
  readonly quotaWaits: number
  readonly quotaResetFallbackMs: number
  readonly maxHintWaitMs: number
  readonly integrityRetries: number
  readonly notReadyDelaysMs: ReadonlyArray<number>
  readonly idempotent: boolean
  readonly retryAmbiguous: boolean
  readonly maxElapsedMs: number
}

/** @internal What one call has used so far. */
export interface CallState {
  readonly startedAt: number
  attempt: number
  delayBeforeMs: number
  transient: number
  throttled: number
  quota: number
  integrity: number
  notReady: number
  previousJitterMs: number | undefined
  lastCost: number
  readonly attempts: Array<AttemptRecord>
}

/** @internal */
export const makeState = (startedAt: number): CallState => ({
  startedAt,
  attempt: 1,
  delayBeforeMs: 0,
  transient: 0,
  throttled: 0,
  quota: 0,
  integrity: 0,
  notReady: 0,
  previousJitterMs: undefined,
  lastCost: 0,
  attempts: []
})

/** @internal What the policy decided for one failed attempt: retry after a wait, or stop. */
export type Verdict =
  | {
      readonly action: "retry"
      readonly reason: RetryReason
      readonly delayMs: number
      readonly hinted: boolean
    }
  | {
      readonly action: "stop"
      readonly reason: StopReason
      readonly resetsAt?: string | undefined
    }

/** @internal An ISO 8601 instant, or the number itself when it is no valid date (a test clock set to infinity). */
export const isoOf = (ms: number): string => {
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString()
}

const stop = (reason: StopReason, resetsAt?: string): Verdict => ({ action: "stop", reason, resetsAt })

const usedUp = (limit: number): Verdict => stop(limit === 0 ? "not-retryable" : "exhausted")

/** The wait a hint asks for, from now, or undefined when there is none. */
const hintWaitMs = (hint: QuotaInfo.RetryHint | undefined, now: number): number | undefined => {
  if (hint === undefined) return undefined
  if (hint.resetsAt !== undefined) {
    const at = Date.parse(hint.resetsAt)
    if (Number.isFinite(at)) return Math.max(0, at - now)
  }
  const after = hint.retryAfterMs
  return typeof after === "number" && Number.isFinite(after) && after >= 0 ? after : undefined
}

/** The reset instant of a QuotaExceeded, from its hint, else the fallback. */
const quotaReset = (
  policy: ResolvedOptions,
  hint: QuotaInfo.RetryHint | undefined,
  now: number
): { readonly waitMs: number; readonly resetsAt: string; readonly hinted: boolean } => {
  const fromHint = hintWaitMs(hint, now)
  const waitMs = fromHint ?? policy.quotaResetFallbackMs
  return { waitMs, resetsAt: isoOf(now + waitMs), hinted: fromHint !== undefined }
}

/**
 * @internal
 * Decides what to do after a failed attempt, and commits it: on a retry the
 * class counter moves and the budget is charged. Pure apart from `state`
 * and `budget`.
 */
export const decide = (
  policy: ResolvedOptions,
  state: CallState,
  view: Classification,
  now: number,
  random: () => number,
  budget: RetryBudget.Budget
): Verdict => {
  if (view.ambiguous === true && !policy.idempotent && !policy.retryAmbiguous) return stop("ambiguous")

  let delayMs: number
  let reason: RetryReason
  let hinted = false
  const capHint = (computed: number): number => {
    const hint = hintWaitMs(view.retryHint, now)
    if (hint === undefined) return computed
    const capped = Math.min(hint, policy.maxHintWaitMs)
    if (capped <= computed) return computed
    hinted = true
    return capped
  }

  switch (view.errorClass) {
    case "transient": {
      if (state.transient >= policy.timeline.delaysMs.length) return usedUp(policy.timeline.delaysMs.length)
      const jittered = Timeline.delayAt(
        policy.timeline,
        state.transient,
        state.previousJitterMs,
        policy.timeline.jitter === "none" ? 0 : random()
      )
      delayMs = capHint(jittered)
      reason = delayMs === 0 ? "immediate" : "timeline"
      break
    }
    case "throttled": {
      if (state.throttled >= policy.throttledRetries) return usedUp(policy.throttledRetries)
      delayMs = capHint(policy.restoreMs(view.operation))
      reason = "throttled"
      break
    }
    case "quota-exceeded": {
      const reset = quotaReset(policy, view.retryHint, now)
      if (state.quota >= policy.quotaWaits) {
        return stop(policy.quotaWaits === 0 ? "not-retryable" : "exhausted", reset.resetsAt)
      }
      if (reset.waitMs > policy.quotaWaitLimitMs) return stop("quota-reset-too-far", reset.resetsAt)
      delayMs = reset.waitMs
      hinted = reset.hinted
      reason = "quota-reset"
      break
    }
    case "integrity": {
      if (state.integrity >= policy.integrityRetries) return usedUp(policy.integrityRetries)
      delayMs = Timeline.delayAt(
        policy.timeline,
        state.integrity,
        state.previousJitterMs,
        policy.timeline.jitter === "none" ? 0 : random()
      )
      reason = "integrity"
      break
    }
    case "not-ready": {
      const delays = policy.notReadyDelaysMs
      if (state.notReady >= delays.length) return usedUp(delays.length)
      delayMs = delays[state.notReady]!
      reason = "not-ready"
      break
    }
    default:
      return stop("not-retryable")
  }

  if (now - state.startedAt + delayMs > policy.maxElapsedMs) return stop("elapsed-limit")

  const cost = view.transport === true ? budget.timeoutCost : budget.retryCost
  if (!budget.tryAcquire(cost)) return stop("budget-empty")

  switch (view.errorClass) {
    case "transient":
      state.transient++
      state.previousJitterMs = delayMs
      break
    case "throttled":
      state.throttled++
      break
    case "quota-exceeded":
      state.quota++
      break
    case "integrity":
      state.integrity++
      state.previousJitterMs = delayMs
      break
    case "not-ready":
      state.notReady++
      break
  }
  state.lastCost = cost
  return { action: "retry", reason, delayMs, hinted }
}
