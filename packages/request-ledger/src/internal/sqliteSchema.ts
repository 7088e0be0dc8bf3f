/**
 * The SQLite store's schema, migrations, row mapping and SQL, shared by the
 * main thread (reads) and the writer worker. Node runs this file directly in
 * the worker (type stripping in the source tree, the built `.js` otherwise),
 * so it imports nothing at run time but Node built-ins.
 *
 * @internal
 */
import type { DatabaseSync } from "node:sqlite"
import type { LedgerEntry } from "../LedgerEntry.ts"
import type { StatsGroup, StoreQuery } from "../LedgerQuery.ts"
import { newerSchemaDetail } from "./refusals.ts"
import { columnsToEntry, ENTRY_COLUMNS } from "./rows.ts"

/** @internal */
export const TABLE = "ledger_entries"

/** One versioned migration: the statements that take the schema from version - 1 to version. @internal */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}

/** The migrations, in order; `PRAGMA user_version` records the last one applied. @internal */
export const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "create_ledger_entries",
    statements: [
      `CREATE TABLE ${TABLE} (
        seq INTEGER PRIMARY KEY,
        entry_id TEXT NOT NULL UNIQUE,
        recorded_at INTEGER NOT NULL,
        request_id TEXT,
        request_timestamp TEXT,
        server_timestamp TEXT,
        section TEXT NOT NULL,
        operation TEXT NOT NULL,
        seller_id TEXT NOT NULL,
        marketplace TEXT,
        http_status INTEGER,
        error_code TEXT,
        error_type TEXT,
        error_class TEXT,
        message TEXT,
        attempt INTEGER NOT NULL,
        call_id TEXT NOT NULL,
        duration_ms REAL NOT NULL,
        delay_before_ms REAL NOT NULL,
        quota_max REAL,
        quota_remaining REAL,
        quota_resets_on TEXT,
        outcome TEXT NOT NULL,
        params TEXT NOT NULL
      ) STRICT`,
      `CREATE INDEX ${TABLE}_request_id ON ${TABLE} (request_id) WHERE request_id IS NOT NULL`,
      `CREATE INDEX ${TABLE}_recorded_at ON ${TABLE} (recorded_at)`,
      `CREATE INDEX ${TABLE}_code_time ON ${TABLE} (error_code, recorded_at) WHERE error_code IS NOT NULL`,
      `CREATE INDEX ${TABLE}_class_time ON ${TABLE} (error_class, recorded_at) WHERE error_class IS NOT NULL`,
      `CREATE INDEX ${TABLE}_gave_up ON ${TABLE} (recorded_at) WHERE outcome = 'gave-up'`,
      `CREATE INDEX ${TABLE}_call_id ON ${TABLE} (call_id)`
    ]
  }
]

/** The schema version this code writes. @internal */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

/** The columns an insert writes, in order. @internal */
export const INSERT_COLUMNS = ENTRY_COLUMNS

/**
 * The insert. A duplicate entry id is skipped, which makes writing a batch
 * twice harmless, with one exception: a final row replaces the `in-flight`
 * write-ahead row of the same attempt (`Ledger.begin` then `complete`). A
 * final row is never overwritten, and a late `in-flight` row never replaces
 * anything, so the order the two arrive in does not matter.
 *
 * @internal
 */
export const INSERT_SQL = `INSERT INTO ${TABLE} (${INSERT_COLUMNS.join(", ")}) VALUES (${INSERT_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT (entry_id) DO UPDATE SET ${INSERT_COLUMNS.filter(
  (column) => column !== "entry_id"
)
  .map((column) => `${column} = excluded.${column}`)
  .join(", ")} WHERE ${TABLE}.outcome = 'in-flight' AND excluded.outcome <> 'in-flight'`

/** A row's values, in {@link INSERT_COLUMNS} order. @internal */
export type RowValues = Array<string | number | null>

/**
 * An entry as the values of one insert, in {@link INSERT_COLUMNS} order. Built
 * on the calling thread, so the writer thread only binds and inserts.
 *
 * @internal
 */
export const entryValues = (e: LedgerEntry): RowValues => [
  e.entryId,
  Date.parse(e.recordedAt),
  e.requestId,
  e.requestTimestamp,
  e.serverTimestamp,
  e.section,
  e.operation,
  e.sellerId,
  e.marketplace,
  e.httpStatus,
  e.errorCode,
  e.errorType,
  e.errorClass,
  e.message,
  e.attempt,
  e.callId,
  e.durationMs,
  e.delayBeforeMs,
  e.quotaMax,
  e.quotaRemaining,
  e.quotaResetsOn,
  e.outcome,
  JSON.stringify(e.params)
]

/** The columns a read selects. @internal */
export const SELECT_COLUMNS = INSERT_COLUMNS.join(", ")

/** A stored row as node:sqlite returns it. @internal */
export type Row = Record<string, unknown>

/**
 * A row as an entry-shaped object, not validated yet (the caller decodes it
 * with the entry schema, so a damaged row becomes a typed error). Returns
 * `undefined` when `params` is not JSON.
 *
 * @internal
 */
export const rowToEntry = (row: Row): unknown => {
  let params: unknown
  try {
    params = JSON.parse(String(row.params))
  } catch {
    return undefined
  }
  const recordedAt = typeof row.recorded_at === "number" ? new Date(row.recorded_at) : new Date(Number.NaN)
  return columnsToEntry(row, recordedAt, params)
}

const OUTCOMES = new Set(["success", "retried", "gave-up", "failed", "in-flight", "interrupted"])

/**
 * The SELECT for a query, with its parameters. An outcome is inlined as a
 * literal (checked against the known outcomes) so SQLite can use the partial
 * index on gave-up entries.
 *
 * @internal
 */
export const buildFind = (q: StoreQuery): { readonly sql: string; readonly params: Array<string | number> } => {
  const where: Array<string> = []
  const params: Array<string | number> = []
  const equals = (column: string, value: string | undefined) => {
    if (value !== undefined) {
      where.push(`${column} = ?`)
      params.push(value)
    }
  }
  equals("request_id", q.requestId)
  equals("call_id", q.callId)
  if (q.fromMillis !== undefined) {
    where.push("recorded_at >= ?")
    params.push(q.fromMillis)
  }
  if (q.toMillis !== undefined) {
    where.push("recorded_at < ?")
    params.push(q.toMillis)
  }
  equals("section", q.section)
  equals("operation", q.operation)
  equals("error_code", q.errorCode)
  equals("error_class", q.errorClass)
  equals("seller_id", q.sellerId)
  if (q.outcome !== undefined) {
    if (OUTCOMES.has(q.outcome)) where.push(`outcome = '${q.outcome}'`)
    else equals("outcome", q.outcome)
  }
  if (q.complete) where.push("request_id IS NOT NULL AND request_timestamp IS NOT NULL")
  const direction = q.order === "oldest" ? "ASC" : "DESC"
  if (q.after !== undefined) {
    where.push(`(recorded_at, entry_id) ${q.order === "oldest" ? ">" : "<"} (?, ?)`)
    params.push(q.after.recordedAtMillis, q.after.entryId)
  }
  params.push(q.limit)
  const filter = where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`
  return {
    sql: `SELECT ${SELECT_COLUMNS} FROM ${TABLE}${filter} ORDER BY recorded_at ${direction}, entry_id ${direction} LIMIT ?`,
    params
  }
}

/** The statistics query for a window, with its parameters. @internal */
export const buildStats = (
  fromMillis: number | undefined,
  toMillis: number | undefined
): { readonly sql: string; readonly params: Array<number> } => {
  const where: Array<string> = []
  const params: Array<number> = []
  if (fromMillis !== undefined) {
    where.push("recorded_at >= ?")
    params.push(fromMillis)
  }
  if (toMillis !== undefined) {
    where.push("recorded_at < ?")
    params.push(toMillis)
  }
  const filter = where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`
  return {
    sql:
      "SELECT error_code, error_class, operation, outcome, count(*) AS n " +
      `FROM ${TABLE}${filter} GROUP BY error_code, error_class, operation, outcome`,
    params
  }
}

/** A statistics row as a group. @internal */
export const rowToGroup = (row: Row): StatsGroup => ({
  errorCode: (row.error_code as string | null) ?? null,
  errorClass: (row.error_class as string | null) ?? null,
  operation: String(row.operation),
  outcome: String(row.outcome),
  count: Number(row.n)
})

/** One chunk of a prune: the oldest rows before the cutoff, at most `chunk` of them. @internal */
export const PRUNE_CHUNK_SQL = `DELETE FROM ${TABLE} WHERE seq IN (SELECT seq FROM ${TABLE} WHERE recorded_at < ? ORDER BY recorded_at LIMIT ?)`

/**
 * Runs the pending migrations in one `BEGIN IMMEDIATE` transaction (so two
 * processes opening a new file at once migrate it once) and returns the
 * schema version. Refuses a file written by a newer version of this code, and
 * fails on a file that cannot be written.
 *
 * @internal
 */
export const migrate = (db: DatabaseSync): number => {
  db.exec("BEGIN IMMEDIATE")
  try {
    const current = Number((db.prepare("PRAGMA user_version").get() as Row | undefined)?.user_version ?? 0)
    if (current > LATEST_VERSION) {
      throw new Error(newerSchemaDetail("the ledger file", current, LATEST_VERSION))
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue
      for (const statement of migration.statements) db.exec(statement)
    }
    // Written even when unchanged: the one write of an open, so a file that
    // cannot be written fails here, at open, rather than at the first batch.
    db.exec(`PRAGMA user_version = ${LATEST_VERSION}`)
    db.exec("COMMIT")
    return LATEST_VERSION
  } catch (error) {
    try {
      db.exec("ROLLBACK")
    } catch {
      // no transaction left to roll back
    }
    throw error
  }
}

/**
 * Runs `PRAGMA quick_check` and throws a `SQLITE_CORRUPT` error naming the
 * file and what the check said (its first line) when the file is damaged. A
 * page damaged badly enough makes the check itself throw, with SQLite's own
 * corrupt error. Reads only.
 *
 * @internal
 */
export const quickCheck = (db: DatabaseSync, filename: string): void => {
  const rows = db.prepare("PRAGMA quick_check").all() as Array<Row>
  const lines = rows.map((row) => String(Object.values(row)[0]))
  if (lines.length === 1 && lines[0] === "ok") return
  const error = new Error(
    `${filename} is damaged: PRAGMA quick_check found ${lines.length} problem(s), the first: ${lines[0] ?? "(no answer)"}; ` +
      "restore it from a backup or move it aside (the ledger will not write into it)"
  ) as Error & { errcode: number }
  error.errcode = 11 // SQLITE_CORRUPT
  throw error
}

/** What a failure looked like on the other side of the worker boundary. @internal */
export interface FailureInfo {
  readonly errcode: number | undefined
  readonly message: string
}

/** Describes a thrown value without keeping anything but its code and message. @internal */
export const failureInfo = (error: unknown): FailureInfo => {
  const errcode = (error as { errcode?: unknown } | null)?.errcode
  return {
    errcode: typeof errcode === "number" ? errcode : undefined,
    message: error instanceof Error ? error.message : String(error)
  }
}

/** The request messages the worker answers. @internal */
export type WorkerRequest =
  | {
      readonly id: number
      readonly op: "open"
      readonly filename: string
      readonly busyTimeoutMillis: number
      readonly synchronous: "FULL" | "NORMAL"
      readonly walAutocheckpointPages: number
      readonly integrityCheck: "quick" | "off"
      /** Open without writing anything (no WAL switch, no migration); writes and prunes fail `read-only`. */
      readonly readOnly: boolean
    }
  | { readonly id: number; readonly op: "write"; readonly rows: ReadonlyArray<RowValues> }
  | { readonly id: number; readonly op: "prune"; readonly cutoffMillis: number; readonly chunkRows: number }
  | {
      readonly id: number
      readonly op: "stats"
      readonly fromMillis: number | undefined
      readonly toMillis: number | undefined
    }
  | { readonly id: number; readonly op: "close" }

/** The worker's answers. @internal */
export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly failure: FailureInfo }
