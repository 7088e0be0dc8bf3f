/**
 * The fault harness: runs the real `mws` command as a child process (so
 * signals, exit codes and a process's memory are the real ones) against the
 * sandbox, with Redis and PostgreSQL behind the loopback fault proxy
 * (scripts/faultProxy.ts), and reads what the ledger and the sandbox kept.
 * Used by test/FaultTolerance.test.ts and bench/faultTolerance.ts.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process"
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs"
import { DatabaseSync } from "node:sqlite"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import type { RequestLog, Sandbox } from "@mws-kit/sandbox"
import { type FaultProxy, startFaultProxy } from "../../../scripts/faultProxy.ts"
import { SECRET, TOKEN } from "./helpers.ts"

const ROOT = fileURLToPath(new URL("../../../", import.meta.url))
const NODE = `${ROOT}node_modules/.bin/node`
const BIN = `${ROOT}apps/mws-client/src/bin.ts`
/** The built command, as a package install runs it (`bin: dist/bin.js`); it exists after `pnpm run build`. */
export const BUILT_BIN = `${ROOT}apps/mws-client/dist/bin.js`

/** The access key the harness's sandbox accepts. */
export const ACCESS_KEY = "AKIAFAULTHARNESS0001"

/** A ListOrders call as `mws call` arguments. */
export const ORDERS = ["Orders", "ListOrders", "MarketplaceId.Id.1=ATVPDKIKX0DER", "CreatedAfter=2026-01-01T00:00:00Z"]

/** A fault proxy in front of the service a URL names (`redis://...:6379`, `postgres://...:5432`). */
export const proxyFor = (url: string, defaultPort: number): Promise<FaultProxy> => {
  const target = new URL(url)
  return startFaultProxy({ target: { host: target.hostname, port: Number(target.port || defaultPort) } })
}

/** What a finished `mws` process left. */
export interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly out: string
  readonly err: string
  /** From spawn to exit. */
  readonly ms: number
  /** From the signal sent by {@link Running.signal} to exit, when one was. */
  readonly afterSignalMs: number | undefined
  /** The process's peak resident set (VmHWM), in MiB, as last read before it exited. */
  readonly peakRssMb: number | undefined
}

/** A running `mws` process. */
export interface Running {
  readonly child: ChildProcess
  readonly signal: (signal: NodeJS.Signals) => void
  readonly finished: Promise<Finished>
}

/** The environment for `mws` against a sandbox, with a SQLite ledger (or `ledger`). */
export const cliEnv = (sandbox: Sandbox.SandboxHandle, ledger: string, extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "/tmp",
  MWS_ENDPOINT: sandbox.url,
  MWS_ACCESS_KEY_ID: ACCESS_KEY,
  MWS_SECRET_ACCESS_KEY: SECRET,
  MWS_AUTH_TOKEN: TOKEN,
  MWS_SELLER_ID: "A1FAULTHARNESS",
  MWS_LEDGER: ledger,
  NO_COLOR: "1",
  ...extra
})

const peakRss = (pid: number): number | undefined => {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return match === null ? undefined : Number(match[1]) / 1024
  } catch {
    return undefined
  }
}

/**
 * Starts `mws ARGS` with exactly `env` (from the sources, or the built
 * command with `built: true`); its output is collected, its peak memory
 * sampled.
 */
export const startCli = (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  options: { readonly built?: boolean } = {}
): Running => {
  const started = performance.now()
  const command = options.built === true ? [BUILT_BIN] : ["--conditions=@mws-kit/source", BIN]
  const child = spawn(NODE, [...command, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  let err = ""
  child.stdout!.on("data", (chunk) => {
    out += chunk
  })
  child.stderr!.on("data", (chunk) => {
    err += chunk
  })
  let signalledAt: number | undefined
  let peak: number | undefined
  const sampler = setInterval(() => {
    const now = child.pid === undefined ? undefined : peakRss(child.pid)
    if (now !== undefined) peak = now
  }, 20)
  const finished = new Promise<Finished>((resolve) => {
    child.on("exit", (code, signal) => {
      clearInterval(sampler)
      const at = performance.now()
      // Let the pipes drain.
      setTimeout(
        () =>
          resolve({
            code,
            signal,
            out,
            err,
            ms: at - started,
            afterSignalMs: signalledAt === undefined ? undefined : at - signalledAt,
            peakRssMb: peak
          }),
        20
      )
    })
  })
  return {
    child,
    signal: (signal) => {
      signalledAt ??= performance.now()
      child.kill(signal)
    },
    finished
  }
}

/** Runs `mws ARGS` to its end. */
export const runCli = (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  options: { readonly built?: boolean } = {}
): Promise<Finished> => startCli(args, env, options).finished

/** Waits until `test` holds, polling every 20 ms; throws after `timeoutMs`. */
export const waitFor = async (test: () => boolean, timeoutMs: number, what: string): Promise<void> => {
  const until = performance.now() + timeoutMs
  while (!test()) {
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A ledger row as the harness compares it. */
export interface Row {
  readonly request_id: string | null
  readonly request_timestamp: string | null
  readonly operation: string
  readonly outcome: string
  readonly call_id: string
  readonly attempt: number
}

/** Every row of a SQLite ledger file, read-only (an empty list when the file has no table yet). */
export const sqliteRows = (path: string): Array<Row> => {
  let db: DatabaseSync | undefined
  try {
    db = new DatabaseSync(path, { readOnly: true })
    return db
      .prepare("SELECT request_id, request_timestamp, operation, outcome, call_id, attempt FROM ledger_entries")
      .all() as unknown as Array<Row>
  } catch {
    return []
  } finally {
    db?.close()
  }
}

/** Rows of a spill file (JSON Lines of entries), in the harness's shape. */
export const spillRows = (path: string): Array<Row> =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const entry = JSON.parse(line) as Record<string, unknown>
      return {
        request_id: (entry.requestId as string | null) ?? null,
        request_timestamp: (entry.requestTimestamp as string | null) ?? null,
        operation: String(entry.operation),
        outcome: String(entry.outcome),
        call_id: String(entry.callId),
        attempt: Number(entry.attempt)
      }
    })

/** The spill files an `mws` run printed, each once (the ledger's log line and the CLI's verdict both name it). */
export const spillPaths = (text: string): Array<string> => [
  ...new Set([...text.matchAll(/spilled to (\S+\.jsonl)/g)].map((match) => match[1]!))
]

/**
 * Compares what the sandbox received with what was kept (ledger rows and
 * spill files): every request the sandbox answered or reset must have a row,
 * found by its RequestId or, for an attempt cut off before the answer, by its
 * request Timestamp; every row with a RequestId must be a request the sandbox
 * issued. Returns what is missing on either side (`lost`: requests with no
 * row).
 */
export const reconcile = (
  requests: ReadonlyArray<RequestLog.LoggedRequest>,
  rows: ReadonlyArray<Row>
): { readonly lost: ReadonlyArray<string>; readonly unknown: ReadonlyArray<string> } => {
  const byId = new Set(rows.flatMap((row) => (row.request_id === null ? [] : [row.request_id])))
  const byTimestamp = new Map<string, number>()
  for (const row of rows) {
    if (row.request_timestamp === null) continue
    byTimestamp.set(row.request_timestamp, (byTimestamp.get(row.request_timestamp) ?? 0) + 1)
  }
  const lost: Array<string> = []
  for (const request of requests) {
    if (request.path.startsWith("/_sandbox")) continue
    if (request.requestId !== null && byId.has(request.requestId)) continue
    const stamp = request.requestTimestamp
    if (stamp !== undefined && (byTimestamp.get(stamp) ?? 0) > 0) continue
    lost.push(`${request.operation} ${request.requestId ?? "(reset)"} @ ${stamp ?? "?"}`)
  }
  const issued = new Set(requests.flatMap((request) => (request.requestId === null ? [] : [request.requestId])))
  const unknown = [...byId].filter((id) => !issued.has(id))
  return { lost, unknown }
}

/** A small tmpfs for the disk-full cases, or `undefined` (with the reason) when this machine cannot mount one. */
export const mountTmpfs = (
  path: string,
  size: string
): { readonly unmount: () => void } | { readonly skip: string } => {
  try {
    mkdirSync(path, { recursive: true })
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", path], { stdio: "pipe" })
    return { unmount: () => execFileSync("umount", ["-l", path], { stdio: "pipe" }) }
  } catch (error) {
    return { skip: `cannot mount a tmpfs here (${(error as Error).message.split("\n")[0]})` }
  }
}

/** Fills the file system under `dir` with a file `filler` until it has no byte left (ENOSPC). */
export const fillDisk = (dir: string): void => {
  const fd = openSync(`${dir}/filler`, "w")
  const block = Buffer.alloc(4096)
  try {
    for (;;) writeSync(fd, block)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error
    for (let size = 2048; size >= 1; size = Math.floor(size / 2)) {
      try {
        for (;;) writeSync(fd, block, 0, size)
      } catch {}
    }
  } finally {
    closeSync(fd)
  }
}

const execFileAsync = promisify(execFile)

/**
 * Rows of the CLI's PostgreSQL ledger (the default table) for one seller,
 * read with psql straight from the server (not through a proxy); none while
 * the table does not exist yet.
 */
export const pgRows = async (pgUrl: string, sellerId: string): Promise<Array<Row>> => {
  const sql =
    "SELECT coalesce(json_agg(json_build_object('request_id', request_id, 'request_timestamp', request_timestamp, " +
    "'operation', operation, 'outcome', outcome, 'call_id', call_id, 'attempt', attempt)), '[]'::json) " +
    `FROM mws_ledger_entries WHERE seller_id = '${sellerId}'`
  try {
    const { stdout } = await execFileAsync("psql", [pgUrl, "-tAc", sql], { timeout: 5_000 })
    return JSON.parse(stdout.trim()) as Array<Row>
  } catch {
    return []
  }
}

/** Waits until the seller's PostgreSQL ledger holds an `in-flight` row. */
export const waitForPgInFlight = async (pgUrl: string, sellerId: string, timeoutMs: number): Promise<void> => {
  const until = performance.now() + timeoutMs
  while (!(await pgRows(pgUrl, sellerId)).some((row) => row.outcome === "in-flight")) {
    if (performance.now() > until) throw new Error(`no in-flight row in PostgreSQL after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * One run of `mws call` ListOrders interrupted by `signal` at a random point:
 * odd runs once the attempt's row is in the SQLite ledger (throttle, send,
 * answer, ledger write), even runs during start-up; then up to 600 ms more.
 */
export const signalledCall = async (
  sandbox: Sandbox.SandboxHandle,
  ledger: string,
  signal: NodeJS.Signals,
  run: number
): Promise<Finished> => {
  const rowsBefore = sqliteRows(ledger).length
  const started = startCli(["call", ...ORDERS], cliEnv(sandbox, ledger, { MWS_TIME_SCALE: "50" }))
  if (run % 2 === 1) {
    await waitFor(
      () => sqliteRows(ledger).length > rowsBefore || started.child.exitCode !== null,
      30_000,
      "the attempt's row"
    )
  }
  await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 600)))
  started.signal(signal)
  return started.finished
}
