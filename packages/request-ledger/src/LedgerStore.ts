/**
 * Where a ledger keeps its entries: the interface every store implements
 * (in memory, SQLite, PostgreSQL), proved to behave alike by one contract
 * test suite run against each.
 *
 * @since 0.1.0
 */

import type { Effect } from "effect"
import { Context } from "effect"
import type { LedgerEntry } from "./LedgerEntry.ts"
import type { LedgerStoreError, StoreKind } from "./LedgerError.ts"
import type { StatsGroup, StoreQuery, TimeWindow } from "./LedgerQuery.ts"

/**
 * What a store does.
 *
 * - `write` commits a batch of validated entries, idempotently: an entry
 *   whose `entryId` is already stored is skipped, so writing a batch again
 *   after an ambiguous failure never duplicates. A failed write leaves the
 *   ledger free to write the same batch again. The one exception (since
 *   0.2.0): an entry whose stored row is `in-flight` (a write-ahead row) and
 *   whose new outcome is final replaces that row; a final row is never
 *   replaced. A batch may hold both rows of one attempt, in either order.
 * - `find` returns the entries that match a query, ordered by `recordedAt`
 *   then `entryId` (newest first unless the query says `oldest`), at most
 *   `limit`, strictly after the query's cursor when it has one.
 * - `stats` counts entries in a window by code, class, operation and outcome.
 * - `prune` removes every entry recorded before the cutoff (Unix
 *   milliseconds) and nothing else; it returns how many it removed. A store
 *   with a clock of its own (PostgreSQL) also computes the cutoff from its
 *   clock and the retention, and uses the older of the two, so a host whose
 *   clock runs ahead never removes what is younger than the retention.
 * - `spillDirectory` (since 0.2.0): where the ledger writes its spill file at
 *   close when entries could not be stored (next to the SQLite file).
 *
 * @category models
 * @since 0.1.0
 */
export interface LedgerStoreShape {
  readonly kind: StoreKind
  readonly write: (entries: ReadonlyArray<LedgerEntry>) => Effect.Effect<void, LedgerStoreError>
  readonly find: (query: StoreQuery) => Effect.Effect<ReadonlyArray<LedgerEntry>, LedgerStoreError>
  readonly stats: (window: TimeWindow) => Effect.Effect<ReadonlyArray<StatsGroup>, LedgerStoreError>
  readonly prune: (cutoff: PruneCutoff) => Effect.Effect<number, LedgerStoreError>
  readonly spillDirectory?: string | undefined
}

/**
 * What a prune removes: entries recorded before `cutoffMillis` (the ledger
 * host's clock minus the retention), and, for a store with a clock of its
 * own, nothing younger than `retentionMillis` by that clock either.
 *
 * @category models
 * @since 0.2.0
 */
export interface PruneCutoff {
  readonly cutoffMillis: number
  readonly retentionMillis: number
}

/**
 * The store a `Ledger` writes to and reads from. Provide one of
 * `MemoryStore.layer`, `SqliteStore.layer` or `PgStore.layer` (from
 * `@mws-kit/request-ledger/PgStore`).
 *
 * @category services
 * @since 0.1.0
 */
export class LedgerStore extends Context.Service<LedgerStore, LedgerStoreShape>()(
  "@mws-kit/request-ledger/LedgerStore"
) {}
