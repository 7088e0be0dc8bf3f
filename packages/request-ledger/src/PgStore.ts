/**
 * The fleet store: PostgreSQL through `@effect/sql-pg`, for many processes
 * sharing one ledger. The table is partitioned by day on `recordedAt`, with
 * partitions created ahead and on demand, so retention drops whole days
 * instead of deleting rows; migrations are versioned; inserts are
 * idempotent on `(entry_id, recorded_at)`, so a batch written again after an
 * ambiguous failure never duplicates.
 *
 * Import it from `@mws-kit/request-ledger/PgStore`: it is the only module
 * that loads `@effect/sql-pg` (an optional peer dependency), and the package
 * barrel leaves it out so SQLite users need no PostgreSQL driver.
 *
 * @since 0.1.0
 */
import { PgClient } from "@effect/sql-pg"
import { Clock, Duration, Effect, Exit, Layer, Option, Redacted, Scope } from "effect"
import { Reactivity } from "effect/reactivity"
import { SqlClient, type SqlError, type Statement } from "effect/sql"
import { bounded, noAnswerError } from "./internal/bounded.ts"
import { COMPLETION_COLUMNS, columnsToEntry } from "./internal/rows.ts"
import * as LedgerEntry from "./LedgerEntry.ts"
import { LedgerConfigError, LedgerStoreError, type StoreFailure } from "./LedgerError.ts"
import type { StatsGroup, StoreQuery, TimeWindow } from "./LedgerQuery.ts"
import { LedgerStore, type PruneCutoff } from "./LedgerStore.ts"

/**
 * The schema the ledger table lives in when none is given.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_SCHEMA = "public"

/**
 * The ledger table's name when none is given. Its day partitions are named
 * `<table>_pYYYYMMDD`, its migrations table `<table>_migrations`.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_TABLE = "mws_ledger_entries"

/**
 * Day partitions created ahead of today, at start and at every prune, so a
 * write at midnight never waits for a `CREATE TABLE`. pg_partman's default
 * pre-make is 4; 3 days ahead covers a weekend without maintenance. A day
 * that is still missing (a clock far ahead) is created on demand.
 *
 * @category constants
 * @since 0.1.0
 */
export const PARTITIONS_AHEAD = 3

/**
 * Rows per INSERT statement. @effect/sql-pg 4.0.5 caps a statement at 32,767
 * bind parameters (`PgProtocol.ts`, "count exceeds 32767"), which at 23
 * columns is 1,424 rows; 500 rows (11,500 parameters) keeps statements
 * small enough to run {@link WRITE_CONCURRENCY} at once.
 *
 * @category constants
 * @since 0.1.0
 */
export const INSERT_CHUNK_ROWS = 500

/**
 * INSERT statements of one batch run at once, on separate pooled
 * connections. Measured on the reference 2-core machine with 1,000-row
 * batches: 17,000 rows/s one at a time, 25,400 with 2, 22,700 with 4.
 *
 * @category constants
 * @since 0.1.0
 */
export const WRITE_CONCURRENCY = 2

/**
 * Connections the store's own pool opens at most (when it builds its
 * client from a URL).
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MAX_CONNECTIONS = 4

/**
 * How long opening a connection may take (TCP, TLS, startup and
 * authentication), for the store's own pool. @effect/sql-pg's default is the
 * same 5 seconds (`PgConnection.ts`); libpq's `connect_timeout` has no
 * default, which is how a silent server hangs other clients forever.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_CONNECT_TIMEOUT: Duration.Duration = Duration.seconds(5)

/**
 * The server-side `statement_timeout` of the store's own pool's sessions
 * (sent in the startup packet): PostgreSQL cancels a statement of the
 * ledger's that runs longer, lock waits included. The ledger's statements
 * take milliseconds (a 500-row insert measured under 40 ms, a partition
 * drop under 100 ms), so 10 seconds only ever stops a stuck one.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_STATEMENT_TIMEOUT: Duration.Duration = Duration.seconds(10)

/**
 * The client-side bound on every store operation (open with its
 * migrations, write, find, stats, prune, and closing the pool): past it the
 * operation fails with an `unavailable` store error ("no answer within N
 * ms") even when the server accepted the connection and went silent, which
 * neither timeout above catches. 15 seconds is the connect timeout plus the
 * statement timeout: an operation that gets a connection and runs a
 * statement within their bounds finishes within it.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_OPERATION_TIMEOUT: Duration.Duration = Duration.seconds(15)

const DAY_MILLIS = 86_400_000
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,49}$/

/**
 * Where the ledger lives: `schema` (default {@link DEFAULT_SCHEMA}, created
 * if missing) and `table` (default {@link DEFAULT_TABLE}). Both are lower-case
 * SQL identifiers of at most 50 characters. `operationTimeout` (since
 * 0.2.0) bounds every store operation ({@link DEFAULT_OPERATION_TIMEOUT}).
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly schema?: string | undefined
  readonly table?: string | undefined
  readonly operationTimeout?: Duration.Input | undefined
}

/**
 * Connection settings for {@link layer}: the URL (a `Redacted` keeps a
 * password out of logs; a plain string is wrapped), the pool size
 * (default {@link DEFAULT_MAX_CONNECTIONS}), and (since 0.2.0)
 * `connectTimeout` ({@link DEFAULT_CONNECT_TIMEOUT}) and `statementTimeout`
 * ({@link DEFAULT_STATEMENT_TIMEOUT}).
 *
 * @category models
 * @since 0.1.0
 */
export interface ConnectOptions extends Options {
  readonly url: Redacted.Redacted<string> | string
  readonly maxConnections?: number | undefined
  readonly connectTimeout?: Duration.Input | undefined
  readonly statementTimeout?: Duration.Input | undefined
}

const millisOf = (
  setting: string,
  input: Duration.Input,
  minimum: number
): Effect.Effect<number, LedgerConfigError> => {
  const duration = Duration.fromInput(input)
  const millis = Option.isSome(duration) ? Duration.toMillis(duration.value) : Number.NaN
  return Number.isFinite(millis) && millis >= minimum
    ? Effect.succeed(millis)
    : Effect.fail(new LedgerConfigError({ setting, detail: `must be a finite duration of at least ${minimum} ms` }))
}

const timedOut = (operation: string, millis: number) => noAnswerError("postgres", operation, millis)

const failureOf = (error: SqlError.SqlError): StoreFailure => {
  switch (error.reason._tag) {
    case "ConnectionError":
      return "unavailable"
    case "LockTimeoutError":
    case "DeadlockError":
    case "SerializationError":
      return "busy"
    default:
      return "failed"
  }
}

const detailOf = (error: SqlError.SqlError): string => {
  const cause = error.reason.cause
  const causeText = cause instanceof Error ? cause.message : cause === undefined ? "" : String(cause)
  const text = [error.reason._tag, error.reason.message, causeText].filter((part) => part !== undefined && part !== "")
  return text.join(": ")
}

const storeError =
  (operation: string) =>
  (error: SqlError.SqlError): LedgerStoreError =>
    new LedgerStoreError({ store: "postgres", operation, failure: failureOf(error), detail: detailOf(error) })

const dayOf = (millis: number): number => Math.floor(millis / DAY_MILLIS)

const dayLabel = (day: number): string => new Date(day * DAY_MILLIS).toISOString().slice(0, 10).replace(/-/g, "")

const OUTCOMES = new Set(["success", "retried", "gave-up", "failed", "in-flight", "interrupted"])

const migrations = (
  qualified: string,
  table: string
): ReadonlyArray<{ readonly version: number; readonly name: string; readonly statements: ReadonlyArray<string> }> => [
  {
    version: 1,
    name: "create_ledger_entries",
    statements: [
      `CREATE TABLE IF NOT EXISTS ${qualified} (
        entry_id uuid NOT NULL,
        recorded_at timestamptz NOT NULL,
        request_id text,
        request_timestamp text,
        server_timestamp text,
        section text NOT NULL,
        operation text NOT NULL,
        seller_id text NOT NULL,
        marketplace text,
        http_status integer,
        error_code text,
        error_type text,
        error_class text,
        message text,
        attempt integer NOT NULL,
        call_id text NOT NULL,
        duration_ms double precision NOT NULL,
        delay_before_ms double precision NOT NULL,
        quota_max double precision,
        quota_remaining double precision,
        quota_resets_on text,
        outcome text NOT NULL,
        params jsonb NOT NULL,
        PRIMARY KEY (entry_id, recorded_at)
      ) PARTITION BY RANGE (recorded_at)`,
      `CREATE INDEX IF NOT EXISTS ${table}_request_id ON ${qualified} (request_id) WHERE request_id IS NOT NULL`,
      `CREATE INDEX IF NOT EXISTS ${table}_recorded_at ON ${qualified} (recorded_at)`,
      `CREATE INDEX IF NOT EXISTS ${table}_code_time ON ${qualified} (error_code, recorded_at) WHERE error_code IS NOT NULL`,
      `CREATE INDEX IF NOT EXISTS ${table}_class_time ON ${qualified} (error_class, recorded_at) WHERE error_class IS NOT NULL`,
      `CREATE INDEX IF NOT EXISTS ${table}_gave_up ON ${qualified} (recorded_at) WHERE outcome = 'gave-up'`,
      `CREATE INDEX IF NOT EXISTS ${table}_call_id ON ${qualified} (call_id)`
    ]
  }
]

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
 */
const oncePerEntry = (batch: ReadonlyArray<LedgerEntry.LedgerEntry>): ReadonlyArray<LedgerEntry.LedgerEntry> => {
  const byId = new Map<string, LedgerEntry.LedgerEntry>()
  for (const entry of batch) {
    const seen = byId.get(entry.entryId)
    if (seen === undefined || (seen.outcome === "in-flight" && entry.outcome !== "in-flight")) {
      byId.set(entry.entryId, entry)
    }
  }
  return byId.size === batch.length ? batch : [...byId.values()]
}

const fromRow = (row: Record<string, unknown>): unknown => {
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

const SELECT_COLUMNS =
  "entry_id::text AS entry_id, recorded_at, request_id, request_timestamp, server_timestamp, section, operation, " +
  "seller_id, marketplace, http_status, error_code, error_type, error_class, message, attempt, call_id, duration_ms, " +
  "delay_before_ms, quota_max, quota_remaining, quota_resets_on, outcome, params"

/**
 * Opens the store over the `SqlClient` in context (a PostgreSQL client):
 * creates the schema, runs the pending migrations and creates the day
 * partitions ahead, all under an advisory lock so processes starting
 * together do it once. Invalid names fail with `LedgerConfigError`, an
 * unreachable database with an `unavailable` store error.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function* (
  options: Options = {}
): Effect.fn.Return<LedgerStore["Service"], LedgerStoreError | LedgerConfigError, SqlClient.SqlClient> {
  const schema = options.schema ?? DEFAULT_SCHEMA
  const table = options.table ?? DEFAULT_TABLE
  for (const [setting, name] of [
    ["schema", schema],
    ["table", table]
  ] as const) {
    if (!IDENTIFIER.test(name)) {
      return yield* new LedgerConfigError({
        setting,
        detail: "must be a lower-case SQL identifier ([a-z_][a-z0-9_]*) of at most 50 characters"
      })
    }
  }
  const timeoutMillis = yield* millisOf("operationTimeout", options.operationTimeout ?? DEFAULT_OPERATION_TIMEOUT, 1)
  const bound =
    (operation: string) =>
    <A>(effect: Effect.Effect<A, LedgerStoreError>): Effect.Effect<A, LedgerStoreError> =>
      bounded(effect, timeoutMillis, timedOut(operation, timeoutMillis))
  const sql = yield* SqlClient.SqlClient
  const clock = yield* Clock.Clock
  const qualified = `"${schema}"."${table}"`
  const lockKey = `mws-kit/request-ledger:${schema}.${table}`
  const lock = sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`
  const partitionName = (day: number) => `${table}_p${dayLabel(day)}`

  // Schema, migrations table and migrations, in one transaction under the lock.
  yield* sql
    .withTransaction(
      Effect.gen(function* () {
        yield* lock
        yield* sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
        yield* sql.unsafe(
          `CREATE TABLE IF NOT EXISTS "${schema}"."${table}_migrations" (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
        )
        const applied = yield* sql.unsafe<{ readonly version: number | null }>(
          `SELECT max(version) AS version FROM "${schema}"."${table}_migrations"`
        )
        const current = Number(applied[0]?.version ?? 0)
        for (const migration of migrations(qualified, table)) {
          if (migration.version <= current) continue
          for (const statement of migration.statements) yield* sql.unsafe(statement)
          yield* sql.unsafe(`INSERT INTO "${schema}"."${table}_migrations" (version, name) VALUES ($1, $2)`, [
            migration.version,
            migration.name
          ])
        }
      })
    )
    .pipe(Effect.mapError(storeError("migrate")), bound("migrate"))

  // Days known to have a partition; cleared when a write fails, since another
  // process may have dropped one.
  const known = new Set<number>()
  const ensurePartitions = (days: ReadonlyArray<number>) => {
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
              `CREATE TABLE IF NOT EXISTS "${schema}"."${partitionName(day)}" PARTITION OF ${qualified} FOR VALUES FROM ('${from}') TO ('${to}')`
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
    return ensurePartitions(Array.from({ length: PARTITIONS_AHEAD + 1 }, (_, offset) => today + offset))
  })
  yield* bound("create partitions")(ensureAhead)

  // Idempotent by (entry_id, recorded_at); a final row replaces the
  // in-flight write-ahead row of the same attempt, never the reverse.
  const upsert = sql.literal(
    `ON CONFLICT (entry_id, recorded_at) DO UPDATE SET ${COMPLETION_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(", ")} ` +
      `WHERE ${qualified}.outcome = 'in-flight' AND EXCLUDED.outcome <> 'in-flight'`
  )
  const insertChunk = (chunk: ReadonlyArray<LedgerEntry.LedgerEntry>) =>
    sql`INSERT INTO ${sql(schema)}.${sql(table)} ${sql.insert(chunk.map(toRow) as [ReturnType<typeof toRow>, ...Array<ReturnType<typeof toRow>>])} ${upsert}`

  const write = (batch: ReadonlyArray<LedgerEntry.LedgerEntry>) =>
    Effect.suspend(() => {
      if (batch.length === 0) return Effect.void
      const entries = oncePerEntry(batch)
      const chunks: Array<ReadonlyArray<LedgerEntry.LedgerEntry>> = []
      for (let at = 0; at < entries.length; at += INSERT_CHUNK_ROWS)
        chunks.push(entries.slice(at, at + INSERT_CHUNK_ROWS))
      return ensurePartitions(entries.map((entry) => dayOf(Date.parse(entry.recordedAt)))).pipe(
        Effect.andThen(
          Effect.forEach(chunks, insertChunk, { concurrency: WRITE_CONCURRENCY, discard: true }).pipe(
            Effect.mapError(storeError("write"))
          )
        ),
        Effect.tapError(() => Effect.sync(() => known.clear())),
        bound("write")
      )
    })

  const find = (q: StoreQuery) =>
    Effect.suspend(() => {
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
      >`SELECT ${sql.literal(SELECT_COLUMNS)} FROM ${sql(schema)}.${sql(table)} ${filter} ORDER BY recorded_at ${direction}, entry_id ${direction} LIMIT ${q.limit}`.pipe(
        Effect.mapError(storeError("find")),
        bound("find"),
        Effect.flatMap((rows) => {
          const entries: Array<LedgerEntry.LedgerEntry> = []
          for (const row of rows) {
            const decoded = LedgerEntry.decode(fromRow(row))
            if (decoded._tag === "Failure") {
              return Effect.fail(
                new LedgerStoreError({
                  store: "postgres",
                  operation: "find",
                  failure: "invalid-row",
                  detail: `row ${String(row.entry_id)} is not a valid entry: ${decoded.failure}`
                })
              )
            }
            entries.push(decoded.success)
          }
          return Effect.succeed(entries as ReadonlyArray<LedgerEntry.LedgerEntry>)
        })
      )
    })

  const stats = (window: TimeWindow) =>
    Effect.suspend(() => {
      const where: Array<Statement.Fragment> = []
      if (window.fromMillis !== undefined) where.push(sql`recorded_at >= ${new Date(window.fromMillis)}`)
      if (window.toMillis !== undefined) where.push(sql`recorded_at < ${new Date(window.toMillis)}`)
      const filter = where.length === 0 ? sql.literal("") : sql`WHERE ${sql.and(where)}`
      return sql<{
        readonly error_code: string | null
        readonly error_class: string | null
        readonly operation: string
        readonly outcome: string
        readonly n: number
      }>`SELECT error_code, error_class, operation, outcome, count(*)::int AS n FROM ${sql(schema)}.${sql(table)} ${filter} GROUP BY error_code, error_class, operation, outcome`.pipe(
        Effect.mapError(storeError("stats")),
        bound("stats"),
        Effect.map((rows) =>
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
      )
    })

  // Retention: drop every day partition that ends at or before the cutoff
  // (counting its rows first, under its lock), then delete the rows of the
  // boundary day that are older than the cutoff, so nothing older remains.
  // The cutoff is the older of the host's and the database's (now() minus
  // the retention): a host whose clock runs ahead removes nothing younger
  // than the retention by the database's clock, for the whole fleet.
  const partitionPattern = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})$`)
  const prune = ({ cutoffMillis: hostCutoff, retentionMillis }: PruneCutoff) =>
    Effect.gen(function* () {
      const now = yield* sql<{
        readonly now_ms: number | string
      }>`SELECT (extract(epoch FROM now()) * 1000)::float8 AS now_ms`
      const databaseCutoff = Number(now[0]?.now_ms) - retentionMillis
      const cutoffMillis = Number.isFinite(databaseCutoff) ? Math.min(hostCutoff, databaseCutoff) : hostCutoff
      const partitions = yield* sql<{ readonly name: string }>`
        SELECT c.relname AS name
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = ${schema} AND p.relname = ${table}`
      let removed = 0
      for (const { name } of partitions) {
        const match = partitionPattern.exec(name)
        if (match === null) continue
        const start = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
        if (start + DAY_MILLIS > cutoffMillis) continue
        removed += yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* lock
            const exists = yield* sql<{
              readonly n: number
            }>`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${schema} AND c.relname = ${name}`
            if (Number(exists[0]?.n ?? 0) === 0) return 0
            yield* sql.unsafe(`LOCK TABLE "${schema}"."${name}" IN ACCESS EXCLUSIVE MODE`)
            const rows = yield* sql.unsafe<{ readonly n: number }>(
              `SELECT count(*)::int AS n FROM "${schema}"."${name}"`
            )
            yield* sql.unsafe(`DROP TABLE "${schema}"."${name}"`)
            return Number(rows[0]?.n ?? 0)
          })
        )
        known.delete(dayOf(start))
      }
      const boundary = yield* sql<{ readonly n: number }>`
        WITH gone AS (DELETE FROM ${sql(schema)}.${sql(table)} WHERE recorded_at < ${new Date(cutoffMillis)} RETURNING 1)
        SELECT count(*)::int AS n FROM gone`
      removed += Number(boundary[0]?.n ?? 0)
      return removed
    }).pipe(
      Effect.mapError(storeError("prune")),
      Effect.tap(() => ensureAhead),
      bound("prune")
    )

  return LedgerStore.of({ kind: "postgres", write, find, stats, prune })
})

/**
 * The store over an existing PostgreSQL `SqlClient` (your own
 * `PgClient.layer`, shared with the rest of the application).
 *
 * @category layers
 * @since 0.1.0
 */
export const layerClient = (
  options: Options = {}
): Layer.Layer<LedgerStore, LedgerStoreError | LedgerConfigError, SqlClient.SqlClient> =>
  Layer.effect(LedgerStore, make(options))

/**
 * The store with its own connection pool to the database at `url`.
 *
 * @example
 * ```ts
 * import { Layer, Redacted } from "effect"
 * import { Ledger } from "@mws-kit/request-ledger"
 * import * as PgStore from "@mws-kit/request-ledger/PgStore"
 *
 * const FleetLedger = Ledger.layer().pipe(
 *   Layer.provide(PgStore.layer({ url: Redacted.make(process.env.DATABASE_URL!), schema: "mws" }))
 * )
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: ConnectOptions): Layer.Layer<LedgerStore, LedgerStoreError | LedgerConfigError> =>
  Layer.effect(
    LedgerStore,
    Effect.gen(function* () {
      const url = typeof options.url === "string" ? Redacted.make(options.url) : options.url
      const connectMillis = yield* millisOf("connectTimeout", options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT, 1)
      const statementMillis = yield* millisOf(
        "statementTimeout",
        options.statementTimeout ?? DEFAULT_STATEMENT_TIMEOUT,
        1
      )
      const closeMillis = yield* millisOf("operationTimeout", options.operationTimeout ?? DEFAULT_OPERATION_TIMEOUT, 1)
      // The pool lives in a scope of its own whose closing is bounded: a
      // connection stuck on a silent server must not hold the layer open.
      const poolScope = yield* Scope.make()
      yield* Effect.addFinalizer(() =>
        Effect.ignore(bounded(Scope.close(poolScope, Exit.void), closeMillis, () => "timeout"))
      )
      const client = yield* PgClient.make({
        url,
        maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
        connectTimeout: Duration.millis(connectMillis),
        startupParameters: { statement_timeout: String(Math.round(statementMillis)) }
      }).pipe(Scope.provide(poolScope), Effect.mapError(storeError("connect")))
      return yield* make(options).pipe(Effect.provideService(SqlClient.SqlClient, client))
    })
  ).pipe(Layer.provide(Reactivity.layer))
