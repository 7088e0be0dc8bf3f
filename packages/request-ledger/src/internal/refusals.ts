/**
 * What a store says when it refuses a ledger it cannot read, or a write it
 * must not do: the same words and failure kinds for SQLite and PostgreSQL.
 * Imports nothing at run time (the SQLite writer thread loads it).
 *
 * @internal
 */
import type { StoreFailure } from "../LedgerError.ts"

/** A ledger at a schema version newer than this code's, which it neither reads nor migrates. @internal */
export const newerSchemaDetail = (ledger: string, version: number, latest: number): string =>
  `${ledger} has schema version ${version}, newer than this library's ${latest}; upgrade @mws-kit/request-ledger`

/**
 * Why a read-only open refuses a ledger at `version` when this code reads
 * `latest`, or `undefined` when it can read it: an older ledger is
 * `read-only` (reading does not migrate; opening it once for writing does),
 * a newer one `failed` (the library needs an upgrade).
 *
 * @internal
 */
export const versionRefusal = (
  ledger: string,
  version: number,
  latest: number
): { readonly failure: StoreFailure; readonly detail: string } | undefined => {
  if (version === latest) return undefined
  if (version > latest) return { failure: "failed", detail: newerSchemaDetail(ledger, version, latest) }
  return {
    failure: "read-only",
    detail:
      `${ledger} has schema version ${version} and this release reads version ${latest}; ` +
      "a read-only open does not migrate: open it once for writing to migrate it"
  }
}

/** Why a write or prune of a ledger opened read-only fails (failure `read-only`). @internal */
export const writeRefusalDetail = (ledger: string): string =>
  `${ledger} was opened read-only: nothing can be written or pruned`
