/**
 * A ledger store that keeps entries in memory: for tests and short scripts.
 * It behaves exactly like the SQLite and PostgreSQL stores (the same
 * contract tests run against all three), and loses everything when the
 * process ends.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import type { LedgerEntry } from "./LedgerEntry.ts"
import { compareKeys, matches, type StatsGroup, type StoreQuery, type TimeWindow } from "./LedgerQuery.ts"
import { LedgerStore, type PruneCutoff } from "./LedgerStore.ts"

interface Row {
  entry: LedgerEntry
  readonly millis: number
}

/**
 * Creates an empty in-memory store.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make: Effect.Effect<LedgerStore["Service"]> = Effect.sync(() => {
  let rows: Array<Row> = []
  const ids = new Map<string, Row>()

  // Idempotent by entry id; a final row replaces an `in-flight` one, never the reverse.
  const write = (entries: ReadonlyArray<LedgerEntry>) =>
    Effect.sync(() => {
      for (const entry of entries) {
        const stored = ids.get(entry.entryId)
        if (stored !== undefined) {
          if (stored.entry.outcome === "in-flight" && entry.outcome !== "in-flight") stored.entry = entry
          continue
        }
        const row = { entry, millis: Date.parse(entry.recordedAt) }
        ids.set(entry.entryId, row)
        rows.push(row)
      }
    })

  const find = (query: StoreQuery) =>
    Effect.sync(() => {
      const found = rows.filter((row) => matches(query, row.entry, row.millis))
      const sign = query.order === "oldest" ? 1 : -1
      found.sort((a, b) => sign * compareKeys(a.millis, a.entry.entryId, b.millis, b.entry.entryId))
      return found.slice(0, query.limit).map((row) => row.entry)
    })

  const stats = (window: TimeWindow) =>
    Effect.sync(() => {
      const groups = new Map<string, { -readonly [K in keyof StatsGroup]: StatsGroup[K] }>()
      for (const { entry, millis } of rows) {
        if (window.fromMillis !== undefined && millis < window.fromMillis) continue
        if (window.toMillis !== undefined && millis >= window.toMillis) continue
        const key = JSON.stringify([entry.errorCode, entry.errorClass, entry.operation, entry.outcome])
        const group = groups.get(key)
        if (group === undefined) {
          groups.set(key, {
            errorCode: entry.errorCode,
            errorClass: entry.errorClass,
            operation: entry.operation,
            outcome: entry.outcome,
            count: 1
          })
        } else {
          group.count++
        }
      }
      return [...groups.values()]
    })

  const prune = ({ cutoffMillis }: PruneCutoff) =>
    Effect.sync(() => {
      const kept: Array<Row> = []
      for (const row of rows) {
        if (row.millis < cutoffMillis) ids.delete(row.entry.entryId)
        else kept.push(row)
      }
      const removed = rows.length - kept.length
      rows = kept
      return removed
    })

  return LedgerStore.of({ kind: "memory", write, find, stats, prune })
})

/**
 * An in-memory store, fresh each time the layer is built.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Ledger, MemoryStore } from "@mws-kit/request-ledger"
 *
 * const TestLedger = Ledger.layer().pipe(Layer.provide(MemoryStore.layer))
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<LedgerStore> = Layer.effect(LedgerStore, make)
