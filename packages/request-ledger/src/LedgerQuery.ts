/**
 * What can be asked of a ledger: a filter over entries (request id, call id,
 * time range, operation, code, class, seller, outcome), its normalised form
 * that every store runs, and the statistics over a window.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import type { ErrorClass, LedgerEntry, Outcome } from "./LedgerEntry.ts"
import { LedgerConfigError } from "./LedgerError.ts"

/**
 * How many entries a query returns when it does not say.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_LIMIT = 1_000

/**
 * The most entries one query returns; exports page through larger sets.
 * Bounds the memory and the time one query can take.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_LIMIT = 10_000

/**
 * A point in time: a `Date` or Unix milliseconds.
 *
 * @category models
 * @since 0.1.0
 */
export type TimeInput = Date | number

/**
 * A filter over entries. Every field is optional and they combine with AND.
 * `from` is inclusive, `to` exclusive (both on `recordedAt`). `complete`
 * keeps entries that have both a RequestId and the request's Timestamp.
 * Results come newest first unless `order` is `"oldest"`, at most `limit`
 * of them.
 *
 * @example
 * ```ts
 * const query: LedgerQuery.LedgerQuery = { errorCode: "RequestThrottled", from: Date.now() - 86_400_000, limit: 50 }
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export interface LedgerQuery {
  readonly requestId?: string | undefined
  readonly callId?: string | undefined
  readonly from?: TimeInput | undefined
  readonly to?: TimeInput | undefined
  readonly section?: string | undefined
  readonly operation?: string | undefined
  readonly errorCode?: string | undefined
  readonly errorClass?: ErrorClass | undefined
  readonly sellerId?: string | undefined
  readonly outcome?: Outcome | undefined
  readonly complete?: boolean | undefined
  readonly limit?: number | undefined
  readonly order?: "newest" | "oldest" | undefined
}

/**
 * Where a page of results ended: the last entry's time and id, in the
 * query's order. The next page starts strictly after it.
 *
 * @category models
 * @since 0.1.0
 */
export interface Cursor {
  readonly recordedAtMillis: number
  readonly entryId: string
}

/**
 * A query as stores run it: times in Unix milliseconds, limit and order
 * resolved, an optional cursor for the next page.
 *
 * @category models
 * @since 0.1.0
 */
export interface StoreQuery {
  readonly requestId: string | undefined
  readonly callId: string | undefined
  readonly fromMillis: number | undefined
  readonly toMillis: number | undefined
  readonly section: string | undefined
  readonly operation: string | undefined
  readonly errorCode: string | undefined
  readonly errorClass: ErrorClass | undefined
  readonly sellerId: string | undefined
  readonly outcome: Outcome | undefined
  readonly complete: boolean
  readonly limit: number
  readonly order: "newest" | "oldest"
  readonly after: Cursor | undefined
}

const toMillis = (
  setting: string,
  value: TimeInput | undefined
): Result.Result<number | undefined, LedgerConfigError> => {
  if (value === undefined) return Result.succeed(undefined)
  const millis = value instanceof Date ? value.getTime() : value
  return typeof millis === "number" && Number.isFinite(millis)
    ? Result.succeed(millis)
    : Result.fail(new LedgerConfigError({ setting, detail: "expected a valid Date or Unix milliseconds" }))
}

/**
 * Resolves a query: checks its times and limit (a typed error names a bad
 * one), fills in the defaults.
 *
 * @category constructors
 * @since 0.1.0
 */
export const normalize = (
  query: LedgerQuery,
  after?: Cursor | undefined
): Result.Result<StoreQuery, LedgerConfigError> => {
  const from = toMillis("from", query.from)
  if (Result.isFailure(from)) return Result.fail(from.failure)
  const to = toMillis("to", query.to)
  if (Result.isFailure(to)) return Result.fail(to.failure)
  const limit = query.limit ?? DEFAULT_LIMIT
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return Result.fail(
      new LedgerConfigError({ setting: "limit", detail: `expected an integer from 1 to ${MAX_LIMIT}` })
    )
  }
  return Result.succeed({
    requestId: query.requestId,
    callId: query.callId,
    fromMillis: from.success,
    toMillis: to.success,
    section: query.section,
    operation: query.operation,
    errorCode: query.errorCode,
    errorClass: query.errorClass,
    sellerId: query.sellerId,
    outcome: query.outcome,
    complete: query.complete ?? false,
    limit,
    order: query.order ?? "newest",
    after
  })
}

/**
 * Whether an entry (recorded at `recordedAtMillis`) passes a query's filter
 * and lies after its cursor. The in-memory store runs queries with it; it is
 * also the reference the store contract tests compare every store against.
 *
 * @category predicates
 * @since 0.1.0
 */
export const matches = (query: StoreQuery, entry: LedgerEntry, recordedAtMillis: number): boolean => {
  if (query.requestId !== undefined && entry.requestId !== query.requestId) return false
  if (query.callId !== undefined && entry.callId !== query.callId) return false
  if (query.fromMillis !== undefined && recordedAtMillis < query.fromMillis) return false
  if (query.toMillis !== undefined && recordedAtMillis >= query.toMillis) return false
  if (query.section !== undefined && entry.section !== query.section) return false
  if (query.operation !== undefined && entry.operation !== query.operation) return false
  if (query.errorCode !== undefined && entry.errorCode !== query.errorCode) return false
  if (query.errorClass !== undefined && entry.errorClass !== query.errorClass) return false
  if (query.sellerId !== undefined && entry.sellerId !== query.sellerId) return false
  if (query.outcome !== undefined && entry.outcome !== query.outcome) return false
  if (query.complete && (entry.requestId === null || entry.requestTimestamp === null)) return false
  if (query.after !== undefined) {
    const order = compareKeys(recordedAtMillis, entry.entryId, query.after.recordedAtMillis, query.after.entryId)
    if (query.order === "oldest" ? order <= 0 : order >= 0) return false
  }
  return true
}

/**
 * Orders two entries by time, then by id (the order every store returns,
 * ascending): negative when the first comes first.
 *
 * @category ordering
 * @since 0.1.0
 */
export const compareKeys = (aMillis: number, aId: string, bMillis: number, bId: string): number =>
  aMillis !== bMillis ? aMillis - bMillis : aId < bId ? -1 : aId > bId ? 1 : 0

/**
 * The time window of a statistics query, in Unix milliseconds (`from`
 * inclusive, `to` exclusive; either may be open).
 *
 * @category models
 * @since 0.1.0
 */
export interface TimeWindow {
  readonly fromMillis: number | undefined
  readonly toMillis: number | undefined
}

/**
 * One group of a statistics query, as stores return it: how many entries
 * share this code, class, operation and outcome.
 *
 * @category models
 * @since 0.1.0
 */
export interface StatsGroup {
  readonly errorCode: string | null
  readonly errorClass: string | null
  readonly operation: string
  readonly outcome: string
  readonly count: number
}

/**
 * One count of a statistics table.
 *
 * @category models
 * @since 0.1.0
 */
export interface Count {
  readonly key: string
  readonly count: number
}

/**
 * Counts over a window: in total, by outcome, by error code (entries that
 * carry one), by error class and by operation, each largest first.
 *
 * @category models
 * @since 0.1.0
 */
export interface LedgerStats {
  readonly from: string | null
  readonly to: string | null
  readonly total: number
  readonly byOutcome: ReadonlyArray<Count>
  readonly byCode: ReadonlyArray<Count>
  readonly byClass: ReadonlyArray<Count>
  readonly byOperation: ReadonlyArray<Count>
}

const sorted = (counts: Map<string, number>): ReadonlyArray<Count> =>
  [...counts.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))

const add = (counts: Map<string, number>, key: string | null, count: number): void => {
  if (key !== null) counts.set(key, (counts.get(key) ?? 0) + count)
}

/**
 * Folds a store's groups into {@link LedgerStats}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const foldStats = (window: TimeWindow, groups: ReadonlyArray<StatsGroup>): LedgerStats => {
  const byOutcome = new Map<string, number>()
  const byCode = new Map<string, number>()
  const byClass = new Map<string, number>()
  const byOperation = new Map<string, number>()
  let total = 0
  for (const group of groups) {
    total += group.count
    add(byOutcome, group.outcome, group.count)
    add(byCode, group.errorCode, group.count)
    add(byClass, group.errorClass, group.count)
    add(byOperation, group.operation, group.count)
  }
  return {
    from: window.fromMillis === undefined ? null : new Date(window.fromMillis).toISOString(),
    to: window.toMillis === undefined ? null : new Date(window.toMillis).toISOString(),
    total,
    byOutcome: sorted(byOutcome),
    byCode: sorted(byCode),
    byClass: sorted(byClass),
    byOperation: sorted(byOperation)
  }
}
