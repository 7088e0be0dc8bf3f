/**
 * Stored rows read back as entries, the same for every store: each row is
 * decoded with the entry schema, and the first that does not decode fails
 * the read with an `invalid-row` store error naming it. (Apart from
 * `rows.ts`, which the SQLite writer thread loads without Effect.)
 *
 * @internal
 */
import { Effect } from "effect"
import * as LedgerEntry from "../LedgerEntry.ts"
import { LedgerStoreError, type StoreKind } from "../LedgerError.ts"

/** `rows` as entries, each first turned into an entry-shaped object by `toEntry`. @internal */
export const decodeRows = <Row extends Record<string, unknown>>(
  store: StoreKind,
  rows: ReadonlyArray<Row>,
  toEntry: (row: Row) => unknown
): Effect.Effect<ReadonlyArray<LedgerEntry.LedgerEntry>, LedgerStoreError> => {
  const entries: Array<LedgerEntry.LedgerEntry> = []
  for (const row of rows) {
    const decoded = LedgerEntry.decode(toEntry(row))
    if (decoded._tag === "Failure") {
      return Effect.fail(
        new LedgerStoreError({
          store,
          operation: "find",
          failure: "invalid-row",
          detail: `row ${String(row.entry_id)} is not a valid entry: ${decoded.failure}`
        })
      )
    }
    entries.push(decoded.success)
  }
  return Effect.succeed(entries)
}
