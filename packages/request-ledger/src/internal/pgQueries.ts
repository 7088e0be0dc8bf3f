/**
 * The PostgreSQL store's statements over the ledger table: entries in (an
 * idempotent multi-row upsert) and out (find, stats, stored rows as
 * entry-shaped objects).
 *
 * @internal
 */
import { Effect } from "effect"
import type { SqlClient, SqlError, Statement } from "effect/sql"
import type * as LedgerEntry from "../LedgerEntry.ts"
import type { StatsGroup, StoreQuery, TimeWindow } from "../LedgerQuery.ts"
import type { LedgerTable } from "./pgSchema.ts"
import { COMPLETION_COLUMNS, columnsToEntry } from "./rows.ts"

const OUTCOMES = new Set(["success", "retried", "gave-up", "failed", "in-flight", "interrupted"])

const SELECT_COLUMNS =
  "entry_id::text AS entry_id, recorded_at, request_id, request_timestamp, server_timestamp, section, operation, " +
  "seller_id, marketplace, http_status, error_code, error_type, error_class, message, attempt, call_id, duration_ms, " +
  "delay_before_ms, quota_max, quota_remaining, quota_resets_on, outcome, params"

const toRow = (e: LedgerEntry.LedgerEntry) => ({
  entry_id: e.entryId,
  recorded_at: new Date(e.recordedAt),
  request_id: e.requestId,
  request_timestamp: e.requestTimestamp,
  server_timestamp: e.serverTimestamp,
  section: e.section,
  operation: e.operation,
  seller_id: e.sellerId,
  marketplace: e.marketplace,
  http_status: e.httpStatus,
  error_code: e.errorCode,
  error_type: e.errorType,
  error_class: e.errorClass,
  message: e.message,
  attempt: e.attempt,
  call_id: e.callId,
  duration_ms: e.durationMs,
  delay_before_ms: e.delayBeforeMs,
  quota_max: e.quotaMax,
  quota_remaining: e.quotaRemaining,
  quota_resets_on: e.quotaResetsOn,
  outcome: e.outcome,
  params: JSON.stringify(e.params)
})

/**
 * One row per entry id: PostgreSQL refuses an `ON CONFLICT DO UPDATE` that
 * touches the same row twice in one statement, and a batch may hold both the
 * `in-flight` and the completed row of one attempt. The completed one wins.
 *
 * @internal
 */
export const oncePerEntry = (batch: ReadonlyArray<LedgerEntry.LedgerEntry>): ReadonlyArray<LedgerEntry.LedgerEntry> => {
  const byId = new Map<string, LedgerEntry.LedgerEntry>()
  for (const entry of batch) {
    const seen = byId.get(entry.entryId)
    if (seen === undefined || (seen.outcome === "in-flight" && entry.outcome !== "in-flight")) {
      byId.set(entry.entryId, entry)
    }
  }
  return byId.size === batch.length ? batch : [...byId.values()]
}

/**
 * The INSERT of one chunk of entries (at most one row per entry id).
 * Idempotent by `(entry_id, recorded_at)`; a final row replaces the
 * in-flight write-ahead row of the same attempt, never the reverse.
 *
 * @internal
 */
export const insertChunk = (sql: SqlClient.SqlClient, t: LedgerTable) => {
  const upsert = sql.literal(
    `ON CONFLICT (entry_id, recorded_at) DO UPDATE SET ${COMPLETION_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(", ")} ` +
      `WHERE ${t.qualified}.outcome = 'in-flight' AND EXCLUDED.outcome <> 'in-flight'`
  )
  return (chunk: ReadonlyArray<LedgerEntry.LedgerEntry>) =>
    sql`INSERT INTO ${sql(t.schema)}.${sql(t.table)} ${sql.insert(chunk.map(toRow) as [ReturnType<typeof toRow>, ...Array<ReturnType<typeof toRow>>])} ${upsert}`
}

/** The SELECT of a query's entries, in its order, at most its limit. @internal */
export const findStatement = (sql: SqlClient.SqlClient, t: LedgerTable, q: StoreQuery) => {
  const where: Array<Statement.Fragment> = []
  if (q.requestId !== undefined) where.push(sql`request_id = ${q.requestId}`)
  if (q.callId !== undefined) where.push(sql`call_id = ${q.callId}`)
  if (q.fromMillis !== undefined) where.push(sql`recorded_at >= ${new Date(q.fromMillis)}`)
  if (q.toMillis !== undefined) where.push(sql`recorded_at < ${new Date(q.toMillis)}`)
  if (q.section !== undefined) where.push(sql`section = ${q.section}`)
  if (q.operation !== undefined) where.push(sql`operation = ${q.operation}`)
  if (q.errorCode !== undefined) where.push(sql`error_code = ${q.errorCode}`)
  if (q.errorClass !== undefined) where.push(sql`error_class = ${q.errorClass}`)
  if (q.sellerId !== undefined) where.push(sql`seller_id = ${q.sellerId}`)
  if (q.outcome !== undefined) {
    // A literal lets PostgreSQL use the partial index on gave-up entries.
    where.push(OUTCOMES.has(q.outcome) ? sql.literal(`outcome = '${q.outcome}'`) : sql`outcome = ${q.outcome}`)
  }
  if (q.complete) where.push(sql.literal("request_id IS NOT NULL AND request_timestamp IS NOT NULL"))
  if (q.after !== undefined) {
    const after = sql`(recorded_at, entry_id) ${sql.literal(q.order === "oldest" ? ">" : "<")} (${new Date(q.after.recordedAtMillis)}::timestamptz, ${q.after.entryId}::uuid)`
    where.push(after)
  }
  const direction = sql.literal(q.order === "oldest" ? "ASC" : "DESC")
  const filter = where.length === 0 ? sql.literal("") : sql`WHERE ${sql.and(where)}`
  return sql<
    Record<string, unknown>
  >`SELECT ${sql.literal(SELECT_COLUMNS)} FROM ${sql(t.schema)}.${sql(t.table)} ${filter} ORDER BY recorded_at ${direction}, entry_id ${direction} LIMIT ${q.limit}`
}

/** A stored row as an entry-shaped object, not validated yet (`decodeRows` decodes it). @internal */
export const fromRow = (row: Record<string, unknown>): unknown => {
  const recordedAt = row.recorded_at instanceof Date ? row.recorded_at : new Date(String(row.recorded_at))
  let params = row.params
  if (typeof params === "string") {
    try {
      params = JSON.parse(params)
    } catch {
      params = undefined
    }
  }
  return columnsToEntry(row, recordedAt, params)
}

/** The entries of a window counted by code, class, operation and outcome. @internal */
export const statsStatement = (
  sql: SqlClient.SqlClient,
  t: LedgerTable,
  window: TimeWindow
): Effect.Effect<ReadonlyArray<StatsGroup>, SqlError.SqlError> => {
  const where: Array<Statement.Fragment> = []
  if (window.fromMillis !== undefined) where.push(sql`recorded_at >= ${new Date(window.fromMillis)}`)
  if (window.toMillis !== undefined) where.push(sql`recorded_at < ${new Date(window.toMillis)}`)
  const filter = where.length === 0 ? sql.literal("") : sql`WHERE ${sql.and(where)}`
  return Effect.map(
    sql<{
      readonly error_code: string | null
      readonly error_class: string | null
      readonly operation: string
      readonly outcome: string
      readonly n: number
    }>`SELECT error_code, error_class, operation, outcome, count(*)::int AS n FROM ${sql(t.schema)}.${sql(t.table)} ${filter} GROUP BY error_code, error_class, operation, outcome`,
    (rows) =>
      rows.map(
        (row): StatsGroup => ({
          errorCode: row.error_code,
          errorClass: row.error_class,
          operation: row.operation,
          outcome: row.outcome,
          count: Number(row.n)
        })
      )
  )
}
