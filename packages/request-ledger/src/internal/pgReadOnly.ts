/**
 * Opening a PostgreSQL ledger for reading only: no schema, table, partition
 * or migration is created and nothing is written (the statements are
 * catalog lookups and a `SELECT` of the applied version), so that reading
 * works with a role that may only read, and a wrong schema or table name
 * creates nothing. The ledger must exist and be at this release's schema
 * version.
 *
 * @internal
 */
import { Effect } from "effect"
import type { SqlClient, SqlError } from "effect/sql"
import type { LedgerStoreError } from "../LedgerError.ts"
import { pgStoreError, storeError } from "./pgErrors.ts"
import { appliedVersion, LATEST_VERSION, type LedgerTable, relationExists } from "./pgSchema.ts"
import { versionRefusal, writeRefusalDetail } from "./refusals.ts"

/** The applied schema version, or the first of the ledger's tables that is missing. */
const readVersion = (
  sql: SqlClient.SqlClient,
  t: LedgerTable
): Effect.Effect<{ readonly missing: string } | { readonly version: number }, SqlError.SqlError> =>
  Effect.gen(function* () {
    for (const name of [t.table, `${t.table}_migrations`]) {
      if (!(yield* relationExists(sql, t.schema, name))) return { missing: `"${t.schema}"."${name}"` }
    }
    return { version: yield* appliedVersion(sql, t) }
  })

/**
 * Checks that the ledger can be read as it is: a missing table is
 * `cannot-open`, a schema version other than this release's is refused as
 * the SQLite store refuses it (`read-only` for an older one, `failed` for a
 * newer one).
 *
 * @internal
 */
export const checkReadable = (sql: SqlClient.SqlClient, t: LedgerTable): Effect.Effect<void, LedgerStoreError> =>
  readVersion(sql, t).pipe(
    Effect.mapError(storeError("open")),
    Effect.flatMap((found) => {
      if ("missing" in found) {
        return Effect.fail(pgStoreError("open", "cannot-open", `there is no ledger table ${found.missing}`))
      }
      const refusal = versionRefusal(t.qualified, found.version, LATEST_VERSION)
      return refusal === undefined ? Effect.void : Effect.fail(pgStoreError("open", refusal.failure, refusal.detail))
    })
  )

/** The error a write or prune of a ledger opened read-only fails with. @internal */
export const readOnlyRefusal = (t: LedgerTable, operation: "write" | "prune"): LedgerStoreError =>
  pgStoreError(operation, "read-only", writeRefusalDetail(t.qualified))
