/**
 * The request ledger: one entry per attempt of every MWS request, kept 30
 * days and found in a second. `record` validates an entry and hands it to a
 * background writer that commits batches to the store off the request path;
 * `flush` and the end of the ledger's scope write everything pending, and
 * the `sync` durability mode commits before `record` returns. Queries find
 * entries by request id, call, time, operation, code, class and seller, pick
 * the best example of an error for support, export, and count.
 *
 * @since 0.1.0
 */
import { Clock, Context, Duration, Effect, Fiber, Layer, Option, Result, type Scope, Stream } from "effect"
import { awaitAtMost, bounded, noAnswerError } from "./internal/bounded.ts"
import { Writer } from "./internal/writer.ts"
import * as LedgerEntry from "./LedgerEntry.ts"
import * as LedgerError from "./LedgerError.ts"
import * as LedgerExport from "./LedgerExport.ts"
import * as LedgerQuery from "./LedgerQuery.ts"
import * as LedgerSpill from "./LedgerSpill.ts"
import { LedgerStore } from "./LedgerStore.ts"
import * as Retention from "./Retention.ts"
import * as SupportTicket from "./SupportTicket.ts"

/**
 * When `record` returns:
 *
 * - `batched` (default): once the entry is in the buffer; the background
 *   writer commits it within the flush interval (or as soon as a batch is
 *   full). A crash loses at most the entries of that window.
 * - `sync`: once the store has committed the entry (concurrent callers share
 *   a transaction). A crash loses nothing `record` acknowledged.
 *
 * @category models
 * @since 0.1.0
 */
export type Durability = "batched" | "sync"

/**
 * Entries per write transaction. The storage reference (§2.2) measured
 * node:sqlite at 56,500 rows/s with 1,000 rows per `BEGIN IMMEDIATE`
 * transaction against 5,200 in autocommit; 5,000-row transactions measured
 * only about 17% faster here while holding the write lock and the buffer
 * five times longer. The PostgreSQL store splits a batch into statements
 * within @effect/sql-pg's 32,767 bind parameters.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_BATCH_SIZE = 1_000

/**
 * How long the writer lets a batch fill before writing it: the most a crash
 * loses in `batched` mode. 200 ms is invisible next to MWS request times
 * (hundreds of milliseconds) and still batches ~10,000 entries at 50,000/s.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_FLUSH_INTERVAL: Duration.Duration = Duration.millis(200)

/**
 * The most entries waiting for the store. Past it, `record` fails with
 * `LedgerBufferFull` rather than grow without bound: 100,000 entries (about
 * 100 MB at the 1 KB a full entry takes in memory) is two seconds at the
 * benchmark's 50,000 records/s, or more than a day of one request a second.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MAX_BUFFERED = 100_000

/**
 * The first wait before writing a failed batch again; it doubles per failure
 * up to {@link RETRY_MAX}.
 *
 * @category constants
 * @since 0.1.0
 */
export const RETRY_BASE: Duration.Duration = Duration.millis(100)

/**
 * The longest wait between two attempts to write a failed batch: a store
 * that comes back is written to within 5 seconds.
 *
 * @category constants
 * @since 0.1.0
 */
export const RETRY_MAX: Duration.Duration = Duration.seconds(5)

/**
 * Write attempts at scope close when the store is failing. Closing must end:
 * after these attempts the ledger logs how many entries it could not write
 * (never a silent drop) and closes.
 *
 * @category constants
 * @since 0.1.0
 */
export const SHUTDOWN_WRITE_ATTEMPTS = 3

/**
 * The most one store write may take before the writer counts it as failed
 * (`unavailable`, "no answer within N ms"), keeps its entries in the buffer
 * and retries with the backoff. A PostgreSQL that accepts and never answers
 * otherwise stalls the writer forever (measured before this bound: 2,104 of
 * 3,494 entries unwritten after 90 s, no error, no log). 10 seconds is twice
 * SQLite's busy timeout (5 s, `SqliteStore.BUSY_TIMEOUT`), so a write waiting
 * for another process's lock fails as `busy` by itself first, and over 100
 * times the slowest 1,000-row batch the benchmark measured (about 60 ms on
 * PostgreSQL).
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_WRITE_TIMEOUT: Duration.Duration = Duration.seconds(10)

/**
 * The most closing the ledger waits for the store to take what is pending.
 * When it runs out (or the shutdown attempts fail first), the entries left
 * go to a spill file (see `LedgerSpill`). 15 seconds is half of Kubernetes'
 * default termination grace period (30 s), leaving the other half to the
 * rest of the application.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_CLOSE_TIMEOUT: Duration.Duration = Duration.seconds(15)

/**
 * Entries per page when exporting: one query of at most this many rows at a
 * time, so an export of any size runs in bounded memory.
 *
 * @category constants
 * @since 0.1.0
 */
export const EXPORT_PAGE_SIZE = 1_000

/**
 * Ledger settings. Every one is optional:
 *
 * - `durability`: `"batched"` (default) or `"sync"`, see {@link Durability};
 * - `batchSize`, `flushInterval`, `maxBuffered`: the writer's batch, window
 *   and bound ({@link DEFAULT_BATCH_SIZE}, {@link DEFAULT_FLUSH_INTERVAL},
 *   {@link DEFAULT_MAX_BUFFERED});
 * - `retryBase`, `retryMax`: the backoff when the store fails;
 * - `retention`, `allowShorterRetention`, `pruneInterval`, `backgroundPrune`:
 *   see `Retention`;
 * - `allowParams`: more request parameter names to keep besides
 *   `LedgerEntry.ALLOWED_PARAMS` (credential names are refused);
 * - `writeTimeout` (since 0.2.0): the bound on one store write
 *   ({@link DEFAULT_WRITE_TIMEOUT});
 * - `closeTimeout` (since 0.2.0): the bound on closing
 *   ({@link DEFAULT_CLOSE_TIMEOUT});
 * - `spillDirectory` (since 0.2.0): where the spill file goes when the
 *   store has no directory of its own (SQLite spills next to its file);
 *   default: the OS temp dir;
 * - `onSpill` (since 0.2.0): called at close when entries were spilled,
 *   with the file's path (or `undefined` when even the file could not be
 *   written), the count and the RequestIds.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options extends Retention.RetentionOptions {
  readonly writeTimeout?: Duration.Input | undefined
  readonly closeTimeout?: Duration.Input | undefined
  readonly spillDirectory?: string | undefined
  readonly onSpill?: ((report: LedgerSpill.SpillReport) => Effect.Effect<void>) | undefined
  readonly durability?: Durability | undefined
  readonly batchSize?: number | undefined
  readonly flushInterval?: Duration.Input | undefined
  readonly maxBuffered?: number | undefined
  readonly retryBase?: Duration.Input | undefined
  readonly retryMax?: Duration.Input | undefined
  readonly allowParams?: ReadonlyArray<string> | undefined
}

/**
 * A query without `limit`, for exports and listings that page through
 * everything that matches.
 *
 * @category models
 * @since 0.1.0
 */
export type ExportQuery = Omit<LedgerQuery.LedgerQuery, "limit">

/**
 * The best example of an error, with everything support needs: the entry,
 * the attempts of its call, and the ready-to-paste block.
 *
 * @category models
 * @since 0.1.0
 */
export interface BestExample {
  readonly entry: LedgerEntry.LedgerEntry
  readonly attempts: ReadonlyArray<LedgerEntry.LedgerEntry>
  readonly ticket: string
}

/**
 * What `importJsonLines` did: `imported` entries were read from `path` and
 * committed to the store (those already there, by entry id, were left as
 * they were: importing twice adds nothing).
 *
 * @category models
 * @since 0.2.0
 */
export interface ImportResult {
  readonly path: string
  readonly imported: number
}

/**
 * What a ledger does.
 *
 * @category models
 * @since 0.1.0
 */
export interface LedgerShape {
  /** The durability mode this ledger runs in. */
  readonly durability: Durability
  /**
   * Records one attempt and returns the stored entry (with its `entryId` and
   * `recordedAt`). Batched mode returns once the entry is buffered; sync mode
   * once it is committed.
   */
  readonly record: (input: LedgerEntry.RecordInput) => Effect.Effect<LedgerEntry.LedgerEntry, LedgerError.RecordError>
  /**
   * Records a write-ahead row for an attempt about to be sent, with outcome
   * `in-flight`, and returns it (its `entryId` and `recordedAt` identify the
   * attempt). Complete it with {@link LedgerShape.complete}; an `in-flight`
   * row left in the ledger is an attempt whose end nobody saw. Honours the
   * durability mode like `record`.
   *
   * @since 0.2.0
   */
  readonly begin: (input: LedgerEntry.BeginInput) => Effect.Effect<LedgerEntry.LedgerEntry, LedgerError.RecordError>
  /**
   * Records the final state of an attempt `begin` returned: the same
   * `entryId` and `recordedAt`, the outcome and what the answer told. The
   * store replaces the `in-flight` row with it. Fails with
   * `LedgerEntryInvalid` when `begun` is not an `in-flight` entry.
   *
   * @since 0.2.0
   */
  readonly complete: (
    begun: LedgerEntry.LedgerEntry,
    input: LedgerEntry.CompleteInput
  ) => Effect.Effect<LedgerEntry.LedgerEntry, LedgerError.RecordError>
  /**
   * Writes the entries of a spill file (or a JSON Lines export) into the
   * store. Every line is decoded first: a bad line fails with
   * `LedgerImportError` naming it, and nothing is written. Writes are
   * idempotent by entry id, so importing a file twice adds nothing.
   *
   * @since 0.2.0
   */
  readonly importJsonLines: (
    path: string
  ) => Effect.Effect<ImportResult, LedgerError.LedgerImportError | LedgerError.LedgerStoreError>
  /** Waits until everything recorded before the call is committed. */
  readonly flush: Effect.Effect<void, LedgerError.LedgerStoreError | LedgerError.LedgerClosed>
  /** A new time-ordered call id, to tie the attempts of one call together. */
  readonly newCallId: Effect.Effect<string>
  /** Entries recorded but not committed yet. */
  readonly pending: Effect.Effect<number>
  /** The entries with this request id (normally one), newest first. */
  readonly byRequestId: (
    requestId: string
  ) => Effect.Effect<ReadonlyArray<LedgerEntry.LedgerEntry>, LedgerError.LedgerStoreError>
  /** The entries that match a query. */
  readonly find: (
    query: LedgerQuery.LedgerQuery
  ) => Effect.Effect<
    ReadonlyArray<LedgerEntry.LedgerEntry>,
    LedgerError.LedgerStoreError | LedgerError.LedgerConfigError
  >
  /** The attempts of one logical call, by attempt number. */
  readonly attempts: (
    callId: string
  ) => Effect.Effect<ReadonlyArray<LedgerEntry.LedgerEntry>, LedgerError.LedgerStoreError>
  /** Calls that gave up after their last retry (needing manual follow-up), newest first. */
  readonly gaveUp: (
    query?: Omit<LedgerQuery.LedgerQuery, "outcome">
  ) => Effect.Effect<
    ReadonlyArray<LedgerEntry.LedgerEntry>,
    LedgerError.LedgerStoreError | LedgerError.LedgerConfigError
  >
  /**
   * The best example of an error code or class: the most recent entry with
   * both a RequestId and the request's Timestamp, its call's attempts and the
   * support block. `None` when the ledger has no such entry.
   */
  readonly bestExample: (
    match: SupportTicket.ExampleMatch
  ) => Effect.Effect<Option.Option<BestExample>, LedgerError.LedgerStoreError>
  /** Counts by outcome, code, class and operation over a window (default: everything kept). */
  readonly stats: (window?: {
    readonly from?: LedgerQuery.TimeInput | undefined
    readonly to?: LedgerQuery.TimeInput | undefined
  }) => Effect.Effect<LedgerQuery.LedgerStats, LedgerError.LedgerStoreError | LedgerError.LedgerConfigError>
  /** The entries that match, oldest first unless the query says otherwise, as JSON Lines (one line per element). */
  readonly exportJsonLines: (
    query?: ExportQuery
  ) => Stream.Stream<string, LedgerError.LedgerStoreError | LedgerError.LedgerConfigError>
  /** The entries that match as CSV: the header line, then one record per element, each ending in CRLF. */
  readonly exportCsv: (
    query?: ExportQuery,
    options?: LedgerExport.CsvOptions
  ) => Stream.Stream<string, LedgerError.LedgerStoreError | LedgerError.LedgerConfigError>
  /** Removes every entry older than the retention now. */
  readonly prune: Effect.Effect<Retention.PruneResult, LedgerError.LedgerStoreError>
  /** What the last prune (background or on demand) did, if one ran. */
  readonly lastPrune: Effect.Effect<Option.Option<Retention.PruneResult>>
}

/**
 * The ledger service. Build it with {@link layer} over a store layer.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Ledger, SqliteStore } from "@mws-kit/request-ledger"
 *
 * const LedgerLive = Ledger.layer().pipe(Layer.provide(SqliteStore.layer()))
 *
 * const program = Effect.gen(function* () {
 *   const ledger = yield* Ledger.Ledger
 *   yield* ledger.record({ section: "Orders", operation: "ListOrders", sellerId: "A2EXAMPLE", attempt: 1,
 *     callId: yield* ledger.newCallId, durationMs: 412, outcome: "success", requestId: "b7afc6c3-...",
 *     requestTimestamp: "2026-11-25T10:00:00Z", httpStatus: 200 })
 * }).pipe(Effect.provide(LedgerLive))
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export class Ledger extends Context.Service<Ledger, LedgerShape>()("@mws-kit/request-ledger/Ledger") {
  /** The ledger over the `LedgerStore` in context; see {@link layer}. */
  static readonly layer = (options?: Options): Layer.Layer<Ledger, LedgerError.LedgerConfigError, LedgerStore> =>
    layer(options)
}

const positiveInt = (setting: string, value: number): Result.Result<number, LedgerError.LedgerConfigError> =>
  Number.isSafeInteger(value) && value >= 1
    ? Result.succeed(value)
    : Result.fail(new LedgerError.LedgerConfigError({ setting, detail: "must be a positive integer" }))

const durationMillis = (
  setting: string,
  input: Duration.Input,
  minimum: number
): Result.Result<number, LedgerError.LedgerConfigError> => {
  const duration = Duration.fromInput(input)
  const millis = Option.isSome(duration) ? Duration.toMillis(duration.value) : Number.NaN
  return Number.isFinite(millis) && millis >= minimum
    ? Result.succeed(millis)
    : Result.fail(
        new LedgerError.LedgerConfigError({ setting, detail: `must be a finite duration of at least ${minimum} ms` })
      )
}

interface Settings {
  readonly durability: Durability
  readonly batchSize: number
  readonly flushIntervalMillis: number
  readonly maxBuffered: number
  readonly retryBaseMillis: number
  readonly retryMaxMillis: number
  readonly writeTimeoutMillis: number
  readonly closeTimeoutMillis: number
  readonly retention: Retention.RetentionPolicy
  readonly allowed: LedgerEntry.ParamAllowList
}

const settings = (options: Options): Result.Result<Settings, LedgerError.LedgerConfigError> =>
  Result.gen(function* () {
    const durability = options.durability ?? "batched"
    if (durability !== "batched" && durability !== "sync") {
      return yield* Result.fail(
        new LedgerError.LedgerConfigError({ setting: "durability", detail: 'must be "batched" or "sync"' })
      )
    }
    const batchSize = yield* positiveInt("batchSize", options.batchSize ?? DEFAULT_BATCH_SIZE)
    const maxBuffered = yield* positiveInt("maxBuffered", options.maxBuffered ?? DEFAULT_MAX_BUFFERED)
    const flushIntervalMillis = yield* durationMillis(
      "flushInterval",
      options.flushInterval ?? DEFAULT_FLUSH_INTERVAL,
      0
    )
    const retryBaseMillis = yield* durationMillis("retryBase", options.retryBase ?? RETRY_BASE, 1)
    const retryMaxMillis = yield* durationMillis("retryMax", options.retryMax ?? RETRY_MAX, retryBaseMillis)
    const writeTimeoutMillis = yield* durationMillis("writeTimeout", options.writeTimeout ?? DEFAULT_WRITE_TIMEOUT, 1)
    const closeTimeoutMillis = yield* durationMillis("closeTimeout", options.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT, 0)
    const retention = yield* Retention.resolve(options)
    const extra = options.allowParams ?? []
    const refused = extra.filter(LedgerEntry.isNeverStored)
    if (refused.length > 0) {
      return yield* Result.fail(
        new LedgerError.LedgerConfigError({
          setting: "allowParams",
          detail: `credential parameters are never stored: ${refused.join(", ")}`
        })
      )
    }
    const allowed = new Set([...LedgerEntry.ALLOWED_PARAMS, ...extra])
    return {
      durability,
      batchSize,
      flushIntervalMillis,
      maxBuffered,
      retryBaseMillis,
      retryMaxMillis,
      writeTimeoutMillis,
      closeTimeoutMillis,
      retention,
      allowed
    }
  })

/**
 * Builds a ledger over the `LedgerStore` in context, in a scope: the
 * background writer and the prune fiber run until the scope closes, and
 * closing writes everything pending first. Invalid settings fail with
 * `LedgerConfigError` naming the setting.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function* (
  options: Options = {}
): Effect.fn.Return<LedgerShape, LedgerError.LedgerConfigError, LedgerStore | Scope.Scope> {
  const config = settings(options)
  if (Result.isFailure(config)) return yield* config.failure
  const { durability, allowed } = config.success
  const store = yield* LedgerStore
  const clock = yield* Clock.Clock

  const writer = new Writer({
    store: store.kind,
    batchSize: config.success.batchSize,
    flushIntervalMillis: config.success.flushIntervalMillis,
    maxBuffered: config.success.maxBuffered,
    retryBaseMillis: config.success.retryBaseMillis,
    retryMaxMillis: config.success.retryMaxMillis,
    shutdownAttempts: SHUTDOWN_WRITE_ATTEMPTS,
    writeTimeoutMillis: config.success.writeTimeoutMillis,
    write: store.write
  })
  let closed = false

  // recordedAt as ISO text: under load many entries share a millisecond, so
  // the last conversion is reused.
  let lastMillis = Number.NaN
  let lastIso = ""
  const isoAt = (millis: number): string => {
    if (millis !== lastMillis) {
      lastMillis = millis
      lastIso = new Date(millis).toISOString()
    }
    return lastIso
  }

  const bufferFull = Effect.suspend(() => {
    const error = new LedgerError.LedgerBufferFull({
      capacity: config.success.maxBuffered,
      ...(writer.lastError === undefined ? {} : { lastStoreError: writer.lastError.message })
    })
    if (writer.fullLogged) return Effect.fail(error)
    writer.fullLogged = true
    return Effect.andThen(Effect.logError(`request-ledger: ${error.message}; record refused`), Effect.fail(error))
  })

  const closedError = Effect.fail(new LedgerError.LedgerClosed())

  const enqueue = (
    built: Result.Result<LedgerEntry.LedgerEntry, LedgerError.LedgerEntryInvalid>
  ): Effect.Effect<LedgerEntry.LedgerEntry, LedgerError.RecordError> => {
    if (Result.isFailure(built)) return Effect.fail(built.failure)
    const entry = built.success
    if (!writer.offer(entry)) return bufferFull
    if (durability === "batched") return Effect.succeed(entry)
    return Effect.as(writer.awaitCommit(writer.enqueued), entry)
  }

  // Hot path: no span, no generator. Batched mode costs an id, a clock read,
  // the field checks and an array push.
  const record = (input: LedgerEntry.RecordInput): Effect.Effect<LedgerEntry.LedgerEntry, LedgerError.RecordError> =>
    Effect.suspend((): Effect.Effect<LedgerEntry.LedgerEntry, LedgerError.RecordError> => {
      if (closed) return closedError
      const millis = clock.currentTimeMillisUnsafe()
      return enqueue(LedgerEntry.make(input, LedgerEntry.newId(millis), isoAt(millis), allowed))
    })

  const begin = (input: LedgerEntry.BeginInput): Effect.Effect<LedgerEntry.LedgerEntry, LedgerError.RecordError> =>
    record({ ...input, durationMs: input.durationMs ?? 0, outcome: "in-flight" })

  const complete = (
    begun: LedgerEntry.LedgerEntry,
    input: LedgerEntry.CompleteInput
  ): Effect.Effect<LedgerEntry.LedgerEntry, LedgerError.RecordError> =>
    Effect.suspend((): Effect.Effect<LedgerEntry.LedgerEntry, LedgerError.RecordError> => {
      if (closed) return closedError
      if (begun?.outcome !== "in-flight") {
        return Effect.fail(
          new LedgerError.LedgerEntryInvalid({ issue: "complete takes the in-flight entry that begin returned" })
        )
      }
      if ((input?.outcome as string) === "in-flight") {
        return Effect.fail(new LedgerError.LedgerEntryInvalid({ issue: "complete needs a final outcome" }))
      }
      return enqueue(
        LedgerEntry.make(LedgerEntry.completedInput(begun, input), begun.entryId, begun.recordedAt, allowed)
      )
    })

  const importJsonLines = Effect.fn("Ledger.importJsonLines")(function* (path: string) {
    const entries = yield* LedgerSpill.read(path)
    const size = config.success.batchSize
    for (let at = 0; at < entries.length; at += size) {
      yield* bounded(
        store.write(entries.slice(at, at + size)),
        config.success.writeTimeoutMillis,
        noAnswerError(store.kind, "import", config.success.writeTimeoutMillis)
      )
    }
    return { path, imported: entries.length } satisfies ImportResult
  })

  const flush = Effect.suspend(
    (): Effect.Effect<void, LedgerError.LedgerStoreError | LedgerError.LedgerClosed> =>
      closed ? closedError : writer.awaitCommit(writer.enqueued)
  ).pipe(Effect.withSpan("Ledger.flush"))

  const newCallId = Effect.sync(() => LedgerEntry.newId(clock.currentTimeMillisUnsafe()))

  const runQuery = (
    query: LedgerQuery.LedgerQuery,
    after?: LedgerQuery.Cursor
  ): Effect.Effect<
    ReadonlyArray<LedgerEntry.LedgerEntry>,
    LedgerError.LedgerStoreError | LedgerError.LedgerConfigError
  > => {
    const normalized = LedgerQuery.normalize(query, after)
    return Result.isFailure(normalized) ? Effect.fail(normalized.failure) : store.find(normalized.success)
  }

  // Queries the ledger builds itself are valid by construction.
  const internalQuery = (
    query: LedgerQuery.LedgerQuery
  ): Effect.Effect<ReadonlyArray<LedgerEntry.LedgerEntry>, LedgerError.LedgerStoreError> => {
    const normalized = LedgerQuery.normalize(query)
    return Result.isFailure(normalized) ? Effect.die(normalized.failure) : store.find(normalized.success)
  }

  const find = Effect.fn("Ledger.find")(function* (query: LedgerQuery.LedgerQuery) {
    return yield* runQuery(query)
  })

  const byRequestId = Effect.fn("Ledger.byRequestId")(function* (requestId: string) {
    return yield* internalQuery({ requestId })
  })

  const attemptsOf = (callId: string) =>
    Effect.map(internalQuery({ callId, order: "oldest", limit: LedgerQuery.MAX_LIMIT }), (found) =>
      [...found].sort((a, b) => a.attempt - b.attempt)
    )

  const attempts = Effect.fn("Ledger.attempts")(function* (callId: string) {
    return yield* attemptsOf(callId)
  })

  const gaveUp = Effect.fn("Ledger.gaveUp")(function* (query: Omit<LedgerQuery.LedgerQuery, "outcome"> = {}) {
    return yield* runQuery({ ...query, outcome: "gave-up" })
  })

  const bestExample = Effect.fn("Ledger.bestExample")(function* (match: SupportTicket.ExampleMatch) {
    const found = yield* internalQuery({
      ...("errorCode" in match ? { errorCode: match.errorCode } : { errorClass: match.errorClass }),
      complete: true,
      limit: 1
    })
    const entry = found[0]
    if (entry === undefined) return Option.none<BestExample>()
    const calls = yield* attemptsOf(entry.callId)
    const attemptsOfCall = calls.length > 0 ? calls : [entry]
    return Option.some<BestExample>({
      entry,
      attempts: attemptsOfCall,
      ticket: SupportTicket.render(entry, attemptsOfCall)
    })
  })

  const stats = Effect.fn("Ledger.stats")(function* (
    window: { readonly from?: LedgerQuery.TimeInput | undefined; readonly to?: LedgerQuery.TimeInput | undefined } = {}
  ) {
    const normalized = LedgerQuery.normalize({ from: window.from, to: window.to })
    if (Result.isFailure(normalized)) return yield* normalized.failure
    const range = { fromMillis: normalized.success.fromMillis, toMillis: normalized.success.toMillis }
    return LedgerQuery.foldStats(range, yield* store.stats(range))
  })

  const pages = (query: ExportQuery) =>
    Stream.paginate(undefined as LedgerQuery.Cursor | undefined, (after) =>
      Effect.map(runQuery({ order: "oldest", ...query, limit: EXPORT_PAGE_SIZE }, after), (page) => {
        const last = page.at(-1)
        const next =
          page.length < EXPORT_PAGE_SIZE || last === undefined
            ? Option.none<LedgerQuery.Cursor | undefined>()
            : Option.some<LedgerQuery.Cursor | undefined>({
                recordedAtMillis: Date.parse(last.recordedAt),
                entryId: last.entryId
              })
        return [page, next] as const
      })
    )

  const exportJsonLines = (query: ExportQuery = {}) =>
    Stream.map(pages(query), (entry) => `${LedgerExport.toJsonLine(entry)}\n`)

  const exportCsv = (query: ExportQuery = {}, csv: LedgerExport.CsvOptions = {}) =>
    Stream.concat(
      Stream.succeed(`${LedgerExport.csvHeader}\r\n`),
      Stream.map(pages(query), (entry) => `${LedgerExport.toCsvRow(entry, csv)}\r\n`)
    )

  let lastPruneResult = Option.none<Retention.PruneResult>()
  const prune = Effect.gen(function* () {
    const now = clock.currentTimeMillisUnsafe()
    const cutoff = Retention.cutoff(now, config.success.retention)
    const removed = yield* store.prune({
      cutoffMillis: cutoff,
      retentionMillis: config.success.retention.retentionMillis
    })
    const result: Retention.PruneResult = {
      prunedAt: new Date(now).toISOString(),
      cutoff: new Date(cutoff).toISOString(),
      removed
    }
    lastPruneResult = Option.some(result)
    return result
  }).pipe(Effect.withSpan("Ledger.prune"))

  // What the store did not take by close goes to a spill file (next to the
  // SQLite file, else spillDirectory, else the temp dir); if no file can be
  // written, every entry's RequestId, Timestamp, operation and call id go to
  // the error log. Either way onSpill hears of it.
  const spill = (entries: ReadonlyArray<LedgerEntry.LedgerEntry>, reason: string) =>
    Effect.gen(function* () {
      const requestIds = entries.flatMap((entry) => (entry.requestId === null ? [] : [entry.requestId]))
      const dirs = LedgerSpill.directories(store.spillDirectory, options.spillDirectory)
      const written = yield* Effect.result(LedgerSpill.write(dirs, entries, clock.currentTimeMillisUnsafe()))
      const head = `request-ledger: closing with ${entries.length} entries the store did not accept (${reason})`
      let path: string | undefined
      if (Result.isSuccess(written)) {
        path = written.success
        yield* Effect.logError(
          `${head}; spilled to ${path} (import it with Ledger.importJsonLines or \`mws ledger import ${path}\`). ` +
            `RequestIds: ${requestIds.length === 0 ? "(none)" : requestIds.join(", ")}`
        )
      } else {
        yield* Effect.logError(
          `${head}; no spill file could be written (${written.failure}). The entries, as a last resort:\n` +
            LedgerSpill.lastResortLines(entries)
        )
      }
      if (options.onSpill !== undefined) {
        const report: LedgerSpill.SpillReport = { path, entries: entries.length, requestIds, reason }
        yield* Effect.catchCause(options.onSpill(report), (cause) =>
          Effect.logError("request-ledger: onSpill failed", cause)
        )
      }
    })

  // The background writer. Closing the scope closes the ledger to new
  // records, then waits for the writer to drain, at most closeTimeout (and
  // it gives up on a failing store after SHUTDOWN_WRITE_ATTEMPTS); what is
  // left is spilled, never dropped.
  const writerFiber = yield* Effect.forkScoped(writer.run)
  yield* Effect.addFinalizer(() =>
    Effect.gen(function* () {
      closed = true
      writer.close()
      const closeMillis = config.success.closeTimeoutMillis
      const ended = yield* awaitAtMost(writerFiber, closeMillis)
      let reason: string
      if (Option.isNone(ended)) {
        yield* Effect.forkDetach(Fiber.interrupt(writerFiber))
        reason = `the close timeout of ${closeMillis} ms ran out: ${writer.lastError?.message ?? "the store did not answer"}`
      } else {
        const outcome = ended.value._tag === "Success" ? ended.value.value : undefined
        reason = `after ${SHUTDOWN_WRITE_ATTEMPTS} attempts: ${outcome?.lastError?.message ?? writer.lastError?.message ?? "unknown error"}`
      }
      const left = writer.uncommitted()
      if (left.length > 0) yield* spill(left, reason)
    })
  )

  if (config.success.retention.backgroundPrune) {
    const interval = Duration.millis(config.success.retention.pruneIntervalMillis)
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.andThen(
          Effect.catch(prune, (error) =>
            Effect.logWarning(`request-ledger: background prune failed: ${error.message}`)
          ),
          Effect.sleep(interval)
        )
      )
    )
  }

  return {
    durability,
    record,
    begin,
    complete,
    importJsonLines,
    flush,
    newCallId,
    pending: Effect.sync(() => writer.pending),
    byRequestId,
    find,
    attempts,
    gaveUp,
    bestExample,
    stats,
    exportJsonLines,
    exportCsv,
    prune,
    lastPrune: Effect.sync(() => lastPruneResult)
  } satisfies LedgerShape
})

/**
 * The ledger over the `LedgerStore` in context. Fails to build with
 * `LedgerConfigError` on an invalid setting (a retention under 30 days
 * without `allowShorterRetention: true`, a zero batch size...).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Ledger, MemoryStore, SqliteStore } from "@mws-kit/request-ledger"
 *
 * const Embedded = Ledger.layer().pipe(Layer.provide(SqliteStore.layer()))
 * const Durable = Ledger.layer({ durability: "sync" }).pipe(Layer.provide(SqliteStore.layer({ filename: "/var/lib/app/ledger.sqlite" })))
 * const ForTests = Ledger.layer().pipe(Layer.provide(MemoryStore.layer))
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: Options = {}): Layer.Layer<Ledger, LedgerError.LedgerConfigError, LedgerStore> =>
  Layer.effect(
    Ledger,
    Effect.map(make(options), (shape) => Ledger.of(shape))
  )
