import { execFileSync } from "node:child_process"
import { chmodSync, closeSync, openSync, readFileSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Scope } from "effect"
import { type LedgerQuery, SqliteStore } from "../src/index.ts"
import { buildFind } from "../src/internal/sqliteSchema.ts"
import { emptyQuery, storeContract } from "./contract.ts"
import { buildStore, ledgerOver, sampleInput, tempDir } from "./helpers.ts"

const sqliteStore = () =>
  Layer.unwrap(Effect.map(tempDir, (dir) => SqliteStore.layer({ filename: join(dir, "ledger.sqlite") })))

storeContract("SQLite", sqliteStore)

/** Opens a store on a file in its own scope, runs `use`, closes it. */
const withStore = <A, E>(
  filename: string,
  use: (store: SqliteStore.Options & { readonly filename: string }) => Effect.Effect<A, E, Scope.Scope>
) => Effect.scoped(use({ filename }))

const storeError = (filename: string) =>
  Effect.flip(Effect.scoped(SqliteStore.make({ filename }))).pipe(
    Effect.map((error) => {
      assert.strictEqual(error._tag, "LedgerStoreError")
      return error._tag === "LedgerStoreError" ? error : undefined
    })
  )

/**
 * Makes a file read-only for this process. Root ignores permission bits, so
 * as root the file is also marked immutable (`chattr +i`), which binds root
 * too. Returns the undo.
 */
const makeReadOnly = (path: string): (() => void) => {
  chmodSync(path, 0o444)
  const root = process.getuid?.() === 0
  if (root) execFileSync("chattr", ["+i", path])
  try {
    closeSync(openSync(path, "r+"))
    throw new Error(`could not make ${path} read-only on this machine`)
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("could not")) throw error
  }
  return () => {
    if (root) execFileSync("chattr", ["-i", path])
    chmodSync(path, 0o644)
  }
}

describe("SqliteStore", () => {
  it("defaults to .mws-kit/ledger.sqlite under the working directory, or $MWS_KIT_LEDGER_PATH", () => {
    assert.strictEqual(SqliteStore.defaultFilename({}), resolve(".mws-kit", "ledger.sqlite"))
    assert.strictEqual(
      SqliteStore.defaultFilename({ MWS_KIT_LEDGER_PATH: "/var/lib/app/l.sqlite" }),
      "/var/lib/app/l.sqlite"
    )
    assert.strictEqual(SqliteStore.defaultFilename({ MWS_KIT_LEDGER_PATH: "  " }), resolve(".mws-kit", "ledger.sqlite"))
  })

  it.effect("creates one file in WAL mode, with its directory, a schema version and its indexes", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "nested", "dir", "ledger.sqlite")
      yield* withStore(filename, (options) => SqliteStore.make(options))
      const db = new DatabaseSync(filename)
      try {
        assert.strictEqual((db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "wal")
        assert.strictEqual((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version, 1)
        const indexes = (
          db
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .all() as Array<{
            name: string
          }>
        ).map((row) => row.name)
        assert.deepStrictEqual(indexes, [
          "ledger_entries_call_id",
          "ledger_entries_class_time",
          "ledger_entries_code_time",
          "ledger_entries_gave_up",
          "ledger_entries_recorded_at",
          "ledger_entries_request_id"
        ])
      } finally {
        db.close()
      }
    })
  )

  it.effect("answers lookups from the indexes", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "ledger.sqlite")
      yield* withStore(filename, (options) => SqliteStore.make(options))
      const db = new DatabaseSync(filename)
      const plan = (query: Partial<LedgerQuery.StoreQuery>) => {
        const { sql, params } = buildFind({ ...emptyQuery, ...query })
        return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
          .map((row) => row.detail)
          .join("; ")
      }
      try {
        assert.include(plan({ requestId: "r" }), "INDEX ledger_entries_request_id")
        assert.include(plan({ callId: "c" }), "INDEX ledger_entries_call_id")
        assert.include(
          plan({ errorCode: "RequestThrottled", complete: true, limit: 1 }),
          "INDEX ledger_entries_code_time"
        )
        assert.include(plan({ errorClass: "throttled", limit: 1 }), "INDEX ledger_entries_class_time")
        assert.include(plan({ outcome: "gave-up" }), "INDEX ledger_entries_gave_up")
        assert.include(plan({ fromMillis: 0, toMillis: 10 }), "INDEX ledger_entries_recorded_at")
      } finally {
        db.close()
      }
    })
  )

  it.effect("keeps everything across a reopen, and migrates nothing twice", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "ledger.sqlite")
      const first = yield* withStore(filename, (options) =>
        Effect.gen(function* () {
          const ledger = yield* ledgerOver(yield* SqliteStore.make(options))
          return yield* ledger.record(sampleInput({ requestId: "kept" }))
        })
      )
      const found = yield* withStore(filename, (options) =>
        Effect.flatMap(SqliteStore.make(options), (store) => store.find({ ...emptyQuery, requestId: "kept" }))
      )
      assert.deepStrictEqual(found, [first])
    })
  )

  it.effect("refuses a file written by a newer schema version", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "ledger.sqlite")
      yield* withStore(filename, (options) => SqliteStore.make(options))
      const db = new DatabaseSync(filename)
      db.exec("PRAGMA user_version = 99")
      db.close()
      const error = yield* storeError(filename)
      assert.include(error?.detail, "schema version 99")
    })
  )

  it.effect("a file that is not a database: a typed `corrupt` error, and the file is left as it was", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "ledger.sqlite")
      const garbage = Buffer.from("this is not a database, just some bytes\n".repeat(200))
      writeFileSync(filename, garbage)
      const error = yield* storeError(filename)
      assert.strictEqual(error?.failure, "corrupt")
      assert.strictEqual(error?.store, "sqlite")
      assert.isTrue(readFileSync(filename).equals(garbage))
    })
  )

  it.effect("a read-only file: a typed `read-only` error, and what it holds is kept", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "ledger.sqlite")
      const recorded = yield* withStore(filename, (options) =>
        Effect.gen(function* () {
          const ledger = yield* ledgerOver(yield* SqliteStore.make(options))
          const entry = yield* ledger.record(sampleInput({ requestId: "before-read-only" }))
          yield* ledger.flush
          return entry
        })
      )
      const error = yield* Effect.acquireUseRelease(
        Effect.sync(() => makeReadOnly(filename)),
        () => storeError(filename),
        (undo) => Effect.sync(undo)
      )
      assert.strictEqual(error?.failure, "read-only")
      const found = yield* withStore(filename, (options) =>
        Effect.flatMap(SqliteStore.make(options), (store) => store.find({ ...emptyQuery }))
      )
      assert.deepStrictEqual(found, [recorded])
    })
  )

  it.effect("a directory that cannot be created: a typed `cannot-open` error", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const blocker = join(dir, "a-file")
      writeFileSync(blocker, "")
      const error = yield* storeError(join(blocker, "ledger.sqlite"))
      assert.strictEqual(error?.failure, "cannot-open")
    })
  )

  it.effect("a damaged row is a typed `invalid-row` error when read, never a defect", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "ledger.sqlite")
      const scope = yield* Scope.make()
      const store = yield* buildStore(SqliteStore.layer({ filename })).pipe(Scope.provide(scope))
      const db = new DatabaseSync(filename)
      db.exec(`INSERT INTO ledger_entries (entry_id, recorded_at, section, operation, seller_id, attempt, call_id,
        duration_ms, delay_before_ms, outcome, params) VALUES ('bad', 0, 'Orders', 'ListOrders', 'A2', 1, 'c', 1, 0, 'maybe', '{}')`)
      db.close()
      const error = yield* Effect.flip(store.find({ ...emptyQuery }))
      assert.strictEqual(error.failure, "invalid-row")
      assert.include(error.detail, "row bad")
      yield* Scope.close(scope, Exit.void)
    })
  )

  it.effect("refuses an in-memory file: the writer thread could not share it", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Effect.scoped(SqliteStore.make({ filename: ":memory:" })))
      assert.strictEqual(error._tag, "LedgerConfigError")
    })
  )
})
