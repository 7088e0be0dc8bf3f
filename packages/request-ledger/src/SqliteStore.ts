/**
 * The embedded default store: one SQLite file through Node's built-in
 * `node:sqlite` (no native addon, no driver to install), in WAL mode with a
 * busy timeout so several processes can share it, versioned migrations, and
 * indexes for request id, time, code, class, call and gave-up entries.
 *
 * node:sqlite is synchronous, so writes, WAL checkpoints, busy waits and
 * prunes run on a worker thread and never block the application's event
 * loop. Lookups run on the calling thread over a second, read-only
 * connection: an indexed lookup takes microseconds and never waits for the
 * writer (WAL readers do not block on writers).
 *
 * @since 0.1.0
 */
import { existsSync, mkdirSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { DatabaseSync, type StatementSync } from "node:sqlite"
import { Worker } from "node:worker_threads"
import { Duration, Effect, Layer, Option, type Scope } from "effect"
import { bounded, noAnswer } from "./internal/bounded.ts"
import { decodeRows } from "./internal/decodeRows.ts"
import { openReadOnly, writableDirectory } from "./internal/sqliteReadOnly.ts"
import {
  buildFind,
  entryValues,
  type FailureInfo,
  failureInfo,
  type Row,
  rowToEntry,
  type WorkerRequest,
  type WorkerResponse
} from "./internal/sqliteSchema.ts"
import type * as LedgerEntry from "./LedgerEntry.ts"
import { LedgerConfigError, LedgerStoreError, type StoreFailure } from "./LedgerError.ts"
import type { StatsGroup, StoreQuery, TimeWindow } from "./LedgerQuery.ts"
import { LedgerStore, type PruneCutoff } from "./LedgerStore.ts"

/**
 * Where the ledger file lives when no filename is given:
 * `.mws-kit/ledger.sqlite` under the current working directory (created if
 * missing), unless {@link FILENAME_ENV} names another path.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_FILENAME = ".mws-kit/ledger.sqlite"

/**
 * The environment variable that overrides {@link DEFAULT_FILENAME}.
 *
 * @category constants
 * @since 0.1.0
 */
export const FILENAME_ENV = "MWS_KIT_LEDGER_PATH"

/**
 * How long a write waits for another process's lock before failing with a
 * `busy` store error (which the ledger then retries). 5 seconds is
 * Litestream's recommendation ("PRAGMA busy_timeout = 5000") and the default
 * of upstream @effect/sql-sqlite-node; the wait happens on the worker thread.
 *
 * @category constants
 * @since 0.1.0
 */
export const BUSY_TIMEOUT: Duration.Duration = Duration.seconds(5)

/**
 * WAL pages written before SQLite checkpoints them into the file. The
 * default of 1,000 checkpointed after nearly every 1,000-row batch (the
 * random request-id index dirties a page per row); 10,000 pages (about 40 MB
 * of WAL at 4 KiB pages) measured 26,000 → 40,000 rows/s in a raw insert
 * loop with this schema on a 2-core machine, while developing this package.
 * Checkpoints run on the worker thread.
 *
 * @category constants
 * @since 0.1.0
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000

/**
 * Rows deleted per prune transaction: how long one prune step holds the
 * write lock (other writers, this process's included, wait that long). The
 * storage reference measured 132 ms for 5,000-row chunks with a similar
 * schema; this package's benchmark measured up to 69 ms for 1,000-row chunks
 * on a loaded 2-core machine, so 500 rows keeps a step well under the 50 ms
 * budget. The deletes run on the worker thread, which yields between chunks
 * so the ledger's own writes go in between.
 *
 * @category constants
 * @since 0.1.0
 */
export const PRUNE_CHUNK_ROWS = 500

/**
 * The most one call to the writer thread (open, write, stats, prune) may
 * take before it fails with an `unavailable` store error ("no answer within
 * N ms"). A call waits at most {@link BUSY_TIMEOUT} for a lock, so one that
 * takes longer is stuck (a hung disk, a network file system gone away). 60
 * seconds also covers the slowest legitimate calls: `PRAGMA quick_check` at
 * open reads the whole file (525 ms for 1,000,000 entries in the
 * benchmark) and a prune of a month of a busy ledger deletes in chunks.
 * The ledger's writer bounds each write more tightly (`Ledger.writeTimeout`).
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_OPERATION_TIMEOUT: Duration.Duration = Duration.seconds(60)

/**
 * How many prepared read statements a store keeps (one per distinct query
 * shape).
 *
 * @category constants
 * @since 0.1.0
 */
export const STATEMENT_CACHE_SIZE = 64

/**
 * SQLite store settings:
 *
 * - `filename`: the ledger file (default {@link defaultFilename}); its
 *   directory is created if missing; `":memory:"` is refused (use
 *   `MemoryStore`);
 * - `synchronous`: `"full"` (default) fsyncs every commit, so a committed
 *   entry survives a power loss; `"normal"` fsyncs only at checkpoints: a
 *   process crash still loses nothing committed, a power loss or OS crash may
 *   lose the last commits. Batching makes the gap small (the storage
 *   reference measured 56,500 vs 60,100 rows/s; with the writer on its own
 *   thread the two measured the same here), so the default stays durable;
 * - `busyTimeout`: see {@link BUSY_TIMEOUT};
 * - `operationTimeout` (since 0.2.0): see {@link DEFAULT_OPERATION_TIMEOUT};
 * - `integrityCheck` (since 0.2.0): `"quick"` (default) runs
 *   `PRAGMA quick_check` at open and refuses a damaged file with a `corrupt`
 *   store error instead of writing into it; `"off"` skips it (it reads the
 *   whole file: about 0.5 s per 1,000,000 entries, see the README);
 * - `readOnly` (since 0.2.0): open the file without writing anything (no
 *   directory created, no WAL switch, no migration): for reading a ledger
 *   the process may not write (a copy, a backup, a read-only mount). The
 *   file must exist and be at this release's schema version; writes and
 *   prunes fail with a `read-only` store error. Default false.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly filename?: string | undefined
  readonly synchronous?: "full" | "normal" | undefined
  readonly busyTimeout?: Duration.Input | undefined
  readonly operationTimeout?: Duration.Input | undefined
  readonly integrityCheck?: "quick" | "off" | undefined
  readonly readOnly?: boolean | undefined
}

/**
 * The file used when no filename is given: `$MWS_KIT_LEDGER_PATH`, else
 * `.mws-kit/ledger.sqlite` under the current working directory.
 *
 * @category constructors
 * @since 0.1.0
 */
export const defaultFilename = (env: Record<string, string | undefined> = process.env): string =>
  resolve(env[FILENAME_ENV]?.trim() || DEFAULT_FILENAME)

// SQLite primary result codes (the low byte of an extended code).
const SQLITE_BUSY = 5
const SQLITE_LOCKED = 6
const SQLITE_READONLY = 8
const SQLITE_CORRUPT = 11
const SQLITE_FULL = 13
const SQLITE_CANTOPEN = 14
const SQLITE_NOTADB = 26

const classify = (info: FailureInfo): StoreFailure => {
  switch ((info.errcode ?? -1) & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "busy"
    case SQLITE_READONLY:
      return "read-only"
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "corrupt"
    case SQLITE_CANTOPEN:
      return "cannot-open"
    case SQLITE_FULL:
      return "full"
  }
  if (/database or disk is full|ENOSPC/i.test(info.message)) return "full"
  if (/readonly|read-only/i.test(info.message)) return "read-only"
  return "failed"
}

const storeError = (operation: string, info: FailureInfo, failure: StoreFailure = classify(info)) =>
  new LedgerStoreError({ store: "sqlite", operation, failure, detail: info.message })

const workerUrl = (): URL =>
  new URL(
    import.meta.url.endsWith(".ts") ? "./internal/sqliteWorker.ts" : "./internal/sqliteWorker.js",
    import.meta.url
  )

/**
 * The worker thread and the requests waiting for its answers. A worker that
 * dies fails what it was doing with an `unavailable` error; the next request
 * starts a new one (and opens the file again).
 */
class WorkerClient {
  private worker: Worker | undefined = undefined
  private nextId = 1
  private readonly waiting = new Map<number, (response: WorkerResponse) => void>()
  private readonly openRequest: Omit<Extract<WorkerRequest, { op: "open" }>, "id">
  private opening: Promise<WorkerResponse> | undefined = undefined

  constructor(openRequest: Omit<Extract<WorkerRequest, { op: "open" }>, "id">) {
    this.openRequest = openRequest
  }

  private start(): Worker {
    const worker = new Worker(workerUrl())
    worker.on("message", (response: WorkerResponse) => {
      const resolve = this.waiting.get(response.id)
      if (resolve !== undefined) {
        this.waiting.delete(response.id)
        resolve(response)
      }
    })
    const stopped = (reason: string) => {
      if (this.worker !== worker) return
      this.worker = undefined
      this.opening = undefined
      const waiting = [...this.waiting.values()]
      this.waiting.clear()
      for (const resolve of waiting) {
        resolve({ id: 0, ok: false, failure: { errcode: undefined, message: `the SQLite worker stopped: ${reason}` } })
      }
    }
    worker.on("error", (error) => stopped(error.message))
    worker.on("exit", (code) => stopped(`exit code ${code}`))
    this.worker = worker
    return worker
  }

  private send(worker: Worker, request: Omit<WorkerRequest, "id">): Promise<WorkerResponse> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.waiting.set(id, resolve)
      worker.postMessage({ ...request, id })
    })
  }

  /** Sends a request, starting the worker and opening the file first when needed. */
  async request(request: Omit<WorkerRequest, "id">): Promise<WorkerResponse> {
    if (this.worker === undefined || this.opening === undefined) {
      const worker = this.start()
      this.opening = this.send(worker, this.openRequest)
    }
    const worker = this.worker!
    const opened = await this.opening
    if (!opened.ok) {
      await this.stop()
      return opened
    }
    if (request.op === "open") return opened
    return this.send(worker, request)
  }

  /** Closes the file and stops the worker. */
  async stop(): Promise<void> {
    const worker = this.worker
    if (worker === undefined) return
    await this.send(worker, { op: "close" })
    this.worker = undefined
    this.opening = undefined
    await worker.terminate()
  }
}

const call = <A>(client: WorkerClient, operation: string, request: Omit<WorkerRequest, "id">, timeoutMillis: number) =>
  bounded(
    Effect.flatMap(
      Effect.promise(() => client.request(request)),
      (response): Effect.Effect<A, LedgerStoreError> =>
        response.ok ? Effect.succeed(response.result as A) : Effect.fail(storeError(operation, response.failure))
    ),
    timeoutMillis,
    () => storeError(operation, { errcode: undefined, message: noAnswer(timeoutMillis) }, "unavailable")
  )

const openReader = (filename: string, busyTimeoutMillis: number, readOnly: boolean) =>
  Effect.try({
    try: () => {
      const reader = readOnly ? openReadOnly(filename) : new DatabaseSync(filename)
      reader.exec(`PRAGMA busy_timeout = ${Math.floor(busyTimeoutMillis)}`)
      reader.exec("PRAGMA query_only = 1")
      return reader
    },
    catch: (error) => onReadOnlyMount(filename, storeError("open", failureInfo(error)))
  })

/**
 * An open that failed on a file that exists in a directory that takes no
 * new file (a read-only mount, where SQLite cannot create the WAL's `-shm`)
 * is `read-only`, whatever code SQLite gave (`unable to open database file`).
 */
const onReadOnlyMount = (path: string, error: LedgerStoreError): LedgerStoreError =>
  (error.failure === "cannot-open" || error.failure === "failed") &&
  existsSync(path) &&
  !writableDirectory(dirname(path))
    ? new LedgerStoreError({
        store: error.store,
        operation: error.operation,
        failure: "read-only",
        detail: error.detail
      })
    : error

/**
 * Opens (creating and migrating if needed) a ledger file, in a scope: the
 * worker and the read connection close with it. A file that is not a
 * database fails with a `corrupt` store error, one that cannot be written
 * with `read-only`, one that cannot be opened with `cannot-open`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function* (
  options: Options = {}
): Effect.fn.Return<LedgerStore["Service"], LedgerStoreError | LedgerConfigError, Scope.Scope> {
  const filename = options.filename === undefined ? defaultFilename() : options.filename
  if (filename === ":memory:" || filename === "" || filename.startsWith("file::memory:")) {
    return yield* new LedgerConfigError({
      setting: "filename",
      detail: "an in-memory SQLite file cannot be shared with the writer thread; use MemoryStore"
    })
  }
  const busy = Duration.fromInput(options.busyTimeout ?? BUSY_TIMEOUT)
  const busyTimeoutMillis = Option.isSome(busy) ? Duration.toMillis(busy.value) : Number.NaN
  if (!Number.isFinite(busyTimeoutMillis) || busyTimeoutMillis < 0) {
    return yield* new LedgerConfigError({ setting: "busyTimeout", detail: "must be a finite, non-negative duration" })
  }
  const operation = Duration.fromInput(options.operationTimeout ?? DEFAULT_OPERATION_TIMEOUT)
  const timeoutMillis = Option.isSome(operation) ? Duration.toMillis(operation.value) : Number.NaN
  if (Number.isNaN(timeoutMillis) || timeoutMillis < 1) {
    return yield* new LedgerConfigError({ setting: "operationTimeout", detail: "must be a duration of at least 1 ms" })
  }
  const integrityCheck = options.integrityCheck ?? "quick"
  if (integrityCheck !== "quick" && integrityCheck !== "off") {
    return yield* new LedgerConfigError({ setting: "integrityCheck", detail: 'must be "quick" or "off"' })
  }
  const path = resolve(filename)
  const readOnly = options.readOnly === true
  if (readOnly && !existsSync(path)) {
    return yield* storeError(
      "open",
      { errcode: undefined, message: `there is no ledger file at ${path}` },
      "cannot-open"
    )
  }
  if (!readOnly) {
    yield* Effect.try({
      try: () => mkdirSync(dirname(path), { recursive: true }),
      catch: (error) =>
        storeError(
          "open",
          failureInfo(error),
          (error as NodeJS.ErrnoException)?.code === "EROFS" ? "read-only" : "cannot-open"
        )
    })
  }

  const client = new WorkerClient({
    op: "open",
    filename: path,
    busyTimeoutMillis,
    synchronous: options.synchronous === "normal" ? "NORMAL" : "FULL",
    walAutocheckpointPages: WAL_AUTOCHECKPOINT_PAGES,
    integrityCheck,
    readOnly
  })
  yield* Effect.acquireRelease(
    call<number>(client, "open", { op: "open" } as Omit<WorkerRequest, "id">, timeoutMillis).pipe(
      Effect.mapError((error) => onReadOnlyMount(path, error))
    ),
    () =>
      bounded(
        Effect.promise(() => client.stop().catch(() => undefined)),
        timeoutMillis,
        () => undefined
      ).pipe(Effect.ignore)
  )
  const reader = yield* Effect.acquireRelease(openReader(path, busyTimeoutMillis, readOnly), (reader) =>
    Effect.sync(() => reader.close())
  )

  const statements = new Map<string, StatementSync>()
  const prepared = (sql: string): StatementSync => {
    let statement = statements.get(sql)
    if (statement === undefined) {
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear()
      statement = reader.prepare(sql)
      statements.set(sql, statement)
    }
    return statement
  }

  const write = (entries: ReadonlyArray<LedgerEntry.LedgerEntry>) =>
    entries.length === 0
      ? Effect.void
      : Effect.asVoid(
          call<number>(
            client,
            "write",
            { op: "write", rows: entries.map(entryValues) } as Omit<WorkerRequest, "id">,
            timeoutMillis
          )
        )

  const find = (query: StoreQuery) =>
    Effect.suspend(() => {
      let rows: Array<Row>
      try {
        const { sql, params } = buildFind(query)
        rows = prepared(sql).all(...params) as Array<Row>
      } catch (error) {
        return Effect.fail(storeError("find", failureInfo(error)))
      }
      return decodeRows("sqlite", rows, rowToEntry)
    })

  const stats = (window: TimeWindow) =>
    call<ReadonlyArray<StatsGroup>>(
      client,
      "stats",
      { op: "stats", fromMillis: window.fromMillis, toMillis: window.toMillis } as Omit<WorkerRequest, "id">,
      timeoutMillis
    )

  const prune = ({ cutoffMillis }: PruneCutoff) =>
    call<number>(
      client,
      "prune",
      { op: "prune", cutoffMillis, chunkRows: PRUNE_CHUNK_ROWS } as Omit<WorkerRequest, "id">,
      timeoutMillis
    )

  return LedgerStore.of({ kind: "sqlite", write, find, stats, prune, spillDirectory: dirname(path) })
})

/**
 * The SQLite store as a layer.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Ledger, SqliteStore } from "@mws-kit/request-ledger"
 *
 * // .mws-kit/ledger.sqlite under the working directory (or $MWS_KIT_LEDGER_PATH)
 * const Embedded = Ledger.layer().pipe(Layer.provide(SqliteStore.layer()))
 * // a chosen file, every record committed and fsynced before `record` returns
 * const Durable = Ledger.layer({ durability: "sync" }).pipe(
 *   Layer.provide(SqliteStore.layer({ filename: "/var/lib/my-app/ledger.sqlite" }))
 * )
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: Options = {}): Layer.Layer<LedgerStore, LedgerStoreError | LedgerConfigError> =>
  Layer.effect(LedgerStore, make(options))
