/**
 * Nothing hangs, nothing is lost: a store that never answers, a full disk,
 * a close that cannot write, the spill file and its import, a damaged
 * SQLite file.
 */
import { execFileSync } from "node:child_process"
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from "node:fs"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { TestClock } from "effect/testing"
import {
  type LedgerEntry,
  LedgerError,
  LedgerExport,
  LedgerSpill,
  LedgerStore,
  MemoryStore,
  SqliteStore
} from "../src/index.ts"
import { emptyQuery } from "./contract.ts"
import { captureLogs, controllable, ledgerOver, sampleInput, tempDir } from "./helpers.ts"

/** A memory store whose writes can be made to never answer (`silent = true`) or fail as `full`. */
const faultyStore = Effect.gen(function* () {
  const inner = yield* MemoryStore.make
  const control = { silent: false, full: false, writes: 0 }
  const store = LedgerStore.LedgerStore.of({
    ...inner,
    write: (entries) =>
      Effect.suspend(() => {
        control.writes++
        if (control.silent) return Effect.never
        if (control.full) {
          return Effect.fail(
            new LedgerError.LedgerStoreError({
              store: "sqlite",
              operation: "write",
              failure: "full",
              detail: "database or disk is full"
            })
          )
        }
        return inner.write(entries)
      })
  })
  return { control, store, inner }
})

const all = (store: LedgerStore.LedgerStoreShape) => store.find({ ...emptyQuery, order: "oldest", limit: 10_000 })

const spillFiles = (dir: string) => readdirSync(dir).filter((name) => name.startsWith(LedgerSpill.FILE_PREFIX))

describe("a store that never answers", () => {
  it.effect("sync mode: every record fails with `unavailable` within the write timeout, and is kept and retried", () =>
    Effect.gen(function* () {
      const { control, store, inner } = yield* faultyStore
      const logs = captureLogs()
      yield* Effect.gen(function* () {
        const ledger = yield* ledgerOver(store, { durability: "sync", writeTimeout: 50, retryBase: 100 })
        control.silent = true
        const started = Date.now()
        const results = yield* Effect.forEach(
          [1, 2, 3],
          (i) => Effect.flip(ledger.record(sampleInput({ requestId: `silent-${i}` }))),
          { concurrency: "unbounded" }
        )
        const waited = Date.now() - started
        for (const error of results) {
          assert.strictEqual(error._tag, "LedgerStoreError")
          if (error._tag === "LedgerStoreError") {
            assert.strictEqual(error.failure, "unavailable")
            assert.include(error.detail, "no answer within 50 ms")
          }
        }
        assert.isBelow(waited, 2_000, "failed within the bound, not hung")
        assert.strictEqual(yield* ledger.pending, 3, "kept in the buffer")
        for (let i = 0; i < 20; i++) yield* Effect.yieldNow
        assert.isTrue(
          logs.lines.some((line) => line.includes("3 entries kept in the buffer") && line.includes("no answer")),
          logs.lines.join("\n")
        )
        control.silent = false
        yield* TestClock.adjust(100) // the backoff
        yield* ledger.flush
        assert.deepStrictEqual((yield* all(inner)).map((e) => e.requestId).sort(), ["silent-1", "silent-2", "silent-3"])
      }).pipe(Effect.provide(logs.layer))
    })
  )

  it.effect("closing ends within the close timeout and spills what the store never took", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const { control, store } = yield* faultyStore
      const reports: Array<LedgerSpill.SpillReport> = []
      const scope = yield* Scope.make()
      const ledger = yield* ledgerOver(store, {
        writeTimeout: "1 hour",
        closeTimeout: 100,
        spillDirectory: dir,
        onSpill: (report) => Effect.sync(() => reports.push(report))
      }).pipe(Scope.provide(scope))
      control.silent = true
      const entry = yield* ledger.record(sampleInput({ requestId: "stuck-at-close" }))
      const started = Date.now()
      yield* Scope.close(scope, Exit.void)
      assert.isBelow(Date.now() - started, 3_000)
      assert.strictEqual(reports.length, 1)
      assert.deepStrictEqual(reports[0]!.requestIds, ["stuck-at-close"])
      assert.include(reports[0]!.reason, "close timeout of 100 ms")
      assert.strictEqual(readFileSync(reports[0]!.path!, "utf8"), `${LedgerExport.toJsonLine(entry)}\n`)
    })
  )
})

describe("the spill file", () => {
  it.effect("a failing store at close: every entry in one JSONL file, named in the log with each RequestId", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const { control, store } = controllable(yield* MemoryStore.make)
      const logs = captureLogs()
      const reports: Array<LedgerSpill.SpillReport> = []
      const recorded: Array<LedgerEntry.LedgerEntry> = []
      yield* Effect.gen(function* () {
        const scope = yield* Scope.make()
        const ledger = yield* ledgerOver(store, {
          spillDirectory: dir,
          onSpill: (report) => Effect.sync(() => reports.push(report))
        }).pipe(Scope.provide(scope))
        control.failing = true
        for (let i = 0; i < 4; i++) recorded.push(yield* ledger.record(sampleInput({ requestId: `spill-${i}` })))
        const begun = yield* ledger.begin({ ...sampleInput({ requestId: null }), callId: "call-in-flight" })
        recorded.push(begun)
        yield* Scope.close(scope, Exit.void)
      }).pipe(Effect.provide(logs.layer))

      const files = spillFiles(dir)
      assert.strictEqual(files.length, 1)
      assert.match(files[0]!, /^mws-ledger-spill-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-\d+\.jsonl$/)
      const path = join(dir, files[0]!)
      assert.strictEqual(readFileSync(path, "utf8"), recorded.map((e) => `${LedgerExport.toJsonLine(e)}\n`).join(""))
      assert.deepStrictEqual(reports, [
        {
          path,
          entries: 5,
          requestIds: ["spill-0", "spill-1", "spill-2", "spill-3"],
          reason: "after 3 attempts: Ledger memory store: write failed (unavailable): injected failure"
        }
      ])
      const line = logs.lines.find((l) => l.includes("closing with 5 entries"))
      assert.isDefined(line, logs.lines.join("\n"))
      assert.include(line, path)
      for (let i = 0; i < 4; i++) assert.include(line, `spill-${i}`)

      // Imported into a store: exactly the entries, and twice adds nothing.
      const target = yield* MemoryStore.make
      const ledger = yield* ledgerOver(target)
      const first = yield* ledger.importJsonLines(path)
      assert.deepStrictEqual(first, { path, imported: 5 })
      yield* ledger.importJsonLines(path)
      const stored = yield* all(target)
      assert.deepStrictEqual(
        [...stored].sort((a, b) => (a.entryId < b.entryId ? -1 : 1)),
        [...recorded].sort((a, b) => (a.entryId < b.entryId ? -1 : 1))
      )
    })
  )

  it.effect("no spill file can be written: every entry's RequestId, Timestamp, operation and call id in the log", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const blocked = join(dir, "not-a-directory")
      writeFileSync(blocked, "")
      const { control, store } = controllable(yield* MemoryStore.make)
      const logs = captureLogs()
      const reports: Array<LedgerSpill.SpillReport> = []
      const tmp = process.env.TMPDIR
      yield* Effect.acquireRelease(
        Effect.sync(() => {
          process.env.TMPDIR = join(blocked, "tmp") // os.tmpdir() fails too
        }),
        () =>
          Effect.sync(() => {
            if (tmp === undefined) delete process.env.TMPDIR
            else process.env.TMPDIR = tmp
          })
      )
      yield* Effect.gen(function* () {
        const scope = yield* Scope.make()
        const ledger = yield* ledgerOver(store, {
          spillDirectory: blocked,
          onSpill: (report) => Effect.sync(() => reports.push(report))
        }).pipe(Scope.provide(scope))
        control.failing = true
        yield* ledger.record(
          sampleInput({ requestId: "last-resort-1", requestTimestamp: "2026-11-25T10:00:01Z", callId: "call-lr" })
        )
        yield* Scope.close(scope, Exit.void)
      }).pipe(Effect.provide(logs.layer))
      assert.strictEqual(reports.length, 1)
      assert.strictEqual(reports[0]!.path, undefined)
      assert.deepStrictEqual(reports[0]!.requestIds, ["last-resort-1"])
      const line = logs.lines.find((l) => l.includes("no spill file could be written"))
      assert.isDefined(line, logs.lines.join("\n"))
      assert.include(
        line,
        "RequestId=last-resort-1 Timestamp=2026-11-25T10:00:01Z operation=Orders/ListOrders callId=call-lr"
      )
    })
  )

  it.effect("a bad line: a typed error naming it, and nothing imported", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const good = LedgerExport.toJsonLine({
        ...(yield* ledgerOver(yield* MemoryStore.make).pipe(
          Effect.flatMap((ledger) => ledger.record(sampleInput({ requestId: "good-line" })))
        ))
      })
      const path = join(dir, "spill.jsonl")
      writeFileSync(path, `${good}\n\n{"entryId":"x","outcome":"exploded"}\n`)
      const target = yield* MemoryStore.make
      const ledger = yield* ledgerOver(target)
      const error = yield* Effect.flip(ledger.importJsonLines(path))
      assert.strictEqual(error._tag, "LedgerImportError")
      if (error._tag === "LedgerImportError") assert.strictEqual(error.line, 3)
      assert.include(error.message, "line 3")
      assert.deepStrictEqual(yield* all(target), [], "nothing half-imported")
      writeFileSync(path, `${good}\nnot json\n`)
      const notJson = yield* Effect.flip(ledger.importJsonLines(path))
      assert.include(notJson.message, "line 2: not JSON")
      const missing = yield* Effect.flip(ledger.importJsonLines(join(dir, "missing.jsonl")))
      assert.strictEqual(missing._tag === "LedgerImportError" ? missing.line : -1, 0)
    })
  )
})

describe("a disk that fills after open", () => {
  it.effect("a `full` store: entries retried, then spilled at close", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const { control, store, inner } = yield* faultyStore
      const reports: Array<LedgerSpill.SpillReport> = []
      const scope = yield* Scope.make()
      const ledger = yield* ledgerOver(store, {
        spillDirectory: dir,
        onSpill: (report) => Effect.sync(() => reports.push(report))
      }).pipe(Scope.provide(scope))
      control.full = true
      yield* ledger.record(sampleInput({ requestId: "full-1" }))
      const error = yield* Effect.flip(ledger.flush)
      assert.strictEqual(error._tag === "LedgerStoreError" ? error.failure : undefined, "full")
      yield* TestClock.adjust(1_000)
      assert.isAbove(control.writes, 1, "retried")
      yield* Scope.close(scope, Exit.void)
      assert.deepStrictEqual(yield* all(inner), [])
      assert.deepStrictEqual(reports[0]?.requestIds, ["full-1"])
      assert.include(reports[0]!.reason, "(full)")
    })
  )

  const tmpfsAllowed = (() => {
    if (process.platform !== "linux" || process.getuid?.() !== 0) return false
    try {
      execFileSync("mount", ["--version"], { stdio: "ignore" })
      return true
    } catch {
      return false
    }
  })()
  if (!tmpfsAllowed) process.stderr.write("SKIPPED tmpfs disk-full test: needs root and mount on Linux\n")

  it.live.skipIf(!tmpfsAllowed)(
    "SQLite on a small tmpfs: SQLITE_FULL is a `full` store error, and the entries are spilled where there is room",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const mountPoint = join(dir, "small")
        mkdirSync(mountPoint)
        yield* Effect.acquireRelease(
          Effect.sync(() => execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint])),
          () => Effect.sync(() => execFileSync("umount", ["-l", mountPoint]))
        )
        const reports: Array<LedgerSpill.SpillReport> = []
        const scope = yield* Scope.make()
        const store = yield* SqliteStore.make({ filename: join(mountPoint, "ledger.sqlite") }).pipe(
          Scope.provide(scope)
        )
        const ledger = yield* ledgerOver(store, {
          retryBase: 10,
          retryMax: 20,
          flushInterval: 5,
          spillDirectory: dir,
          onSpill: (report) => Effect.sync(() => reports.push(report))
        }).pipe(Scope.provide(scope))
        // Fill the rest of the disk after open.
        const filler = openSync(join(mountPoint, "filler"), "w")
        try {
          const chunk = Buffer.alloc(64 * 1024, 1)
          while (true) writeSync(filler, chunk)
        } catch {
          // ENOSPC: the disk is full
        } finally {
          closeSync(filler)
        }
        for (let i = 0; i < 200; i++) {
          yield* ledger.record(sampleInput({ requestId: `tmpfs-${i}`, message: "x".repeat(900) }))
        }
        const error = yield* Effect.flip(ledger.flush)
        assert.strictEqual(error._tag, "LedgerStoreError")
        if (error._tag === "LedgerStoreError") assert.strictEqual(error.failure, "full", error.message)
        // The disk stays full: the spill next to the SQLite file fails too,
        // and the spill goes to the configured directory instead.
        yield* Scope.close(scope, Exit.void)
        assert.strictEqual(reports.length, 1)
        assert.strictEqual(reports[0]!.entries, 200)
        assert.include(reports[0]!.reason, "(full)")
        assert.strictEqual(reports[0]!.path?.startsWith(`${dir}/mws-ledger-spill-`), true, reports[0]!.path)
        assert.strictEqual(readFileSync(reports[0]!.path!, "utf8").split("\n").length - 1, 200)
        assert.deepStrictEqual(spillFiles(mountPoint), [], "no partial spill file left on the full disk")
      }),
    20_000
  )
})

describe("a damaged SQLite file", () => {
  /** A ledger file with enough rows for many pages, closed and checkpointed. */
  const ledgerFile = (filename: string) =>
    Effect.scoped(
      Effect.gen(function* () {
        const ledger = yield* ledgerOver(yield* SqliteStore.make({ filename }))
        for (let i = 0; i < 2_000; i++) yield* ledger.record(sampleInput({ requestId: `page-${i}` }))
        yield* ledger.flush
      })
    )

  it.effect("a page overwritten with garbage behind a valid header: refused at open with a `corrupt` error", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const filename = join(dir, "ledger.sqlite")
      yield* ledgerFile(filename)
      const pageSize = Number(
        (new DatabaseSync(filename, { readOnly: true }).prepare("PRAGMA page_size").get() as { page_size: number })
          .page_size
      )
      const pages = statSync(filename).size / pageSize
      assert.isAbove(pages, 20)
      // Overwrite a page in the middle (table or index data); page 1, the header, stays valid.
      const fd = openSync(filename, "r+")
      writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, Math.floor(pages / 2) * pageSize)
      closeSync(fd)
      assert.strictEqual(readFileSync(filename).subarray(0, 16).toString("latin1"), "SQLite format 3\u0000")
      const before = readFileSync(filename)

      const error = yield* Effect.flip(Effect.scoped(SqliteStore.make({ filename })))
      assert.strictEqual(error._tag, "LedgerStoreError")
      if (error._tag === "LedgerStoreError") {
        assert.strictEqual(error.failure, "corrupt")
        assert.include(error.detail, filename)
      }
      assert.isTrue(readFileSync(filename).equals(before), "nothing was written into it")

      // The check can be switched off (for a file known good, or to salvage what is readable).
      const unchecked = yield* Effect.exit(Effect.scoped(SqliteStore.make({ filename, integrityCheck: "off" })))
      assert.isTrue(Exit.isSuccess(unchecked))
    })
  )
})
