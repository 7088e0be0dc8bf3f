/**
 * The SQLite store's writer, on a worker thread. node:sqlite is synchronous:
 * a 1,000-row transaction, a WAL checkpoint, a busy wait for another
 * process's lock or a prune all block the thread that runs them. Here they
 * block this worker, never the application's event loop.
 *
 * Messages are handled in arrival order; every operation is one or more
 * complete transactions. A prune yields between its chunks, so writes that
 * arrive meanwhile go in between instead of waiting for the whole prune.
 *
 * @internal
 */
import { DatabaseSync, type StatementSync } from "node:sqlite"
import { parentPort } from "node:worker_threads"
import { checkSchemaVersion, openReadOnly, readOnlyRefusal } from "./sqliteReadOnly.ts"
import {
  buildStats,
  failureInfo,
  INSERT_SQL,
  migrate,
  PRUNE_CHUNK_SQL,
  quickCheck,
  type Row,
  rowToGroup,
  type WorkerRequest,
  type WorkerResponse
} from "./sqliteSchema.ts"

const port = parentPort
if (port === null) throw new Error("sqliteWorker must run on a worker thread")

let db: DatabaseSync | undefined
let insert: StatementSync | undefined
let pruneChunk: StatementSync | undefined

const reply = (response: WorkerResponse): void => port.postMessage(response)

let readOnlyFile: string | undefined

const openForReading = (request: Extract<WorkerRequest, { op: "open" }>): number => {
  const database = openReadOnly(request.filename)
  try {
    database.exec(`PRAGMA busy_timeout = ${Math.floor(request.busyTimeoutMillis)}`)
    if (request.integrityCheck === "quick") quickCheck(database, request.filename)
    const version = checkSchemaVersion(database, request.filename)
    readOnlyFile = request.filename
    db = database
    return version
  } catch (error) {
    database.close()
    throw error
  }
}

const open = (request: Extract<WorkerRequest, { op: "open" }>): number => {
  if (request.readOnly) return openForReading(request)
  const database = new DatabaseSync(request.filename)
  try {
    // The busy timeout first, so every later statement waits for another
    // process's lock instead of failing at once.
    database.exec(`PRAGMA busy_timeout = ${Math.floor(request.busyTimeoutMillis)}`)
    // A damaged file is refused before anything is written into it.
    if (request.integrityCheck === "quick") quickCheck(database, request.filename)
    const mode = database.prepare("PRAGMA journal_mode = WAL").get() as Row | undefined
    if (String(mode?.journal_mode).toLowerCase() !== "wal") {
      throw new Error(`could not switch the ledger file to WAL (journal_mode is ${String(mode?.journal_mode)})`)
    }
    database.exec(`PRAGMA synchronous = ${request.synchronous}`)
    database.exec(`PRAGMA wal_autocheckpoint = ${Math.floor(request.walAutocheckpointPages)}`)
    const version = migrate(database)
    insert = database.prepare(INSERT_SQL)
    pruneChunk = database.prepare(PRUNE_CHUNK_SQL)
    db = database
    return version
  } catch (error) {
    database.close()
    throw error
  }
}

const opened = (): DatabaseSync => {
  if (db === undefined) throw new Error("the ledger file is not open")
  return db
}

/** Runs `body` inside `BEGIN IMMEDIATE` ... `COMMIT`, rolled back if it throws. */
const inTransaction = <A>(database: DatabaseSync, body: () => A): A => {
  database.exec("BEGIN IMMEDIATE")
  try {
    const result = body()
    database.exec("COMMIT")
    return result
  } catch (error) {
    try {
      database.exec("ROLLBACK")
    } catch {
      // the failed statement already ended the transaction
    }
    throw error
  }
}

const write = (rows: Extract<WorkerRequest, { op: "write" }>["rows"]): number => {
  if (readOnlyFile !== undefined) throw readOnlyRefusal(readOnlyFile)
  const statement = insert!
  inTransaction(opened(), () => {
    for (const row of rows) statement.run(...row)
  })
  return rows.length
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

const prune = async (cutoffMillis: number, chunkRows: number): Promise<number> => {
  if (readOnlyFile !== undefined) throw readOnlyRefusal(readOnlyFile)
  let removed = 0
  while (true) {
    const changes = inTransaction(opened(), () => Number(pruneChunk!.run(cutoffMillis, chunkRows).changes))
    removed += changes
    if (changes < chunkRows) return removed
    await nextTurn()
  }
}

const stats = (fromMillis: number | undefined, toMillis: number | undefined) => {
  const query = buildStats(fromMillis, toMillis)
  return (
    opened()
      .prepare(query.sql)
      .all(...query.params) as Array<Row>
  ).map(rowToGroup)
}

const handle = async (request: WorkerRequest): Promise<unknown> => {
  switch (request.op) {
    case "open":
      return open(request)
    case "write":
      return write(request.rows)
    case "prune":
      return await prune(request.cutoffMillis, request.chunkRows)
    case "stats":
      return stats(request.fromMillis, request.toMillis)
    case "close": {
      const database = db
      db = undefined
      insert = undefined
      pruneChunk = undefined
      database?.close()
      return null
    }
  }
}

port.on("message", (request: WorkerRequest) => {
  handle(request).then(
    (result) => reply({ id: request.id, ok: true, result }),
    (error: unknown) => reply({ id: request.id, ok: false, failure: failureInfo(error) })
  )
})
