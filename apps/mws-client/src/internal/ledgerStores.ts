import { type LedgerError, type LedgerStore, SqliteStore } from "@mws-kit/request-ledger"
import type { Layer } from "effect"

/** The SQLite ledger store for a file, opened read-only when asked (nothing written, no migration). @internal */
export const sqliteStoreLayer = (
  filename: string,
  readOnly = false
): Layer.Layer<LedgerStore.LedgerStore, LedgerError.LedgerStoreError | LedgerError.LedgerConfigError> =>
  SqliteStore.layer({ filename, readOnly })
