import { connect, createServer, type Server, type Socket } from "node:net"
import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { Clock, Context, Effect, Exit, Layer, Redacted, Scope } from "effect"
import { SqlClient } from "effect/sql"
import { TestClock } from "effect/testing"
import { startFaultProxy } from "../../../scripts/faultProxy.ts"
import { serviceUrl } from "../../../scripts/test-services.ts"
import { type LedgerEntry, LedgerStore } from "../src/index.ts"
import * as PgStore from "../src/PgStore.ts"
import { emptyQuery, storeContract } from "./contract.ts"
import { buildStore, dropSchema, ledgerOver, sampleInput, uniqueSchema } from "./helpers.ts"

const pgUrl = serviceUrl("MWS_KIT_PG_URL", "request-ledger PostgreSQL store")
const url = pgUrl ?? "postgres://unset"

const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * A PostgreSQL client on the live clock: the tests move the test clock by
 * days, which would otherwise expire the pool's idle connections at every
 * step. The store itself runs on the test clock.
 */
const liveClient = (target: string) => {
  const build = Layer.build(PgClient.layer({ url: Redacted.make(target), maxConnections: 2 }))
  return Effect.withFiber((fiber) => ("withLive" in fiber.getRef(Clock.Clock) ? TestClock.withLive(build) : build))
}

/** The store in a schema of its own, dropped with the scope; returns the store and the schema. */
const openStore = (schema: string, target = url, options: PgStore.Options = {}) =>
  Effect.gen(function* () {
    const client = yield* liveClient(target)
    return yield* PgStore.make({ schema, ...options }).pipe(Effect.provideContext(client))
  })

const freshSchema = Effect.gen(function* () {
  const schema = uniqueSchema()
  yield* Effect.addFinalizer(() => dropSchema(url, schema))
  return schema
})

/** Runs SQL through a client of its own (on the live clock). */
const query = <A extends object>(text: string, params: ReadonlyArray<unknown> = []) =>
  Effect.gen(function* () {
    const client = yield* liveClient(url)
    const sql = Context.get(client, SqlClient.SqlClient)
    return yield* sql.unsafe<A>(text, params)
  }).pipe(Effect.scoped, Effect.orDie)

const partitionsOf = (schema: string) =>
  Effect.map(
    query<{ readonly name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1`,
      [schema]
    ),
    (rows) => rows.map((row) => row.name)
  )

const dayName = (millis: number) =>
  `${PgStore.DEFAULT_TABLE}_p${new Date(millis).toISOString().slice(0, 10).replace(/-/g, "")}`

/**
 * A TCP proxy in front of PostgreSQL that the test can take down (every
 * connection cut, new ones refused) and bring back on the same port.
 */
const makeProxy = (target: URL) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const sockets = new Set<Socket>()
      const server: Server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname)
        sockets.add(client)
        sockets.add(upstream)
        const drop = () => {
          client.destroy()
          upstream.destroy()
          sockets.delete(client)
          sockets.delete(upstream)
        }
        client.on("error", drop).on("close", drop)
        upstream.on("error", drop).on("close", drop)
        client.pipe(upstream).pipe(client)
      })
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      const port = (server.address() as { port: number }).port
      return {
        port,
        down: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve())
            for (const socket of sockets) socket.destroy()
            sockets.clear()
          }),
        up: () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve)),
        close: () => {
          for (const socket of sockets) socket.destroy()
          server.close()
        }
      }
    }),
    (proxy) => Effect.sync(() => proxy.close())
  )

describe.skipIf(pgUrl === undefined)("PostgreSQL store", () => {
  storeContract(
    "PostgreSQL",
    () =>
      Layer.effect(
        LedgerStore.LedgerStore,
        Effect.flatMap(freshSchema, (schema) => openStore(schema))
      ),
    { slow: true }
  )

  it.effect("runs versioned migrations once, however often and by however many it is opened", () =>
    Effect.gen(function* () {
      const schema = yield* freshSchema
      yield* Effect.all([openStore(schema), openStore(schema), openStore(schema)], { concurrency: "unbounded" })
      yield* openStore(schema)
      const applied = yield* query<{ readonly version: number; readonly name: string }>(
        `SELECT version, name FROM "${schema}"."${PgStore.DEFAULT_TABLE}_migrations"`
      )
      assert.deepStrictEqual(
        applied.map((row) => ({ ...row })),
        [{ version: 1, name: "create_ledger_entries" }]
      )
      const indexes = yield* query<{ readonly indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY 1",
        [schema, PgStore.DEFAULT_TABLE]
      )
      assert.includeMembers(
        indexes.map((row) => row.indexname),
        ["request_id", "recorded_at", "code_time", "class_time", "gave_up", "call_id"].map(
          (suffix) => `${PgStore.DEFAULT_TABLE}_${suffix}`
        )
      )
    })
  )

  it.effect("creates day partitions ahead, and on demand for the day being written", () =>
    Effect.gen(function* () {
      const schema = yield* freshSchema
      const start = Date.UTC(2026, 10, 25, 12)
      yield* TestClock.setTime(start)
      const store = yield* openStore(schema)
      const ahead = Array.from({ length: PgStore.PARTITIONS_AHEAD + 1 }, (_, day) => dayName(start + day * DAY))
      assert.deepStrictEqual(yield* partitionsOf(schema), ahead)
      const ledger = yield* ledgerOver(store)
      yield* TestClock.adjust(10 * DAY)
      yield* ledger.record(sampleInput())
      yield* ledger.flush
      assert.include(yield* partitionsOf(schema), dayName(start + 10 * DAY))
    })
  )

  it.effect("retention drops whole-day partitions, then deletes the older rows of the boundary day", () =>
    Effect.gen(function* () {
      const schema = yield* freshSchema
      // Days in the past of the database's clock: the host's cutoff is then
      // the older one, and the one the prune uses.
      const start = Math.floor(Date.now() / DAY) * DAY - 10 * DAY
      yield* TestClock.setTime(start)
      const store = yield* openStore(schema)
      const ledger = yield* ledgerOver(store, {
        retention: "2 days",
        allowShorterRetention: true,
        backgroundPrune: false
      })
      const recorded: Array<LedgerEntry.LedgerEntry> = []
      for (let i = 0; i < 20; i++) {
        recorded.push(yield* ledger.record(sampleInput({ requestId: `six-hourly-${i}` })))
        yield* TestClock.adjust(6 * HOUR)
      }
      yield* ledger.flush
      // Now: day 5, 00:00 + 3 h. Cutoff: day 3, 03:00.
      yield* TestClock.setTime(start + 5 * DAY + 3 * HOUR)
      const result = yield* ledger.prune
      assert.strictEqual(result.cutoff, new Date(start + 3 * DAY + 3 * HOUR).toISOString())
      const kept = recorded.filter((e) => Date.parse(e.recordedAt) >= start + 3 * DAY + 3 * HOUR)
      assert.strictEqual(result.removed, recorded.length - kept.length)
      const partitions = yield* partitionsOf(schema)
      for (const day of [0, 1, 2]) assert.notInclude(partitions, dayName(start + day * DAY), `day ${day} dropped`)
      assert.include(partitions, dayName(start + 3 * DAY), "the boundary day stays")
      const remaining = yield* ledger.find({ order: "oldest" })
      assert.deepStrictEqual(
        remaining.map((e) => e.requestId),
        kept.map((e) => e.requestId)
      )
    })
  )

  /** The fault proxy in front of the test database, closed with the scope. */
  const faultProxy = Effect.acquireRelease(
    Effect.promise(() => {
      const target = new URL(url)
      return startFaultProxy({ target: { host: target.hostname, port: Number(target.port || 5432) } })
    }),
    (proxy) => Effect.promise(() => proxy.close())
  )

  it.live(
    "a server that accepts and never answers: opening fails `unavailable` within the bound, and the layer closes",
    () =>
      Effect.gen(function* () {
        const proxy = yield* faultProxy
        proxy.setMode("swallow")
        const schema = yield* freshSchema
        const started = Date.now()
        const scope = yield* Scope.make()
        const exit = yield* Effect.exit(
          buildStore(PgStore.layer({ url: proxy.url(url), schema, connectTimeout: 300, operationTimeout: 800 })).pipe(
            Scope.provide(scope)
          )
        )
        yield* Scope.close(scope, Exit.void)
        const elapsed = Date.now() - started
        assert.isTrue(Exit.isFailure(exit))
        const error = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail")?.error : undefined
        assert.strictEqual(error?._tag, "LedgerStoreError")
        if (error?._tag === "LedgerStoreError") {
          assert.strictEqual(error.failure, "unavailable")
          assert.notInclude(error.message, "postgres://", "no connection string in the error")
        }
        assert.isBelow(elapsed, 3_000, "failed and closed within the bounds")
      }),
    10_000
  )

  it.live(
    "a server that goes silent mid-run: sync records fail within the write timeout, then everything lands once",
    () =>
      Effect.gen(function* () {
        const proxy = yield* faultProxy
        const schema = yield* freshSchema
        const store = yield* buildStore(
          PgStore.layer({ url: proxy.url(url), schema, connectTimeout: 300, operationTimeout: 1_000 })
        )
        const ledger = yield* ledgerOver(store, {
          durability: "sync",
          writeTimeout: 400,
          retryBase: 50,
          retryMax: 200
        })
        for (let i = 0; i < 20; i++) yield* ledger.record(sampleInput({ requestId: `before-${i}` }))

        proxy.setMode("swallow")
        const started = Date.now()
        const failures = yield* Effect.forEach(
          Array.from({ length: 10 }, (_, i) => i),
          (i) => Effect.flip(ledger.record(sampleInput({ requestId: `silent-${i}` }))),
          { concurrency: "unbounded" }
        )
        assert.isBelow(Date.now() - started, 3_000, "every record answered within the bound")
        for (const error of failures) {
          assert.strictEqual(error._tag, "LedgerStoreError")
          if (error._tag === "LedgerStoreError") assert.strictEqual(error.failure, "unavailable")
        }
        const lookup = yield* Effect.flip(ledger.byRequestId("before-1"))
        assert.strictEqual(lookup._tag, "LedgerStoreError")

        // Back, with the silenced connections still open: @effect/sql-pg
        // retires a connection whose interrupted query never drained, so the
        // pool is not poisoned by them.
        proxy.setMode("pass")
        let landed = false
        for (let round = 0; round < 150 && !landed; round++) {
          landed = (yield* Effect.result(ledger.flush))._tag === "Success"
          if (!landed) yield* Effect.sleep(100)
        }
        assert.isTrue(landed, "the buffered entries were written once the server answered again")
        const rows = yield* query<{ readonly total: number; readonly distinct_ids: number }>(
          `SELECT count(*)::int AS total, count(DISTINCT entry_id)::int AS distinct_ids FROM "${schema}"."${PgStore.DEFAULT_TABLE}"`
        )
        assert.deepStrictEqual({ ...rows[0]! }, { total: 30, distinct_ids: 30 })
      }),
    30_000
  )

  it.effect("retention by the database's clock: a ledger host 2 days fast removes nothing younger than 30 days", () =>
    Effect.gen(function* () {
      const schema = yield* freshSchema
      const now = Date.now()
      const store = yield* openStore(schema)
      const ledger = yield* ledgerOver(store, { backgroundPrune: false })
      yield* TestClock.setTime(now - 31 * DAY)
      const old = yield* ledger.record(sampleInput({ requestId: "thirty-one-days" }))
      yield* TestClock.setTime(now - 28 * DAY - HOUR)
      const young = yield* ledger.record(sampleInput({ requestId: "twenty-eight-days" }))
      yield* ledger.flush
      // The host's clock is 2 days ahead: its cutoff is 28 days ago by the database's.
      yield* TestClock.setTime(now + 2 * DAY)
      const result = yield* ledger.prune
      assert.strictEqual(result.removed, 1)
      assert.deepStrictEqual(yield* ledger.find({ order: "oldest" }), [young])
      assert.deepStrictEqual(yield* ledger.byRequestId(old.requestId!), [])
    })
  )

  it.effect("a damaged row is a typed `invalid-row` error when read, never a defect", () =>
    Effect.gen(function* () {
      const schema = yield* freshSchema
      const store = yield* openStore(schema)
      yield* query(
        `INSERT INTO "${schema}"."${PgStore.DEFAULT_TABLE}" (entry_id, recorded_at, section, operation, seller_id, attempt,
          call_id, duration_ms, delay_before_ms, outcome, params)
         VALUES ('01a24259-0000-7000-8000-00000000bad0', $1, 'Orders', 'ListOrders', 'A2', 1, 'c', 1, 0, 'maybe', '{}')`,
        // On the store's clock, whose day has a partition.
        [new Date(yield* Clock.currentTimeMillis)]
      )
      const error = yield* Effect.flip(store.find({ ...emptyQuery }))
      assert.strictEqual(error.store, "postgres")
      assert.strictEqual(error.failure, "invalid-row")
      assert.include(error.detail, "row 01a24259-0000-7000-8000-00000000bad0")
    })
  )

  it.effect("rejects names that are not plain SQL identifiers", () =>
    Effect.gen(function* () {
      const client = yield* liveClient(url)
      const error = yield* Effect.flip(
        PgStore.make({ schema: 'x"; DROP TABLE users; --' }).pipe(Effect.provideContext(client))
      )
      assert.strictEqual(error._tag, "LedgerConfigError")
      if (error._tag === "LedgerConfigError") assert.strictEqual(error.setting, "schema")
    })
  )

  it.live(
    "a PostgreSQL that goes away mid-run: typed errors while it is down, nothing lost or duplicated after",
    () =>
      Effect.gen(function* () {
        const schema = yield* freshSchema
        const target = new URL(url)
        const proxy = yield* makeProxy(target)
        const viaProxy = new URL(url)
        viaProxy.hostname = "127.0.0.1"
        viaProxy.port = String(proxy.port)
        const store = yield* openStore(schema, viaProxy.toString())
        const ledger = yield* ledgerOver(store, { retryBase: 20, retryMax: 100, flushInterval: 10 })

        for (let i = 0; i < 50; i++) yield* ledger.record(sampleInput({ requestId: `before-${i}` }))
        yield* ledger.flush

        yield* Effect.promise(() => proxy.down())
        for (let i = 0; i < 50; i++) yield* ledger.record(sampleInput({ requestId: `during-${i}` }))
        const flushError = yield* Effect.flip(ledger.flush)
        assert.strictEqual(flushError._tag, "LedgerStoreError")
        if (flushError._tag === "LedgerStoreError") assert.strictEqual(flushError.store, "postgres")
        const lookupError = yield* Effect.flip(ledger.byRequestId("before-1"))
        assert.strictEqual(lookupError._tag, "LedgerStoreError")
        assert.isAtLeast(yield* ledger.pending, 50)

        yield* Effect.promise(() => proxy.up())
        for (let i = 0; i < 50; i++) yield* ledger.record(sampleInput({ requestId: `after-${i}` }))
        // The writer retries with backoff; flush until it lands (bounded).
        let landed = false
        for (let round = 0; round < 100 && !landed; round++) {
          landed = (yield* Effect.result(ledger.flush))._tag === "Success"
          if (!landed) yield* Effect.sleep(50)
        }
        assert.isTrue(landed, "the buffered entries were written after PostgreSQL came back")
        const rows = yield* query<{ readonly total: number; readonly distinct_ids: number }>(
          `SELECT count(*)::int AS total, count(DISTINCT entry_id)::int AS distinct_ids FROM "${schema}"."${PgStore.DEFAULT_TABLE}"`
        )
        assert.deepStrictEqual({ ...rows[0]! }, { total: 150, distinct_ids: 150 })
        assert.strictEqual((yield* ledger.byRequestId("during-7")).length, 1)
      }),
    30_000
  )

  describe("readOnly", () => {
    /** A ledger in `schema` holding `requestIds`, written by a writable store that is closed again. */
    const ledgerIn = (schema: string, requestIds: ReadonlyArray<string>) =>
      Effect.scoped(
        Effect.gen(function* () {
          const ledger = yield* ledgerOver(yield* openStore(schema), { backgroundPrune: false })
          for (const requestId of requestIds) yield* ledger.record(sampleInput({ requestId }))
          yield* ledger.flush
        })
      )

    const openReadOnly = (schema: string, options: PgStore.Options = {}) =>
      openStore(schema, url, { readOnly: true, ...options })

    /** The relations of a schema (tables, partitions, indexes), to show a read-only open created none. */
    const relationsOf = (schema: string) =>
      Effect.map(
        query<{ readonly name: string }>(
          "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 ORDER BY 1",
          [schema]
        ),
        (rows) => rows.map((row) => row.name)
      )

    it.effect("reads what a writable store wrote, and creates nothing, even the days a writable open would", () =>
      Effect.gen(function* () {
        const schema = yield* freshSchema
        yield* ledgerIn(schema, ["r-1", "r-2"])
        const before = yield* relationsOf(schema)
        // Days later: a writable open would create this week's partitions.
        yield* TestClock.adjust(20 * DAY)
        const ledger = yield* ledgerOver(yield* openReadOnly(schema), { backgroundPrune: false })
        const found = yield* ledger.find({})
        assert.deepStrictEqual(found.map((entry) => entry.requestId).sort(), ["r-1", "r-2"])
        assert.strictEqual((yield* ledger.byRequestId("r-2")).length, 1)
        assert.strictEqual((yield* ledger.stats()).total, 2)
        assert.deepStrictEqual(yield* relationsOf(schema), before)
      })
    )

    it.effect("a schema or table that is not there is `cannot-open`, and nothing gets created", () =>
      Effect.gen(function* () {
        const schema = yield* freshSchema
        const missingSchema = yield* Effect.flip(openReadOnly(schema))
        assert.strictEqual(missingSchema._tag, "LedgerStoreError")
        if (missingSchema._tag === "LedgerStoreError") {
          assert.strictEqual(missingSchema.failure, "cannot-open")
          assert.strictEqual(missingSchema.operation, "open")
          assert.include(missingSchema.detail, `there is no ledger table "${schema}"."${PgStore.DEFAULT_TABLE}"`)
        }
        const schemas = yield* query<{ readonly n: number }>(
          "SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1",
          [schema]
        )
        assert.strictEqual(schemas[0]?.n, 0, "no schema created")

        yield* ledgerIn(schema, ["kept"])
        const before = yield* relationsOf(schema)
        const missingTable = yield* Effect.flip(openReadOnly(schema, { table: "other_ledger" }))
        assert.strictEqual(missingTable._tag, "LedgerStoreError")
        if (missingTable._tag === "LedgerStoreError") assert.strictEqual(missingTable.failure, "cannot-open")
        assert.deepStrictEqual(yield* relationsOf(schema), before, "no table, partition or index created")
      })
    )

    it.effect("writes and prunes fail with a typed `read-only` error, and nothing changes", () =>
      Effect.gen(function* () {
        const schema = yield* freshSchema
        yield* ledgerIn(schema, ["kept"])
        const store = yield* openReadOnly(schema)
        const stored = yield* store.find({ ...emptyQuery })
        const write = yield* Effect.flip(
          store.write([{ ...stored[0]!, entryId: "01a24259-0000-7000-8000-000000000000" }])
        )
        const prune = yield* Effect.flip(store.prune({ cutoffMillis: Date.now() + DAY, retentionMillis: 0 }))
        for (const [error, operation] of [
          [write, "write"],
          [prune, "prune"]
        ] as const) {
          assert.strictEqual(error._tag, "LedgerStoreError")
          assert.strictEqual(error.store, "postgres")
          assert.strictEqual(error.operation, operation)
          assert.strictEqual(error.failure, "read-only")
        }
        const rows = yield* query<{ readonly n: number }>(
          `SELECT count(*)::int AS n FROM "${schema}"."${PgStore.DEFAULT_TABLE}"`
        )
        assert.strictEqual(rows[0]?.n, 1)
      })
    )

    it.effect("a schema version it does not read is refused as SQLite refuses it, and not migrated", () =>
      Effect.gen(function* () {
        const schema = yield* freshSchema
        yield* ledgerIn(schema, ["old"])
        const migrations = `"${schema}"."${PgStore.DEFAULT_TABLE}_migrations"`
        const versions = Effect.map(query<{ readonly version: number }>(`SELECT version FROM ${migrations}`), (rows) =>
          rows.map((row) => row.version)
        )

        yield* query(`DELETE FROM ${migrations}`)
        const older = yield* Effect.flip(openReadOnly(schema))
        assert.strictEqual(older._tag, "LedgerStoreError")
        if (older._tag === "LedgerStoreError") {
          assert.strictEqual(older.failure, "read-only")
          assert.include(older.detail, "open it once for writing to migrate it")
        }
        assert.deepStrictEqual(yield* versions, [], "not migrated")

        yield* query(
          `INSERT INTO ${migrations} (version, name) VALUES (1, 'create_ledger_entries'), (2, 'from_the_future')`
        )
        const newer = yield* Effect.flip(openReadOnly(schema))
        assert.strictEqual(newer._tag, "LedgerStoreError")
        if (newer._tag === "LedgerStoreError") {
          assert.strictEqual(newer.failure, "failed")
          assert.include(newer.detail, "newer than this library's 1; upgrade @mws-kit/request-ledger")
        }
      })
    )

    it.effect("with a role that may only SELECT: the read-only layer reads, a writable one cannot open", () =>
      Effect.gen(function* () {
        const schema = yield* freshSchema
        yield* ledgerIn(schema, ["r-1"])
        const role = uniqueSchema("ledger_reader")
        yield* Effect.acquireRelease(
          Effect.forEach(
            [
              `CREATE ROLE "${role}" LOGIN`,
              `GRANT USAGE ON SCHEMA "${schema}" TO "${role}"`,
              `GRANT SELECT ON ALL TABLES IN SCHEMA "${schema}" TO "${role}"`
            ],
            (statement) => query(statement),
            { discard: true }
          ),
          () => Effect.forEach([`DROP OWNED BY "${role}"`, `DROP ROLE "${role}"`], (statement) => query(statement))
        )
        const asReader = new URL(url)
        asReader.username = role
        asReader.password = ""
        const store = yield* buildStore(PgStore.layer({ url: asReader.toString(), schema, readOnly: true }))
        const found = yield* store.find({ ...emptyQuery })
        assert.deepStrictEqual(
          found.map((entry) => entry.requestId),
          ["r-1"]
        )
        const writable = yield* Effect.flip(buildStore(PgStore.layer({ url: asReader.toString(), schema })))
        assert.strictEqual(writable._tag, "LedgerStoreError")
      })
    )
  })
})
