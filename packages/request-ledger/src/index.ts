/**
 * @mws-kit/request-ledger: the RequestId and Timestamp of every MWS request
 * attempt, kept 30 days and found in a second, in memory, in SQLite
 * (`node:sqlite`) or in PostgreSQL (`@mws-kit/request-ledger/PgStore`, kept
 * out of this barrel so SQLite users need no PostgreSQL driver).
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Ledger from "./Ledger.ts"

/** @since 0.1.0 */
export * as LedgerEntry from "./LedgerEntry.ts"

/** @since 0.1.0 */
export * as LedgerError from "./LedgerError.ts"

/** @since 0.1.0 */
export * as LedgerExport from "./LedgerExport.ts"

/** @since 0.1.0 */
export * as LedgerQuery from "./LedgerQuery.ts"

/** @since 0.2.0 */
export * as LedgerSpill from "./LedgerSpill.ts"

/** @since 0.1.0 */
export * as LedgerStore from "./LedgerStore.ts"

/** @since 0.1.0 */
export * as MemoryStore from "./MemoryStore.ts"

/** @since 0.1.0 */
export * as Retention from "./Retention.ts"

/** @since 0.1.0 */
export * as SqliteStore from "./SqliteStore.ts"

/** @since 0.1.0 */
export * as SupportTicket from "./SupportTicket.ts"
