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
 *   ledger free to write the same batch again.
 * - `find` returns the entries that match a query, ordered by `recordedAt`
 *   then `entryId` (newest first unless the query says `oldest`), at most
 *   `limit`, strictly after the query's cursor when it has one.
 * - `stats` counts entries in a window by code, class, operation and outcome.
 * - `prune` removes every entry recorded before the cutoff (Unix
 *   milliseconds) and nothing else; it returns how many it removed.
 *
 * @category models
 * @since 0.1.0
 */
export interface LedgerStoreShape {
  readonly kind: StoreKind
  readonly write: (entries: ReadonlyArray<LedgerEntry>) => Effect.Effect<void, LedgerStoreError>
  readonly find: (query: StoreQuery) => Effect.Effect<ReadonlyArray<LedgerEntry>, LedgerStoreError>
  readonly stats: (window: TimeWindow) => Effect.Effect<ReadonlyArray<StatsGroup>, LedgerStoreError>
  readonly prune: (cutoffMillis: number) => Effect.Effect<number, LedgerStoreError>
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
