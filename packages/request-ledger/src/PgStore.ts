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
import { SqlClient } from "effect/sql"
import { bounded } from "./internal/bounded.ts"
import { decodeRows } from "./internal/decodeRows.ts"
import { storeError, timedOut } from "./internal/pgErrors.ts"
import { dayOf, makePartitions } from "./internal/pgPartitions.ts"
import { findStatement, fromRow, insertChunk, oncePerEntry, statsStatement } from "./internal/pgQueries.ts"
import { checkReadable, readOnlyRefusal } from "./internal/pgReadOnly.ts"
import { advisoryLock, ledgerTable, migrate } from "./internal/pgSchema.ts"
import type * as LedgerEntry from "./LedgerEntry.ts"
import { LedgerConfigError, type LedgerStoreError } from "./LedgerError.ts"
import type { StoreQuery, TimeWindow } from "./LedgerQuery.ts"
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

/**
 * Where the ledger lives: `schema` (default {@link DEFAULT_SCHEMA}, created
 * if missing) and `table` (default {@link DEFAULT_TABLE}). Both are lower-case
 * SQL identifiers of at most 50 characters. `operationTimeout` (since
 * 0.2.0) bounds every store operation ({@link DEFAULT_OPERATION_TIMEOUT}).
 *
 * `readOnly` (since 0.2.0): open the ledger without writing anything (no
 * schema, table or partition created, no migration): for reading a ledger
 * with a role that may only read it, or without creating one where a name
 * is wrong. The table must exist (`cannot-open` otherwise) and be at this
 * release's schema version (an older one is refused `read-only` with what
 * to do, a newer one `failed`); writes and prunes fail with a `read-only`
 * store error. With {@link layer}'s own pool, its sessions are read-only
 * too (`default_transaction_read_only`). Default false.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly schema?: string | undefined
  readonly table?: string | undefined
  readonly operationTimeout?: Duration.Input | undefined
  readonly readOnly?: boolean | undefined
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

/**
 * Opens the store over the `SqlClient` in context (a PostgreSQL client):
 * creates the schema, runs the pending migrations and creates the day
 * partitions ahead, all under an advisory lock so processes starting
 * together do it once; with `readOnly`, only checks that the ledger exists
 * at a version it reads. Invalid names fail with `LedgerConfigError`, an
 * unreachable database with an `unavailable` store error.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function* (
  options: Options = {}
): Effect.fn.Return<LedgerStore["Service"], LedgerStoreError | LedgerConfigError, SqlClient.SqlClient> {
  const names = yield* ledgerTable(options.schema ?? DEFAULT_SCHEMA, options.table ?? DEFAULT_TABLE)
  const timeoutMillis = yield* millisOf("operationTimeout", options.operationTimeout ?? DEFAULT_OPERATION_TIMEOUT, 1)
  const bound =
    (operation: string) =>
    <A>(effect: Effect.Effect<A, LedgerStoreError>): Effect.Effect<A, LedgerStoreError> =>
      bounded(effect, timeoutMillis, timedOut(operation, timeoutMillis))
  const sql = yield* SqlClient.SqlClient
  const clock = yield* Clock.Clock
  const lock = advisoryLock(sql, names)
  const readOnly = options.readOnly === true

  if (readOnly) {
    yield* bound("open")(checkReadable(sql, names))
  } else {
    // Schema, migrations table and migrations, in one transaction under the lock.
    yield* migrate(sql, names, lock).pipe(Effect.mapError(storeError("migrate")), bound("migrate"))
  }
  const partitions = makePartitions(sql, names, lock, clock, PARTITIONS_AHEAD)
  if (!readOnly) yield* bound("create partitions")(partitions.ensureAhead)

  const insert = insertChunk(sql, names)
  const write = (batch: ReadonlyArray<LedgerEntry.LedgerEntry>) =>
    Effect.suspend(() => {
      if (batch.length === 0) return Effect.void
      if (readOnly) return Effect.fail(readOnlyRefusal(names, "write"))
      const entries = oncePerEntry(batch)
      const chunks: Array<ReadonlyArray<LedgerEntry.LedgerEntry>> = []
      for (let at = 0; at < entries.length; at += INSERT_CHUNK_ROWS)
        chunks.push(entries.slice(at, at + INSERT_CHUNK_ROWS))
      return partitions.ensure(entries.map((entry) => dayOf(Date.parse(entry.recordedAt)))).pipe(
        Effect.andThen(
          Effect.forEach(chunks, insert, { concurrency: WRITE_CONCURRENCY, discard: true }).pipe(
            Effect.mapError(storeError("write"))
          )
        ),
        // Another process may have dropped a partition this one knew of.
        Effect.tapError(() => Effect.sync(() => partitions.forget())),
        bound("write")
      )
    })

  const find = (q: StoreQuery) =>
    Effect.suspend(() => findStatement(sql, names, q)).pipe(
      Effect.mapError(storeError("find")),
      bound("find"),
      Effect.flatMap((rows) => decodeRows("postgres", rows, fromRow))
    )

  const stats = (window: TimeWindow) =>
    Effect.suspend(() => statsStatement(sql, names, window)).pipe(Effect.mapError(storeError("stats")), bound("stats"))

  // Retention: drop every day partition that ends at or before the cutoff
  // (counting its rows first, under its lock), then delete the rows of the
  // boundary day that are older than the cutoff, so nothing older remains.
  // The cutoff is the older of the host's and the database's (now() minus
  // the retention): a host whose clock runs ahead removes nothing younger
  // than the retention by the database's clock, for the whole fleet.
  const pruneBefore = ({ cutoffMillis: hostCutoff, retentionMillis }: PruneCutoff) =>
    Effect.gen(function* () {
      const now = yield* sql<{
        readonly now_ms: number | string
      }>`SELECT (extract(epoch FROM now()) * 1000)::float8 AS now_ms`
      const databaseCutoff = Number(now[0]?.now_ms) - retentionMillis
      const cutoffMillis = Number.isFinite(databaseCutoff) ? Math.min(hostCutoff, databaseCutoff) : hostCutoff
      const dropped = yield* partitions.dropBefore(cutoffMillis)
      const boundary = yield* sql<{ readonly n: number }>`
        WITH gone AS (DELETE FROM ${sql(names.schema)}.${sql(names.table)} WHERE recorded_at < ${new Date(cutoffMillis)} RETURNING 1)
        SELECT count(*)::int AS n FROM gone`
      return dropped + Number(boundary[0]?.n ?? 0)
    }).pipe(
      Effect.mapError(storeError("prune")),
      Effect.tap(() => partitions.ensureAhead),
      bound("prune")
    )
  const prune = (cutoff: PruneCutoff) => (readOnly ? Effect.fail(readOnlyRefusal(names, "prune")) : pruneBefore(cutoff))

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
        startupParameters: {
          statement_timeout: String(Math.round(statementMillis)),
          // A read-only ledger's sessions cannot write either, whatever runs on them.
          ...(options.readOnly === true ? { default_transaction_read_only: "on" } : {})
        }
      }).pipe(Scope.provide(poolScope), Effect.mapError(storeError("connect")))
      return yield* make(options).pipe(Effect.provideService(SqlClient.SqlClient, client))
    })
  ).pipe(Layer.provide(Reactivity.layer))
