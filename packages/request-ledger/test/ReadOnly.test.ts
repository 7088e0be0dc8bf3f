import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { SqliteStore } from "../src/index.ts"
import { emptyQuery } from "./contract.ts"
import { ledgerOver, sampleInput, tempDir } from "./helpers.ts"

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex")

/** A ledger file with `requestIds` recorded, closed. */
const ledgerFile = (filename: string, requestIds: ReadonlyArray<string>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const ledger = yield* ledgerOver(yield* SqliteStore.make({ filename }), { durability: "sync" })
      for (const requestId of requestIds) yield* ledger.record(sampleInput({ requestId }))
    })
  )

const openReadOnly = (filename: string) => SqliteStore.make({ filename, readOnly: true })

const mountable = process.platform === "linux" && process.getuid?.() === 0
if (!mountable) process.stderr.write("SKIPPED read-only mount test: needs root and mount on Linux\n")

describe("SqliteStore, readOnly", () => {
  it.effect("reads a ledger without writing a byte of it: no migration, no WAL switch", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "ledger.sqlite")
      yield* ledgerFile(filename, ["r-1", "r-2"])
      const before = sha256(filename)
      const found = yield* Effect.scoped(
        Effect.flatMap(openReadOnly(filename), (store) => store.find({ ...emptyQuery }))
      )
      assert.deepStrictEqual(found.map((entry) => entry.requestId).sort(), ["r-1", "r-2"])
      assert.strictEqual(sha256(filename), before)
    })
  )

  it.effect("refuses writes and prunes with a typed `read-only` error", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "ledger.sqlite")
      yield* ledgerFile(filename, ["kept"])
      const [write, prune] = yield* Effect.scoped(
        Effect.gen(function* () {
          const store = yield* openReadOnly(filename)
          const stored = yield* store.find({ ...emptyQuery })
          return [
            yield* Effect.flip(store.write([{ ...stored[0]!, entryId: "01a24259-0000-7000-8000-000000000000" }])),
            yield* Effect.flip(store.prune({ cutoffMillis: Date.now() + 86_400_000, retentionMillis: 0 }))
          ] as const
        })
      )
      assert.strictEqual(write.failure, "read-only")
      assert.strictEqual(prune.failure, "read-only")
    })
  )

  it.effect("a missing file is `cannot-open` and is not created", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "nested", "ledger.sqlite")
      const error = yield* Effect.flip(Effect.scoped(openReadOnly(filename)))
      assert.strictEqual(error._tag, "LedgerStoreError")
      if (error._tag === "LedgerStoreError") {
        assert.strictEqual(error.failure, "cannot-open")
        assert.include(error.detail, "there is no ledger file")
      }
      assert.isFalse(existsSync(join(dir, "nested")))
    })
  )

  it.effect("a file at an older schema version is refused with what to do, not migrated", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "ledger.sqlite")
      yield* ledgerFile(filename, ["old"])
      const db = new DatabaseSync(filename)
      db.exec("PRAGMA user_version = 0")
      db.close()
      const before = sha256(filename)
      const error = yield* Effect.flip(Effect.scoped(openReadOnly(filename)))
      assert.strictEqual(error._tag, "LedgerStoreError")
      if (error._tag === "LedgerStoreError") assert.include(error.detail, "open it once for writing to migrate it")
      assert.strictEqual(sha256(filename), before)
    })
  )

  it.live.skipIf(!mountable)(
    "on a read-only mount: reads work (a WAL file without its -shm), opening for writing is `read-only`",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const mountPoint = join(dir, "ro")
        mkdirSync(mountPoint)
        yield* Effect.acquireRelease(
          Effect.sync(() => execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint])),
          () => Effect.sync(() => execFileSync("umount", ["-l", mountPoint]))
        )
        const filename = join(mountPoint, "ledger.sqlite")
        yield* ledgerFile(filename, ["on-the-mount"])
        execFileSync("mount", ["-o", "remount,ro", mountPoint])
        assert.isFalse(existsSync(`${filename}-shm`), "closed cleanly: no -shm left to read with")
        const found = yield* Effect.scoped(
          Effect.flatMap(openReadOnly(filename), (store) => store.find({ ...emptyQuery }))
        )
        assert.deepStrictEqual(
          found.map((entry) => entry.requestId),
          ["on-the-mount"]
        )
        const error = yield* Effect.flip(Effect.scoped(SqliteStore.make({ filename })))
        assert.strictEqual(error._tag, "LedgerStoreError")
        if (error._tag === "LedgerStoreError") assert.strictEqual(error.failure, "read-only")
      })
  )
})
