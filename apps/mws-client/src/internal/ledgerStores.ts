import { type LedgerError, type LedgerStore, SqliteStore } from "@mws-kit/request-ledger"
import type { Layer } from "effect"

/** The SQLite ledger store for a file. @internal */
export const sqliteStoreLayer = (
  filename: string
): Layer.Layer<LedgerStore.LedgerStore, LedgerError.LedgerStoreError | LedgerError.LedgerConfigError> =>
  SqliteStore.layer({ filename })
