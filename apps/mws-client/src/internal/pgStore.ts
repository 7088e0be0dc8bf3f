import type { LedgerError, LedgerStore } from "@mws-kit/request-ledger"
import * as PgStore from "@mws-kit/request-ledger/PgStore"
import type { Layer, Redacted } from "effect"

/**
 * The PostgreSQL ledger store: `@mws-kit/request-ledger/PgStore` over its own
 * pool. Loaded with a dynamic import, so `@effect/sql-pg` is needed only when
 * MWS_LEDGER is a postgres:// URL. `readOnly` opens it without DDL or writes
 * (`mws ledger list|find|stats|export`).
 *
 * @internal
 */
export const layer = (
  url: Redacted.Redacted<string>,
  readOnly = false
): Layer.Layer<LedgerStore.LedgerStore, LedgerError.LedgerStoreError | LedgerError.LedgerConfigError> =>
  PgStore.layer({ url, readOnly })
