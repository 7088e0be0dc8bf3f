/**
 * Reliability: processes killed mid-write, and several processes writing to
 * one ledger at once. These run real child processes on the real clock, kept
 * small so the suite stays fast.
 */
import { spawn } from "node:child_process"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { serviceUrl } from "../../../scripts/test-services.ts"
import * as PgStore from "../src/PgStore.ts"
import { dropSchema, pgQuery, random, tempDir, uniqueSchema } from "./helpers.ts"

const worker = fileURLToPath(new URL("./fixtures/record-worker.ts", import.meta.url))
const pgUrl = serviceUrl("MWS_KIT_PG_URL", "request-ledger reliability on PostgreSQL")

interface Run {
  readonly lines: Array<string>
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: string
}

/**
 * Runs the worker with a config. With `killAfter`, sends SIGKILL that many
 * milliseconds after its first acknowledged record. Only complete lines
 * count: a line cut by the kill was never acknowledged.
 */
const runWorker = (config: object, killAfter?: number) =>
  Effect.promise(
    () =>
      new Promise<Run>((resolve) => {
        const child = spawn(process.execPath, ["--conditions=@mws-kit/source", worker, JSON.stringify(config)], {
          stdio: ["ignore", "pipe", "pipe"]
        })
        const lines: Array<string> = []
        let pending = ""
        let stderr = ""
        let timer = false
        child.stdout.setEncoding("utf8")
        child.stdout.on("data", (chunk: string) => {
          pending += chunk
          const complete = pending.split("\n")
          pending = complete.pop()!
          for (const line of complete) {
            if (!timer && line.startsWith("ack ") && killAfter !== undefined) {
              timer = true
              setTimeout(() => child.kill("SIGKILL"), killAfter)
            }
            lines.push(line)
          }
        })
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString()
        })
        child.on("close", (code, signal) => resolve({ lines, code, signal, stderr }))
      })
  )

const acknowledged = (run: Run) => run.lines.filter((line) => line.startsWith("ack ")).map((line) => line.slice(4))

describe("crash safety", () => {
  it.live(
    "after repeated SIGKILLs mid-write in sync mode, every acknowledged entry is in the file and it passes the integrity check",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const filename = join(dir, "ledger.sqlite")
        const next = random(99)
        const acked: Array<string> = []
        for (let round = 0; round < 5; round++) {
          const run = yield* runWorker(
            { mode: "crash", store: "sqlite", filename, tag: `r${round}` },
            150 + Math.floor(next() * 250)
          )
          assert.strictEqual(run.signal, "SIGKILL", run.stderr)
          const ids = acknowledged(run)
          assert.isAbove(ids.length, 0, `round ${round} acknowledged nothing: ${run.stderr}`)
          acked.push(...ids)
        }
        const db = new DatabaseSync(filename)
        const integrity = db.prepare("PRAGMA integrity_check").all() as Array<{ integrity_check: string }>
        const stored = new Set(
          (db.prepare("SELECT entry_id FROM ledger_entries").all() as Array<{ entry_id: string }>).map(
            (r) => r.entry_id
          )
        )
        db.close()
        assert.deepStrictEqual(integrity, [{ integrity_check: "ok" }])
        const missing = acked.filter((id) => !stored.has(id))
        assert.deepStrictEqual(missing, [], `${missing.length} of ${acked.length} acknowledged entries are missing`)
        assert.isAtLeast(stored.size, acked.length)
      }),
    60_000
  )
})

describe("concurrent processes", () => {
  const PROCESSES = 4
  const EACH = 500

  const checkCounts = (rows: ReadonlyArray<{ readonly seller_id: string; readonly n: number }>, distinct: number) => {
    assert.strictEqual(distinct, PROCESSES * EACH, "no duplicates")
    assert.deepStrictEqual(
      [...rows]
        .map((row) => ({ seller: row.seller_id, n: Number(row.n) }))
        .sort((a, b) => (a.seller < b.seller ? -1 : 1)),
      Array.from({ length: PROCESSES }, (_, i) => ({ seller: `p${i}`, n: EACH }))
    )
  }

  it.live(
    "4 processes recording into one SQLite file: exact counts, no duplicates",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const filename = join(dir, "ledger.sqlite")
        const runs = yield* Effect.all(
          Array.from({ length: PROCESSES }, (_, i) =>
            runWorker({ mode: "count", store: "sqlite", filename, tag: `p${i}`, count: EACH })
          ),
          { concurrency: "unbounded" }
        )
        for (const run of runs) assert.deepStrictEqual(run.lines, [`done ${EACH}`], run.stderr)
        const db = new DatabaseSync(filename)
        const rows = db
          .prepare("SELECT seller_id, count(*) AS n FROM ledger_entries GROUP BY seller_id")
          .all() as Array<{ seller_id: string; n: number }>
        const distinct = db.prepare("SELECT count(DISTINCT entry_id) AS n FROM ledger_entries").get() as { n: number }
        const requests = db.prepare("SELECT count(DISTINCT request_id) AS n FROM ledger_entries").get() as { n: number }
        db.close()
        checkCounts(rows, Number(distinct.n))
        assert.strictEqual(Number(requests.n), PROCESSES * EACH)
      }),
    60_000
  )

  it.live.skipIf(pgUrl === undefined)(
    "4 processes recording into one PostgreSQL table: exact counts, no duplicates",
    () =>
      Effect.gen(function* () {
        const url = pgUrl!
        const schema = uniqueSchema("ledger_fleet")
        yield* Effect.addFinalizer(() => dropSchema(url, schema))
        const runs = yield* Effect.all(
          Array.from({ length: PROCESSES }, (_, i) =>
            runWorker({ mode: "count", store: "postgres", url, schema, tag: `p${i}`, count: EACH })
          ),
          { concurrency: "unbounded" }
        )
        for (const run of runs) assert.deepStrictEqual(run.lines, [`done ${EACH}`], run.stderr)
        const table = `"${schema}"."${PgStore.DEFAULT_TABLE}"`
        const rows = yield* pgQuery<{ seller_id: string; n: number }>(
          url,
          `SELECT seller_id, count(*)::int AS n FROM ${table} GROUP BY seller_id`
        )
        const distinct = yield* pgQuery<{ n: number }>(url, `SELECT count(DISTINCT entry_id)::int AS n FROM ${table}`)
        checkCounts(rows, distinct[0]!.n)
      }),
    60_000
  )
})
