/**
 * Benchmark: the ledger against raw inserts on the same stores, in one run.
 * Prints the figures and writes bench-results/request-ledger.json.
 *
 *   npx -y pnpm@12.4.2 --filter @mws-kit/request-ledger bench
 *
 * - Sustained record rate, SQLite: `record` + `flush` through the ledger
 *   (defaults: batched, 1,000-entry batches, the worker-thread writer)
 *   against a raw baseline on the same store: a prepared node:sqlite insert
 *   loop, 1,000 rows per `BEGIN IMMEDIATE` transaction, into a file with the
 *   same schema, indexes and pragmas, from rows built before the clock starts.
 *   Fresh files, interleaved rounds, median.
 * - Sustained record rate, PostgreSQL (MWS_KIT_PG_URL, default
 *   postgres://postgres@127.0.0.1:5432/test; skipped with a note when it
 *   cannot be reached): the ledger with PgStore against plain multi-row
 *   INSERTs of 1,000 rows through the same client, into the same table.
 * - The cost of `record` on the caller's path: rounds of 10,000 calls with the
 *   writer held back (no write runs inside the timed loop), median per call.
 * - Lookup by request id at 1,000,000 rows: `byRequestId` for 10,000 random
 *   stored ids, p50 and p99.
 * - Pruning one day of 100,000 rows (next to 100,000 younger ones): the
 *   longest event-loop stall while it runs (perf_hooks
 *   monitorEventLoopDelay), how long it takes, the longest wait of a
 *   sync-mode record made during it, and the longest single delete
 *   transaction (the time the write lock is held) timed on a copy of the file.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { monitorEventLoopDelay } from "node:perf_hooks"
import { DatabaseSync } from "node:sqlite"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Fiber, Layer, Redacted, Result } from "effect"
import { SqlClient } from "effect/sql"
import { writeBenchResult } from "../../../scripts/bench-results.ts"
import { Ledger, LedgerEntry, LedgerStore, SqliteStore } from "../src/index.ts"
import {
  entryValues,
  INSERT_COLUMNS,
  MIGRATIONS,
  migrate,
  PRUNE_CHUNK_SQL,
  TABLE
} from "../src/internal/sqliteSchema.ts"
import * as PgStore from "../src/PgStore.ts"

const PG_URL = process.env.MWS_KIT_PG_URL?.trim() || "postgres://postgres@127.0.0.1:5432/test"
const RATE_RECORDS = 100_000
const RATE_ROUNDS = 3
const PG_RATE_RECORDS = 50_000
const CALL_ROUNDS = 30
const CALL_BATCH = 10_000
const LOOKUP_ROWS = 1_000_000
const LOOKUPS = 10_000
const PRUNE_ROWS = 100_000
const BATCH = Ledger.DEFAULT_BATCH_SIZE
const DAY = 86_400_000

const dir = mkdtempSync(join(tmpdir(), "mws-ledger-bench-"))
process.on("exit", () => rmSync(dir, { recursive: true, force: true }))
let fileCounter = 0
const freshFile = () => join(dir, `ledger-${fileCounter++}.sqlite`)
const removeFile = (file: string) => {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true })
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
const percentile = (values: ReadonlyArray<number>, p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits

/** Realistic inputs: 90% successes, 10% throttled retries with a message; random request ids. */
const makeInputs = (count: number): Array<LedgerEntry.RecordInput> =>
  Array.from({ length: count }, (_, i) => {
    const failed = i % 10 === 0
    return {
      requestId: crypto.randomUUID(),
      requestTimestamp: new Date().toISOString(),
      serverTimestamp: new Date().toISOString(),
      section: "Orders",
      operation: "ListOrders",
      sellerId: "A2EXAMPLE",
      marketplace: "ATVPDKIKX0DER",
      httpStatus: failed ? 503 : 200,
      errorCode: failed ? "RequestThrottled" : null,
      errorClass: failed ? "throttled" : null,
      errorType: failed ? "Sender" : null,
      message: failed ? "Request is throttled" : null,
      attempt: 1,
      callId: LedgerEntry.newId(Date.now()),
      durationMs: 120 + (i % 300),
      outcome: failed ? "retried" : "success",
      quotaMax: 6,
      quotaRemaining: 5,
      params: { MarketplaceId: "ATVPDKIKX0DER", Signature: "never stored" }
    }
  })

// -- SQLite: sustained record rate -------------------------------------------

const openRaw = (file: string) => {
  const db = new DatabaseSync(file)
  db.exec(`PRAGMA busy_timeout = 5000`)
  db.exec("PRAGMA journal_mode = WAL")
  db.exec("PRAGMA synchronous = FULL")
  db.exec(`PRAGMA wal_autocheckpoint = ${SqliteStore.WAL_AUTOCHECKPOINT_PAGES}`)
  migrate(db)
  return db
}

const toEntries = (inputs: ReadonlyArray<LedgerEntry.RecordInput>) =>
  inputs.map((input) =>
    Result.getOrThrow(LedgerEntry.make(input, LedgerEntry.newId(Date.now()), new Date().toISOString()))
  )

const rawSqliteRate = (inputs: ReadonlyArray<LedgerEntry.RecordInput>): number => {
  const file = freshFile()
  const db = openRaw(file)
  const rows = toEntries(inputs).map(entryValues)
  const insert = db.prepare(
    `INSERT INTO ${TABLE} (${INSERT_COLUMNS.join(", ")}) VALUES (${INSERT_COLUMNS.map(() => "?").join(", ")})`
  )
  const started = performance.now()
  for (let at = 0; at < rows.length; at += BATCH) {
    db.exec("BEGIN IMMEDIATE")
    for (let i = at; i < Math.min(at + BATCH, rows.length); i++) insert.run(...rows[i]!)
    db.exec("COMMIT")
  }
  const seconds = (performance.now() - started) / 1000
  db.close()
  removeFile(file)
  return rows.length / seconds
}

const ledgerRate = (
  inputs: ReadonlyArray<LedgerEntry.RecordInput>,
  store: Layer.Layer<LedgerStore.LedgerStore, unknown>
): Promise<number> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const context = yield* Layer.build(Ledger.layer({ backgroundPrune: false }).pipe(Layer.provide(store)))
        const ledger = Context.get(context, Ledger.Ledger)
        const started = performance.now()
        for (const input of inputs) yield* ledger.record(input)
        yield* ledger.flush
        return inputs.length / ((performance.now() - started) / 1000)
      })
    )
  )

const sqliteLedgerRate = async (inputs: ReadonlyArray<LedgerEntry.RecordInput>) => {
  const file = freshFile()
  const rate = await ledgerRate(inputs, SqliteStore.layer({ filename: file }))
  removeFile(file)
  return rate
}

console.log(`SQLite: ${RATE_RECORDS} records per round, ${RATE_ROUNDS} interleaved rounds`)
const sqliteRaw: Array<number> = []
const sqliteLedger: Array<number> = []
for (let r = 0; r < RATE_ROUNDS; r++) {
  const inputs = makeInputs(RATE_RECORDS)
  if (r % 2 === 0) {
    sqliteRaw.push(rawSqliteRate(inputs))
    sqliteLedger.push(await sqliteLedgerRate(inputs))
  } else {
    sqliteLedger.push(await sqliteLedgerRate(inputs))
    sqliteRaw.push(rawSqliteRate(inputs))
  }
  console.log(`  round ${r + 1}: raw ${Math.round(sqliteRaw.at(-1)!)}/s, ledger ${Math.round(sqliteLedger.at(-1)!)}/s`)
}

/**
 * A SQLite ledger that writes nothing while a timed loop runs: the batch and
 * the buffer hold `capacity` entries and the flush interval is an hour, so
 * the caller's cost is measured alone.
 */
const quietLedger = (file: string, capacity: number) =>
  Effect.map(
    Layer.build(
      Ledger.layer({
        backgroundPrune: false,
        batchSize: capacity,
        maxBuffered: capacity,
        flushInterval: "1 hour"
      }).pipe(Layer.provide(SqliteStore.layer({ filename: file })))
    ),
    (context) => Context.get(context, Ledger.Ledger)
  )

// -- The caller's path ---------------------------------------------------------

const callCost = await Effect.runPromise(
  Effect.scoped(
    Effect.gen(function* () {
      const file = freshFile()
      const ledger = yield* quietLedger(file, CALL_BATCH * 2)
      const perCall: Array<number> = []
      // One set of inputs for every round (each call still makes a new entry):
      // building inputs is the caller's work, and its garbage should not land
      // in the timed loop.
      const inputs = makeInputs(CALL_BATCH)
      for (let r = 0; r < CALL_ROUNDS; r++) {
        const started = performance.now()
        for (const input of inputs) yield* ledger.record(input)
        perCall.push(((performance.now() - started) * 1000) / CALL_BATCH)
        yield* ledger.flush
      }
      return { median: median(perCall), min: Math.min(...perCall) }
    })
  )
)
console.log(`record on the caller's path: ${round(callCost.median)} µs median (best round ${round(callCost.min)} µs)`)

// -- Write-ahead rows: begin + complete against one record, same run ---------------

const beginInput = (input: LedgerEntry.RecordInput): LedgerEntry.BeginInput => {
  const { outcome: _, durationMs: __, requestId: ___, httpStatus: ____, ...before } = input
  return before
}

const walCost = await Effect.runPromise(
  Effect.scoped(
    Effect.gen(function* () {
      const file = freshFile()
      const ledger = yield* quietLedger(file, CALL_BATCH * 4)
      const inputs = makeInputs(CALL_BATCH)
      const befores = inputs.map(beginInput)
      const single: Array<number> = []
      const pair: Array<number> = []
      for (let r = 0; r < CALL_ROUNDS; r++) {
        let started = performance.now()
        for (const input of inputs) yield* ledger.record(input)
        single.push(((performance.now() - started) * 1000) / CALL_BATCH)
        yield* ledger.flush
        started = performance.now()
        for (let i = 0; i < CALL_BATCH; i++) {
          const begun = yield* ledger.begin(befores[i]!)
          yield* ledger.complete(begun, inputs[i]! as LedgerEntry.CompleteInput)
        }
        pair.push(((performance.now() - started) * 1000) / CALL_BATCH)
        yield* ledger.flush
      }
      return { record: median(single), beginComplete: median(pair) }
    })
  )
)

/** Attempts per second through record, or through begin + complete, with the store writing (SQLite, defaults). */
const walRate = (inputs: ReadonlyArray<LedgerEntry.RecordInput>, writeAhead: boolean): Promise<number> => {
  const file = freshFile()
  const befores = inputs.map(beginInput)
  return Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const context = yield* Layer.build(
          Ledger.layer({ backgroundPrune: false }).pipe(Layer.provide(SqliteStore.layer({ filename: file })))
        )
        const ledger = Context.get(context, Ledger.Ledger)
        const started = performance.now()
        if (writeAhead) {
          for (let i = 0; i < inputs.length; i++) {
            const begun = yield* ledger.begin(befores[i]!)
            yield* ledger.complete(begun, inputs[i]! as LedgerEntry.CompleteInput)
          }
        } else {
          for (const input of inputs) yield* ledger.record(input)
        }
        yield* ledger.flush
        return inputs.length / ((performance.now() - started) / 1000)
      })
    )
  ).finally(() => removeFile(file))
}
const walRecordRates: Array<number> = []
const walPairRates: Array<number> = []
for (let r = 0; r < RATE_ROUNDS; r++) {
  const inputs = makeInputs(RATE_RECORDS / 2)
  walRecordRates.push(await walRate(inputs, false))
  walPairRates.push(await walRate(inputs, true))
}
const walRecordRate = median(walRecordRates)
const walPairRate = median(walPairRates)
console.log(
  `write-ahead rows: begin+complete ${round(walCost.beginComplete)} µs per attempt vs record ${round(walCost.record)} µs ` +
    `(${round(walCost.beginComplete / walCost.record, 2)}x); ${Math.round(walPairRate)} vs ${Math.round(walRecordRate)} attempts/s ` +
    `(${round(walPairRate / walRecordRate, 2)}x)`
)

// -- PostgreSQL: sustained record rate ----------------------------------------

const pgReachable = await Effect.runPromise(
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`SELECT 1`
    return true
  }).pipe(
    Effect.provide(PgClient.layer({ url: Redacted.make(PG_URL), maxConnections: 1, connectTimeout: "3 seconds" })),
    Effect.timeout("5 seconds"),
    Effect.orElseSucceed(() => false)
  )
)

const pgColumns = INSERT_COLUMNS
const pgRates = pgReachable
  ? await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const client = yield* Layer.build(
            PgClient.layer({ url: Redacted.make(PG_URL), maxConnections: PgStore.DEFAULT_MAX_CONNECTIONS })
          )
          const sql = Context.get(client, SqlClient.SqlClient)
          const raw: Array<number> = []
          const viaLedger: Array<number> = []
          for (let r = 0; r < RATE_ROUNDS; r++) {
            const inputs = makeInputs(PG_RATE_RECORDS)
            for (const which of r % 2 === 0 ? ["raw", "ledger"] : ["ledger", "raw"]) {
              const schema = `ledger_bench_${process.pid}_${r}_${which}`
              const store = yield* PgStore.make({ schema }).pipe(Effect.provideContext(client))
              if (which === "raw") {
                const rows = toEntries(inputs).map((e) => {
                  const values = entryValues(e)
                  values[1] = e.recordedAt
                  return values
                })
                const statement = (count: number) =>
                  `INSERT INTO "${schema}"."${PgStore.DEFAULT_TABLE}" (${pgColumns.join(", ")}) VALUES ${Array.from(
                    { length: count },
                    (_, row) =>
                      `(${pgColumns.map((_, column) => `$${row * pgColumns.length + column + 1}`).join(", ")})`
                  ).join(", ")} ON CONFLICT DO NOTHING`
                const full = statement(BATCH)
                const started = performance.now()
                for (let at = 0; at < rows.length; at += BATCH) {
                  const chunk = rows.slice(at, at + BATCH)
                  yield* sql.unsafe(chunk.length === BATCH ? full : statement(chunk.length), chunk.flat())
                }
                raw.push(rows.length / ((performance.now() - started) / 1000))
              } else {
                viaLedger.push(
                  yield* Effect.promise(() => ledgerRate(inputs, Layer.succeed(LedgerStore.LedgerStore, store)))
                )
              }
              yield* sql.unsafe(`DROP SCHEMA "${schema}" CASCADE`)
            }
            console.log(
              `  PG round ${r + 1}: raw ${Math.round(raw.at(-1)!)}/s, ledger ${Math.round(viaLedger.at(-1)!)}/s`
            )
          }
          return { raw: median(raw), ledger: median(viaLedger) }
        })
      )
    )
  : undefined
if (pgRates === undefined) console.log(`PostgreSQL at ${PG_URL} is not reachable: PostgreSQL figures skipped`)

// -- Lookup by request id at 1,000,000 rows --------------------------------------

interface Segment {
  readonly rows: number
  readonly fromMillis: number
  readonly stepMillis: number
  readonly tag: string
}

/** Fills a ledger file fast: rows generated inside SQLite, indexes built after. */
const fillSqlite = (file: string, segments: ReadonlyArray<Segment>) => {
  const db = openRaw(file)
  const indexes = MIGRATIONS[0]!.statements.filter((statement) => statement.startsWith("CREATE INDEX"))
  for (const statement of indexes) db.exec(`DROP INDEX IF EXISTS ${statement.split(" ")[2]}`)
  db.exec("BEGIN")
  const insert = db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
     INSERT INTO ${TABLE} (${INSERT_COLUMNS.join(", ")})
     SELECT printf('%s-%08x', ?, i), ? + i * ?, lower(hex(randomblob(16))), '2026-11-25T10:00:00Z', NULL,
       'Orders', 'ListOrders', 'A2EXAMPLE', 'ATVPDKIKX0DER',
       CASE WHEN i % 10 = 0 THEN 503 ELSE 200 END,
       CASE WHEN i % 10 = 0 THEN 'RequestThrottled' END, NULL,
       CASE WHEN i % 10 = 0 THEN 'throttled' END,
       CASE WHEN i % 10 = 0 THEN 'Request is throttled' END,
       1, printf('call-%s-%08x', ?, i), 150.0, 0.0, NULL, NULL, NULL,
       CASE WHEN i % 10 = 0 THEN 'retried' ELSE 'success' END, '{"MarketplaceId":"ATVPDKIKX0DER"}'
     FROM n`
  )
  for (const { rows, fromMillis, stepMillis, tag } of segments) insert.run(rows, tag, fromMillis, stepMillis, tag)
  db.exec("COMMIT")
  for (const statement of indexes) db.exec(statement)
  db.close()
}

const lookupFile = freshFile()
const started = performance.now()
fillSqlite(lookupFile, [{ rows: LOOKUP_ROWS, fromMillis: Date.now() - 20 * DAY, stepMillis: 1, tag: "lookup" }])
console.log(`filled ${LOOKUP_ROWS} rows in ${round((performance.now() - started) / 1000, 1)} s`)
const sampleDb = new DatabaseSync(lookupFile)
const lookupIds = (
  sampleDb.prepare(`SELECT request_id FROM ${TABLE} ORDER BY random() LIMIT ?`).all(LOOKUPS) as Array<{
    request_id: string
  }>
).map((row) => row.request_id)
sampleDb.close()

const lookup = await Effect.runPromise(
  Effect.scoped(
    Effect.gen(function* () {
      const context = yield* Layer.build(
        Ledger.layer({ backgroundPrune: false }).pipe(Layer.provide(SqliteStore.layer({ filename: lookupFile })))
      )
      const ledger = Context.get(context, Ledger.Ledger)
      for (const id of lookupIds.slice(0, 1000)) yield* ledger.byRequestId(id)
      const times: Array<number> = []
      for (const id of lookupIds) {
        const t = performance.now()
        const found = yield* ledger.byRequestId(id)
        times.push(performance.now() - t)
        if (found.length !== 1) throw new Error(`lookup of ${id} found ${found.length}`)
      }
      return { p50: percentile(times, 50), p99: percentile(times, 99), max: Math.max(...times) }
    })
  )
)
// PRAGMA quick_check, as SqliteStore runs it at open, on the same 1,000,000-row file.
const quickCheckRuns: Array<number> = []
for (let r = 0; r < 3; r++) {
  const db = new DatabaseSync(lookupFile, { readOnly: true })
  const started = performance.now()
  const answer = db.prepare("PRAGMA quick_check").get() as { quick_check: string }
  quickCheckRuns.push(performance.now() - started)
  db.close()
  if (answer.quick_check !== "ok") throw new Error(`quick_check: ${answer.quick_check}`)
}
const quickCheckMs = median(quickCheckRuns)
const lookupFileBytes = statSync(lookupFile).size
console.log(
  `quick_check at ${LOOKUP_ROWS} rows (${Math.round(lookupFileBytes / 1_048_576)} MiB): ${round(quickCheckMs, 1)} ms`
)
removeFile(lookupFile)
console.log(`lookup at ${LOOKUP_ROWS} rows: p50 ${round(lookup.p50)} ms, p99 ${round(lookup.p99)} ms`)

// -- Pruning one day of 100,000 rows ---------------------------------------------

const pruneFile = freshFile()
const oldDay = Math.floor((Date.now() - 31 * DAY) / DAY) * DAY
// One day of rows older than the retention, and as many younger ones (the last day), which the prune keeps.
fillSqlite(pruneFile, [
  { rows: PRUNE_ROWS, fromMillis: oldDay, stepMillis: Math.floor(DAY / PRUNE_ROWS), tag: "old" },
  { rows: PRUNE_ROWS, fromMillis: Date.now() - DAY, stepMillis: Math.floor(DAY / PRUNE_ROWS), tag: "young" }
])
const copy = `${pruneFile}.copy`
copyFileSync(pruneFile, copy)

const prune = await Effect.runPromise(
  Effect.scoped(
    Effect.gen(function* () {
      const store = Context.get(yield* Layer.build(SqliteStore.layer({ filename: pruneFile })), LedgerStore.LedgerStore)
      const ledger = yield* Ledger.make({ backgroundPrune: false }).pipe(
        Effect.provideService(LedgerStore.LedgerStore, store)
      )
      const writer = yield* Ledger.make({ backgroundPrune: false, durability: "sync" }).pipe(
        Effect.provideService(LedgerStore.LedgerStore, store)
      )
      const waits: Array<number> = []
      let pruning = true
      const probe = Effect.gen(function* () {
        while (pruning) {
          const t = performance.now()
          yield* writer.record(makeInputs(1)[0]!)
          waits.push(performance.now() - t)
          yield* Effect.sleep(5)
        }
      })
      const histogram = monitorEventLoopDelay({ resolution: 1 })
      histogram.enable()
      const fiber = yield* Effect.forkChild(probe)
      const t = performance.now()
      const result = yield* ledger.prune
      const ms = performance.now() - t
      pruning = false
      histogram.disable()
      yield* Fiber.join(fiber) // the last probe write
      // The same stall probe with nothing running, for comparison.
      const idle = monitorEventLoopDelay({ resolution: 1 })
      idle.enable()
      yield* Effect.sleep(Math.min(2000, ms))
      idle.disable()
      return {
        removed: result.removed,
        ms,
        stall: histogram.max / 1e6,
        idleStall: idle.max / 1e6,
        writeWait: Math.max(...waits),
        writes: waits.length
      }
    })
  )
)
if (prune.removed !== PRUNE_ROWS) throw new Error(`prune removed ${prune.removed}, expected ${PRUNE_ROWS}`)

// The longest single delete transaction, on a copy of the same file.
const chunkTimes: Array<number> = []
{
  const db = new DatabaseSync(copy)
  const chunk = db.prepare(PRUNE_CHUNK_SQL)
  const cutoff = Date.now() - 30 * DAY
  while (true) {
    const t = performance.now()
    db.exec("BEGIN IMMEDIATE")
    const changes = Number(chunk.run(cutoff, SqliteStore.PRUNE_CHUNK_ROWS).changes)
    db.exec("COMMIT")
    chunkTimes.push(performance.now() - t)
    if (changes < SqliteStore.PRUNE_CHUNK_ROWS) break
  }
  db.close()
}
removeFile(pruneFile)
removeFile(copy)
console.log(
  `prune of ${prune.removed} rows: ${round(prune.ms, 1)} ms; longest event-loop stall ${round(prune.stall, 1)} ms ` +
    `(idle ${round(prune.idleStall, 1)} ms); longest sync record during it ${round(prune.writeWait, 1)} ms ` +
    `(${prune.writes} records); longest delete transaction ${round(Math.max(...chunkTimes), 1)} ms`
)

// -- Results -------------------------------------------------------------------------

const sqliteRate = median(sqliteLedger)
const sqliteRawRate = median(sqliteRaw)
const figures = {
  sqlite_records_per_s: Math.round(sqliteRate),
  sqlite_raw_records_per_s: Math.round(sqliteRawRate),
  sqlite_ratio_vs_raw: round(sqliteRate / sqliteRawRate),
  pg_records_per_s: pgRates === undefined ? null : Math.round(pgRates.ledger),
  pg_raw_records_per_s: pgRates === undefined ? null : Math.round(pgRates.raw),
  pg_ratio_vs_raw: pgRates === undefined ? null : round(pgRates.ledger / pgRates.raw),
  record_call_us: round(callCost.median),
  record_call_us_best_round: round(callCost.min),
  record_call_us_same_run: round(walCost.record),
  begin_complete_call_us: round(walCost.beginComplete),
  begin_complete_vs_record_call_ratio: round(walCost.beginComplete / walCost.record, 2),
  sqlite_record_attempts_per_s: Math.round(walRecordRate),
  sqlite_begin_complete_attempts_per_s: Math.round(walPairRate),
  begin_complete_vs_record_rate_ratio: round(walPairRate / walRecordRate, 2),
  quick_check_ms: round(quickCheckMs, 1),
  quick_check_rows: LOOKUP_ROWS,
  quick_check_file_mib: Math.round(lookupFileBytes / 1_048_576),
  lookup_p50_ms: round(lookup.p50),
  lookup_p99_ms: round(lookup.p99),
  lookup_rows: LOOKUP_ROWS,
  prune_rows: prune.removed,
  prune_ms: round(prune.ms, 1),
  prune_max_stall_ms: round(prune.stall, 1),
  idle_max_stall_ms: round(prune.idleStall, 1),
  prune_max_write_wait_ms: round(prune.writeWait, 1),
  prune_chunk_max_ms: round(Math.max(...chunkTimes), 1)
}
console.log(figures)

const met = (value: number | null, ok: (v: number) => boolean) => value !== null && ok(value)
writeBenchResult({
  name: "request-ledger",
  figures,
  targets: {
    sqlite_ratio_vs_raw: { target: ">= 0.8", met: figures.sqlite_ratio_vs_raw >= 0.8 },
    sqlite_records_per_s: { target: ">= 50000", met: figures.sqlite_records_per_s >= 50_000 },
    pg_records_per_s: { target: ">= 20000", met: met(figures.pg_records_per_s, (v) => v >= 20_000) },
    record_call_us: { target: "<= 2", met: figures.record_call_us <= 2 },
    lookup_p99_ms: { target: "<= 1", met: figures.lookup_p99_ms <= 1 },
    prune_max_stall_ms: { target: "<= 50", met: figures.prune_max_stall_ms <= 50 }
  },
  notes: [
    `SQLite rate: ${RATE_RECORDS} records per round, median of ${RATE_ROUNDS} interleaved rounds, fresh files; ledger = record + flush with the defaults (batched, ${BATCH}-entry batches, synchronous=FULL, writer on a worker thread); raw = prepared INSERT loop, ${BATCH} rows per BEGIN IMMEDIATE transaction, same schema, indexes and pragmas, rows built before timing`,
    pgRates === undefined
      ? `PostgreSQL at ${PG_URL} was not reachable: PostgreSQL figures skipped`
      : `PostgreSQL rate: ${PG_RATE_RECORDS} records per round, median of ${RATE_ROUNDS}; ledger = PgStore (${PgStore.INSERT_CHUNK_ROWS}-row INSERTs, ${PgStore.WRITE_CONCURRENCY} at once); raw = sequential ${BATCH}-row multi-row INSERTs through the same client into the same partitioned table`,
    `record_call_us: median over ${CALL_ROUNDS} rounds of the mean time of ${CALL_BATCH} calls (batched mode, writer held back so no write runs inside the timed loop, the same inputs each round); includes validation, the id, the clock, the enqueue and the caller's yield*; record_call_us_best_round is the fastest round`,
    `lookup: ${LOOKUPS} byRequestId calls for random stored ids in a ${LOOKUP_ROWS}-row SQLite ledger (read connection on the calling thread, index on request_id)`,
    `prune: one day of ${PRUNE_ROWS} rows removed next to ${PRUNE_ROWS} younger rows; deletes run on the worker thread in ${SqliteStore.PRUNE_CHUNK_ROWS}-row transactions; prune_max_stall_ms is the main event loop (monitorEventLoopDelay, 1 ms resolution), idle_max_stall_ms the same probe with nothing running; prune_chunk_max_ms the longest delete transaction (the write lock hold) timed on a copy`,
    `write-ahead rows: begin_complete_call_us is begin + complete per attempt (two entries, the completed one replacing the in-flight one at write), record_call_us_same_run one record, both timed like record_call_us in the same run; the attempts/s figures are ${RATE_RECORDS / 2} attempts + flush on fresh SQLite files with the defaults, median of ${RATE_ROUNDS}`,
    `quick_check_ms: PRAGMA quick_check (what SqliteStore runs at open unless integrityCheck: "off") on the ${LOOKUP_ROWS}-row lookup file, median of 3, read-only connection, file in the page cache`,
    "timings from a 2-core machine shared with other work: noisy; rerun for a second opinion"
  ]
})
