/**
 * The PostgreSQL store's schema: where a ledger lives (its names, checked
 * to be plain SQL identifiers), its versioned migrations, and running them
 * once under an advisory lock when processes start together.
 *
 * @internal
 */
import { Effect } from "effect"
import type { SqlClient, SqlError } from "effect/sql"
import { LedgerConfigError } from "../LedgerError.ts"

/**
 * A lower-case SQL identifier of at most 50 characters. PostgreSQL keeps 63
 * bytes of a name (`NAMEDATALEN` - 1); the longest names derived from the
 * table (`<table>_migrations`, `<table>_class_time`) add 11, so they fit.
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,49}$/

/** Where one ledger lives: its schema and table, and their quoted forms. @internal */
export interface LedgerTable {
  readonly schema: string
  readonly table: string
  /** The ledger table, `"<schema>"."<table>"`. */
  readonly qualified: string
  /** The applied migrations, `"<schema>"."<table>_migrations"`. */
  readonly migrations: string
}

/** The ledger's names, refused with a `LedgerConfigError` unless both are plain identifiers. @internal */
export const ledgerTable = (schema: string, table: string): Effect.Effect<LedgerTable, LedgerConfigError> => {
  for (const [setting, name] of [
    ["schema", schema],
    ["table", table]
  ] as const) {
    if (!IDENTIFIER.test(name)) {
      return Effect.fail(
        new LedgerConfigError({
          setting,
          detail: "must be a lower-case SQL identifier ([a-z_][a-z0-9_]*) of at most 50 characters"
        })
      )
    }
  }
  return Effect.succeed({
    schema,
    table,
    qualified: `"${schema}"."${table}"`,
    migrations: `"${schema}"."${table}_migrations"`
  })
}

/**
 * The transaction-scoped advisory lock of one ledger: schema changes,
 * partition creation and partition drops take it, so processes doing them
 * at once do them one after the other.
 *
 * @internal
 */
export const advisoryLock = (sql: SqlClient.SqlClient, t: LedgerTable) =>
  sql`SELECT pg_advisory_xact_lock(hashtext(${`mws-kit/request-ledger:${t.schema}.${t.table}`}))`

/** One versioned migration: the statements that take the schema from version - 1 to version. */
interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: (t: LedgerTable) => ReadonlyArray<string>
}

/** The migrations, in order; `<table>_migrations` records each one applied. */
const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "create_ledger_entries",
    statements: ({ qualified, table }) => [
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

/** The schema version this code writes and reads. @internal */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

/** The last migration applied (0 for none); the migrations table must exist. Reads only. @internal */
export const appliedVersion = (sql: SqlClient.SqlClient, t: LedgerTable): Effect.Effect<number, SqlError.SqlError> =>
  Effect.map(
    sql.unsafe<{ readonly version: number | null }>(`SELECT max(version) AS version FROM ${t.migrations}`),
    (applied) => Number(applied[0]?.version ?? 0)
  )

/** Whether `schema` holds a relation (table, partition...) named `name`, from the catalog. Reads only. @internal */
export const relationExists = (
  sql: SqlClient.SqlClient,
  schema: string,
  name: string
): Effect.Effect<boolean, SqlError.SqlError> =>
  Effect.map(
    sql<{
      readonly n: number
    }>`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${schema} AND c.relname = ${name}`,
    (rows) => Number(rows[0]?.n ?? 0) > 0
  )

/**
 * Creates the schema and the migrations table if missing and runs the
 * pending migrations, in one transaction under the advisory `lock`.
 *
 * @internal
 */
export const migrate = (
  sql: SqlClient.SqlClient,
  t: LedgerTable,
  lock: Effect.Effect<unknown, SqlError.SqlError>
): Effect.Effect<void, SqlError.SqlError> =>
  sql.withTransaction(
    Effect.gen(function* () {
      yield* lock
      yield* sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${t.schema}"`)
      yield* sql.unsafe(
        `CREATE TABLE IF NOT EXISTS ${t.migrations} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
      )
      const current = yield* appliedVersion(sql, t)
      for (const migration of MIGRATIONS) {
        if (migration.version <= current) continue
        for (const statement of migration.statements(t)) yield* sql.unsafe(statement)
        yield* sql.unsafe(`INSERT INTO ${t.migrations} (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name
        ])
      }
    })
  )
