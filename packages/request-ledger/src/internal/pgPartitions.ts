/**
 * The PostgreSQL ledger's day partitions: one per UTC day of `recorded_at`,
 * named `<table>_pYYYYMMDD`, created ahead and on demand under the ledger's
 * advisory lock, and dropped whole by retention.
 *
 * @internal
 */
import { type Clock, Effect } from "effect"
import type { SqlClient, SqlError } from "effect/sql"
import type { LedgerStoreError } from "../LedgerError.ts"
import { storeError } from "./pgErrors.ts"
import { type LedgerTable, relationExists } from "./pgSchema.ts"

/** A partition's span: one UTC day. */
const DAY_MILLIS = 86_400_000

/** The UTC day (days since the Unix epoch) a time in milliseconds falls on. @internal */
export const dayOf = (millis: number): number => Math.floor(millis / DAY_MILLIS)

const dayLabel = (day: number): string => new Date(day * DAY_MILLIS).toISOString().slice(0, 10).replace(/-/g, "")

/** What the store does with its partitions. @internal */
export interface Partitions {
  /** Creates the partitions of these days not known to exist, under the lock. */
  readonly ensure: (days: ReadonlyArray<number>) => Effect.Effect<void, LedgerStoreError>
  /** Creates today's partition and the days ahead. */
  readonly ensureAhead: Effect.Effect<void, LedgerStoreError>
  /** Forgets which partitions exist: after a failed write, since another process may have dropped one. */
  readonly forget: () => void
  /**
   * Drops every day partition that ends at or before the cutoff, counting its
   * rows first, under the lock and the partition's own; returns the rows
   * dropped.
   */
  readonly dropBefore: (cutoffMillis: number) => Effect.Effect<number, SqlError.SqlError>
}

/**
 * The partitions of one ledger table, `ahead` days ahead of the `clock`'s
 * today; `lock` is the ledger's advisory lock.
 *
 * @internal
 */
export const makePartitions = (
  sql: SqlClient.SqlClient,
  t: LedgerTable,
  lock: Effect.Effect<unknown, SqlError.SqlError>,
  clock: Clock.Clock,
  ahead: number
): Partitions => {
  const partitionName = (day: number) => `${t.table}_p${dayLabel(day)}`
  const partitionPattern = new RegExp(`^${t.table}_p(\\d{4})(\\d{2})(\\d{2})$`)
  // Days known to have a partition.
  const known = new Set<number>()

  const ensure = (days: ReadonlyArray<number>) => {
    const missing = [...new Set(days)].filter((day) => !known.has(day))
    if (missing.length === 0) return Effect.void
    return sql
      .withTransaction(
        Effect.gen(function* () {
          yield* lock
          for (const day of missing) {
            const from = new Date(day * DAY_MILLIS).toISOString()
            const to = new Date((day + 1) * DAY_MILLIS).toISOString()
            yield* sql.unsafe(
              `CREATE TABLE IF NOT EXISTS "${t.schema}"."${partitionName(day)}" PARTITION OF ${t.qualified} FOR VALUES FROM ('${from}') TO ('${to}')`
            )
          }
        })
      )
      .pipe(
        Effect.tap(() =>
          Effect.sync(() => {
            for (const day of missing) known.add(day)
          })
        ),
        Effect.mapError(storeError("create partitions"))
      )
  }

  const ensureAhead = Effect.suspend(() => {
    const today = dayOf(clock.currentTimeMillisUnsafe())
    return ensure(Array.from({ length: ahead + 1 }, (_, offset) => today + offset))
  })

  const dropBefore = (cutoffMillis: number) =>
    Effect.gen(function* () {
      const partitions = yield* sql<{ readonly name: string }>`
        SELECT c.relname AS name
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = ${t.schema} AND p.relname = ${t.table}`
      let removed = 0
      for (const { name } of partitions) {
        const match = partitionPattern.exec(name)
        if (match === null) continue
        const start = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
        if (start + DAY_MILLIS > cutoffMillis) continue
        removed += yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* lock
            if (!(yield* relationExists(sql, t.schema, name))) return 0
            yield* sql.unsafe(`LOCK TABLE "${t.schema}"."${name}" IN ACCESS EXCLUSIVE MODE`)
            const rows = yield* sql.unsafe<{ readonly n: number }>(
              `SELECT count(*)::int AS n FROM "${t.schema}"."${name}"`
            )
            yield* sql.unsafe(`DROP TABLE "${t.schema}"."${name}"`)
            return Number(rows[0]?.n ?? 0)
          })
        )
        known.delete(dayOf(start))
      }
      return removed
    })

  return { ensure, ensureAhead, forget: () => known.clear(), dropBefore }
}
