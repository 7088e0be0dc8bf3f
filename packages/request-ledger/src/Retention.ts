/**
 * How long entries are kept: 30 days by default, as the MWS "Handling
 * errors" page asks ("record and retain, for 30 days, the RequestId and
 * Timestamp of every request"). A shorter retention breaks that rule and
 * needs `allowShorterRetention: true`; without it the ledger refuses to start
 * with a typed error naming the setting.
 *
 * @since 0.1.0
 */
import { Duration, Option, Result } from "effect"
import { LedgerConfigError } from "./LedgerError.ts"

/**
 * The documented retention, in days: MWS "Handling errors" asks to record and
 * retain the RequestId and Timestamp of every request for 30 days, so that
 * the best example of an error can be handed to support.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_RETENTION_DAYS = 30

/**
 * The documented retention as a duration (30 days).
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_RETENTION: Duration.Duration = Duration.days(DEFAULT_RETENTION_DAYS)

/**
 * How often the background fiber prunes: hourly. Entries stay at most an
 * hour past their retention, a small fraction of 30 days, and a prune then
 * removes about an hour of entries at a time, which keeps each run short.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_PRUNE_INTERVAL: Duration.Duration = Duration.hours(1)

/**
 * Retention settings of a ledger.
 *
 * - `retention`: how long entries are kept (default 30 days);
 * - `allowShorterRetention`: required to go under 30 days;
 * - `pruneInterval`: how often the background fiber prunes (default hourly);
 * - `backgroundPrune`: `false` turns the fiber off (prune on demand only).
 *
 * @category models
 * @since 0.1.0
 */
export interface RetentionOptions {
  readonly retention?: Duration.Input | undefined
  readonly allowShorterRetention?: boolean | undefined
  readonly pruneInterval?: Duration.Input | undefined
  readonly backgroundPrune?: boolean | undefined
}

/**
 * Retention settings, checked and in milliseconds.
 *
 * @category models
 * @since 0.1.0
 */
export interface RetentionPolicy {
  readonly retentionMillis: number
  readonly pruneIntervalMillis: number
  readonly backgroundPrune: boolean
}

const positiveMillis = (setting: string, input: Duration.Input): Result.Result<number, LedgerConfigError> => {
  const duration = Duration.fromInput(input)
  if (Option.isNone(duration)) {
    return Result.fail(new LedgerConfigError({ setting, detail: `not a duration: ${String(input)}` }))
  }
  const millis = Duration.toMillis(duration.value)
  if (!Number.isFinite(millis) || millis <= 0) {
    return Result.fail(new LedgerConfigError({ setting, detail: "must be a positive, finite duration" }))
  }
  return Result.succeed(millis)
}

/**
 * Checks retention settings: positive finite durations, and no retention
 * under 30 days without `allowShorterRetention: true`.
 *
 * @example
 * ```ts
 * import { Retention } from "@mws-kit/request-ledger"
 *
 * Retention.resolve({ retention: "7 days" }) // Failure(LedgerConfigError: setting "retention" ...)
 * Retention.resolve({ retention: "7 days", allowShorterRetention: true }) // Success({ retentionMillis: 604800000, ... })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const resolve = (options: RetentionOptions = {}): Result.Result<RetentionPolicy, LedgerConfigError> => {
  const retention = positiveMillis("retention", options.retention ?? DEFAULT_RETENTION)
  if (Result.isFailure(retention)) return Result.fail(retention.failure)
  if (retention.success < Duration.toMillis(DEFAULT_RETENTION) && options.allowShorterRetention !== true) {
    return Result.fail(
      new LedgerConfigError({
        setting: "retention",
        detail:
          `${Duration.format(Duration.millis(retention.success))} is under the ${DEFAULT_RETENTION_DAYS} days MWS asks ` +
          "for (Handling errors: record and retain RequestId and Timestamp for 30 days); " +
          "set allowShorterRetention: true to accept that"
      })
    )
  }
  const interval = positiveMillis("pruneInterval", options.pruneInterval ?? DEFAULT_PRUNE_INTERVAL)
  if (Result.isFailure(interval)) return Result.fail(interval.failure)
  return Result.succeed({
    retentionMillis: retention.success,
    pruneIntervalMillis: interval.success,
    backgroundPrune: options.backgroundPrune ?? true
  })
}

/**
 * The cutoff of a prune at `nowMillis`: entries recorded strictly before it
 * are removed; an entry exactly as old as the retention is kept.
 *
 * @category constructors
 * @since 0.1.0
 */
export const cutoff = (nowMillis: number, policy: Pick<RetentionPolicy, "retentionMillis">): number =>
  nowMillis - policy.retentionMillis

/**
 * What one prune did.
 *
 * @category models
 * @since 0.1.0
 */
export interface PruneResult {
  /** When it ran (ISO 8601). */
  readonly prunedAt: string
  /** Entries recorded before this instant were removed (ISO 8601). */
  readonly cutoff: string
  /** How many entries it removed. */
  readonly removed: number
}
