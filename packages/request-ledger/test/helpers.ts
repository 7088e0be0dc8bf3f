/**
 * Shared test helpers: sample inputs, a ledger over a given store in the
 * test's scope, temporary SQLite files, unique PostgreSQL schemas, and a
 * store whose writes can be made to fail.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Logger, Redacted, type Scope } from "effect"
import { SqlClient } from "effect/sql"
import { Ledger, type LedgerEntry, LedgerError, LedgerStore } from "../src/index.ts"

/** A valid input for one attempt; override any field. */
export const sampleInput = (overrides: Partial<LedgerEntry.RecordInput> = {}): LedgerEntry.RecordInput => ({
  requestId: "b7afc6c3-6f75-4707-bcf4-0475ad23162c",
  requestTimestamp: "2026-11-25T10:00:00Z",
  serverTimestamp: "2026-11-25T10:00:00.412Z",
  section: "Orders",
  operation: "ListOrders",
  sellerId: "A2EXAMPLE",
  marketplace: "ATVPDKIKX0DER",
  httpStatus: 200,
  attempt: 1,
  callId: "01a21464-b8be-7000-8000-50ce1bfc15ab",
  durationMs: 412,
  outcome: "success",
  ...overrides
})

/** The store in a layer's context, built in the current scope. */
export const buildStore = <E>(layer: Layer.Layer<LedgerStore.LedgerStore, E>) =>
  Effect.map(Layer.build(layer), (context) => Context.get(context, LedgerStore.LedgerStore))

/** A ledger over a store, in the current scope. */
export const ledgerOver = (store: LedgerStore.LedgerStore["Service"], options: Ledger.Options = {}) =>
  Ledger.make(options).pipe(Effect.provideService(LedgerStore.LedgerStore, store))

/** A fresh temporary directory, removed with the scope. */
export const tempDir: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "mws-ledger-test-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

/** A short random lower-case name for a PostgreSQL schema. */
export const uniqueSchema = (prefix = "ledger_test"): string =>
  `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`

/** Drops a PostgreSQL schema (with everything in it), through a client of its own. */
export const dropSchema = (url: string, schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })), Effect.orDie)

/** Runs one SQL statement through a client of its own. */
export const pgQuery = <A extends object>(url: string, text: string, params: ReadonlyArray<unknown> = []) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* sql.unsafe<A>(text, params)
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })), Effect.orDie)

/**
 * Wraps a store so tests can make its writes fail (`failing = true`, or the
 * next `failNext` writes) and count them; everything else passes through.
 */
export const controllable = (store: LedgerStore.LedgerStore["Service"]) => {
  const control = { failing: false, failNext: 0, writes: 0, failedWrites: 0, batchSizes: [] as Array<number> }
  const wrapped = LedgerStore.LedgerStore.of({
    ...store,
    write: (entries) =>
      Effect.suspend(() => {
        control.writes++
        control.batchSizes.push(entries.length)
        if (control.failing || control.failNext > 0) {
          control.failNext = Math.max(0, control.failNext - 1)
          control.failedWrites++
          return Effect.fail(
            new LedgerError.LedgerStoreError({
              store: store.kind,
              operation: "write",
              failure: "unavailable",
              detail: "injected failure"
            })
          )
        }
        return store.write(entries)
      })
  })
  return { control, store: wrapped }
}

/** A deterministic pseudo-random number generator (mulberry32). */
export const random = (seed: number) => {
  let state = seed >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A logger that keeps every message, to assert what the ledger logged. */
export const captureLogs = () => {
  const lines: Array<string> = []
  const layer = Logger.layer([
    Logger.make((options) => {
      lines.push((Array.isArray(options.message) ? options.message : [options.message]).map(String).join(" "))
    })
  ])
  return { lines, layer }
}
