/**
 * `mws` at a terminal and in a pipe, run as a real process (issue 14):
 * progress on long waits (a status line on a terminal, one line per decision
 * off it, never on stdout), `--json` documents for usage errors and
 * `--paginate` pages, tables cut to the terminal's width, and ledgers that
 * can only be read.
 *
 * The terminal is a pseudo-terminal from util-linux's `script` (Debian's
 * essential bsdutils package), with stdout redirected to a file inside it
 * when a test must tell the two streams apart.
 */
import { execFile } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Sandbox } from "@mws-kit/sandbox"
import { Effect } from "effect"
import { runCli } from "./cliRunner.ts"
import { ACCESS_KEY, cliEnv, mountTmpfs, runCli as runProcess } from "./faultHarness.ts"
import { SECRET } from "./helpers.ts"

const BIN = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
const LIST_ORDERS = ["Orders", "ListOrders", "MarketplaceId.Id.1=ATVPDKIKX0DER", "CreatedAfter=2026-01-01T00:00:00Z"]

/** The escape sequence the status line starts with: back to column 0, erase the line. */
const ERASE = "\r\u001b[2K"

/** A sandbox for one test, closed with its scope. */
const sandboxFor = (options: Sandbox.SandboxOptions = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => Sandbox.start({ credentials: [{ accessKeyId: ACCESS_KEY, secretKey: SECRET }], ...options })),
    (sandbox) => Effect.promise(() => sandbox.close())
  )

/** A temporary directory for one test. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "mws-terminal-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

/**
 * Runs `mws ARGS` in a pseudo-terminal of `columns` columns, stdout
 * redirected to `stdoutFile` when given. Returns the terminal's transcript
 * (what a person would have seen) and the exit code.
 */
const inTerminal = async (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  options: { readonly columns?: number; readonly stdoutFile?: string } = {}
): Promise<{ readonly code: number; readonly screen: string }> => {
  const quoted = args.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(" ")
  const redirect = options.stdoutFile === undefined ? "" : ` > '${options.stdoutFile}'`
  const command = `stty cols ${options.columns ?? 100} rows 40; "$NODE" --conditions=@mws-kit/source "$BIN" ${quoted}${redirect}`
  const result = await promisify(execFile)("script", ["-qefc", command, "/dev/null"], {
    env: { ...env, NODE: process.execPath, BIN, TERM: "xterm" },
    maxBuffer: 16 * 1024 * 1024
  }).then(
    (done) => ({ code: 0, screen: done.stdout }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, screen: error.stdout ?? "" })
  )
  return result
}

describe("progress on long waits", () => {
  it.live(
    "off a terminal: one line per retry decision on stderr, with the attempt and the code; nothing on stdout",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const sandbox = yield* sandboxFor({
          faults: { ListOrders: [{ kind: "internal-error" }, { kind: "internal-error" }] }
        })
        const done = yield* Effect.promise(() =>
          runProcess(
            ["call", ...LIST_ORDERS, "--json"],
            cliEnv(sandbox, join(dir, "ledger.sqlite"), { MWS_TIME_SCALE: "10" })
          )
        )
        assert.strictEqual(done.code, 0, done.err)
        const lines = done.err.split("\n").filter((line) => line.startsWith("mws: "))
        assert.deepStrictEqual(
          lines.map((line) => line.replace(/retrying in \d+ s$/, "retrying in N s")),
          [
            "mws: attempt 1 of Orders/ListOrders: InternalError (HTTP 500); retrying in N s",
            "mws: attempt 2 of Orders/ListOrders: InternalError (HTTP 500); retrying in N s"
          ]
        )
        assert.notInclude(done.out, "retrying")
        assert.strictEqual(JSON.parse(done.out).metadata.attempt, 3)
      }),
    60_000
  )

  it.live(
    "off a terminal: a throttled call's retry waits the restore; the next page says which quota it waits for",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        // ListOrders: a bucket of 6 restoring one a minute (2 s at 30x). RequestThrottled drains it:
        // the retry waits a restore, and so does the next page (ListOrdersByNextToken shares the bucket).
        const sandbox = yield* sandboxFor({
          timeScale: 30,
          orders: 2,
          faults: { ListOrders: [{ kind: "request-throttled" }] }
        })
        const env = cliEnv(sandbox, join(dir, "ledger.sqlite"), { MWS_TIME_SCALE: "30" })
        const done = yield* Effect.promise(() =>
          runProcess(["call", ...LIST_ORDERS, "MaxResultsPerPage=1", "--paginate", "--json"], env)
        )
        assert.strictEqual(done.code, 0, done.err)
        assert.match(
          done.err,
          /mws: attempt 1 of Orders\/ListOrders: RequestThrottled \(HTTP 503\); retrying in [12] s/
        )
        assert.match(done.err, /mws: waiting for Orders\/ListOrdersByNextToken quota \(next slot in [12] s\)/)
        assert.strictEqual(done.out.trim().split("\n").length, 2, "two pages, one JSON line each")
        assert.notInclude(done.out, "waiting")
      }),
    60_000
  )

  it.live(
    "on a terminal: a status line on stderr counts the retry down, then is erased; stdout holds only the result",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        // The third attempt waits 4 s (2 s at 2x): the countdown shows 2 s, then 1 s.
        const sandbox = yield* sandboxFor({
          faults: {
            ListOrders: [{ kind: "internal-error" }, { kind: "internal-error" }, { kind: "internal-error" }]
          }
        })
        const stdoutFile = join(dir, "stdout.txt")
        const run = yield* Effect.promise(() =>
          inTerminal(
            ["call", ...LIST_ORDERS],
            cliEnv(sandbox, join(dir, "ledger.sqlite"), { MWS_TIME_SCALE: "2", NO_COLOR: "1" }),
            { stdoutFile }
          )
        )
        assert.strictEqual(run.code, 0, run.screen)
        assert.include(
          run.screen,
          `${ERASE}… attempt 3 of Orders/ListOrders: InternalError (HTTP 500); retrying in 2 s`
        )
        assert.include(
          run.screen,
          `${ERASE}… attempt 3 of Orders/ListOrders: InternalError (HTTP 500); retrying in 1 s`
        )
        // Erased before the result: the last status line is followed by an erase.
        const lastStatus = run.screen.lastIndexOf("retrying in")
        assert.isAbove(run.screen.indexOf(ERASE, lastStatus), lastStatus)
        assert.notInclude(run.screen, "mws: attempt", "no log-style lines on a terminal")
        const stdout = readFileSync(stdoutFile, "utf8")
        assert.include(stdout, "AmazonOrderId")
        assert.notInclude(stdout, "retrying")
        assert.notInclude(stdout, "\u001b")
      }),
    60_000
  )
})

describe("--json: one document on stdout, whatever happens", () => {
  const env = {
    MWS_ENDPOINT: "http://127.0.0.1:9",
    MWS_ACCESS_KEY_ID: ACCESS_KEY,
    MWS_SECRET_ACCESS_KEY: SECRET,
    MWS_SELLER_ID: "A1TERMINAL",
    MWS_LEDGER: ":memory:"
  }

  it.effect("a usage error the command finds is a JSON error with exit 2", () =>
    Effect.gen(function* () {
      const done = yield* runCli(["call", "orders", "GetServiceStatus", "--json"], env)
      assert.strictEqual(done.code, 2)
      assert.deepStrictEqual(JSON.parse(done.out), {
        error: { _tag: "Usage", message: 'unknown section "orders": did you mean Orders?' },
        exitCode: 2
      })
      assert.strictEqual(done.err, "")
    })
  )

  it.effect("a usage error the parser finds (an unknown flag) is a JSON error too, with the usage line", () =>
    Effect.gen(function* () {
      const done = yield* runCli(["call", "Orders", "GetServiceStatus", "--jsno", "--json"], env)
      assert.strictEqual(done.code, 2)
      const document = JSON.parse(done.out) as {
        readonly error: { readonly _tag: string; readonly message: string; readonly usage: string }
        readonly exitCode: number
      }
      assert.strictEqual(document.error._tag, "Usage")
      assert.include(document.error.message, "--jsno")
      assert.include(document.error.usage, "mws call")
      assert.strictEqual(document.exitCode, 2)
    })
  )

  it.live("--paginate follows NextToken: every page, as JSON Lines, each recorded", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const sandbox = yield* sandboxFor({ timeScale: 1_000, orders: 25 })
      const ledger = join(dir, "ledger.sqlite")
      const sandboxEnv = cliEnv(sandbox, ledger, { MWS_TIME_SCALE: "1000" })
      const done = yield* runCli(["call", ...LIST_ORDERS, "MaxResultsPerPage=10", "--all", "--json"], sandboxEnv)
      assert.strictEqual(done.code, 0, done.out + done.err)
      const pages = done.out.split("\n").map(
        (line) =>
          JSON.parse(line) as {
            readonly page: number
            readonly metadata: { readonly requestId: string }
            readonly result: { readonly Orders?: { readonly Order?: unknown } }
          }
      )
      assert.deepStrictEqual(
        pages.map((page) => page.page),
        [1, 2, 3]
      )
      const orders = pages.flatMap((page) => {
        const order = page.result.Orders?.Order
        return Array.isArray(order) ? order : order === undefined ? [] : [order]
      })
      assert.strictEqual(orders.length, 25)
      const actions = sandbox.requests().map((request) => request.operation)
      assert.deepStrictEqual(actions, ["ListOrders", "ListOrdersByNextToken", "ListOrdersByNextToken"])
      const listed = yield* runCli(["ledger", "list", "--json"], sandboxEnv)
      const ids = (JSON.parse(listed.out) as { entries: Array<{ requestId: string }> }).entries.map((e) => e.requestId)
      assert.sameMembers(
        ids,
        pages.map((page) => page.metadata.requestId)
      )
    })
  )

  it("mws demo --json: the narration on stderr, one JSON document of figures on stdout", async () => {
    const done = await runProcess(["demo", "--json"], {
      PATH: process.env.PATH ?? "",
      MWS_LEDGER: ":memory:",
      NO_COLOR: "1"
    })
    assert.strictEqual(done.code, 0, done.err.slice(-2_000))
    const figures = JSON.parse(done.out) as { readonly attempts: number; readonly pacedThrottled: number }
    assert.isAbove(figures.attempts, 0)
    assert.strictEqual(figures.pacedThrottled, 0)
    for (const scene of ["1/6", "6/6", "MWS support request"]) assert.include(done.err, scene)
  }, 120_000)

  it.effect("--paginate on a download is a usage error", () =>
    Effect.gen(function* () {
      const done = yield* runCli(["call", "Reports", "GetReport", "ReportId=1", "--paginate"], env)
      assert.strictEqual(done.code, 2)
      assert.include(done.err, "--paginate follows NextToken pages of a listing")
    })
  )
})

describe("tables", () => {
  it.live(
    "fit the terminal's width, cut with an ellipsis; --wide and a pipe keep whole values",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const sandbox = yield* sandboxFor({ timeScale: 1_000 })
        const ledger = join(dir, "ledger.sqlite")
        const env = cliEnv(sandbox, ledger, { MWS_TIME_SCALE: "1000" })
        const call = yield* runCli(["call", ...LIST_ORDERS, "--json"], env)
        assert.strictEqual(call.code, 0, call.err)
        const requestId = JSON.parse(call.out).metadata.requestId as string

        const narrow = yield* Effect.promise(() => inTerminal(["ledger", "list"], env, { columns: 70 }))
        assert.strictEqual(narrow.code, 0, narrow.screen)
        const rows = narrow.screen.split(/\r?\n/).filter((line) => line.trim() !== "")
        for (const row of rows) assert.isAtMost(row.length, 70, row)
        assert.include(narrow.screen, "…")
        assert.notInclude(narrow.screen, requestId)

        const wide = yield* Effect.promise(() => inTerminal(["ledger", "list", "--wide"], env, { columns: 70 }))
        assert.include(wide.screen, requestId)
        const piped = yield* runCli(["ledger", "list"], env)
        assert.include(piped.out, requestId)
        assert.notInclude(piped.out, "…")
      }),
    60_000
  )
})

describe("read-only ledgers", () => {
  it.live("a missing ledger file reads as empty and is not created", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const ledger = join(dir, "nowhere", "ledger.sqlite")
      const env = { PATH: process.env.PATH ?? "", MWS_LEDGER: ledger, NO_COLOR: "1" }
      const listed = yield* runCli(["ledger", "list"], env)
      assert.strictEqual(listed.code, 0, listed.err)
      assert.include(listed.out, "No matching entries.")
      const found = yield* runCli(["ledger", "find", "no-such-id"], env)
      assert.strictEqual(found.code, 3)
      assert.isFalse(existsSync(join(dir, "nowhere")))
    })
  )

  const mountPoint = join(tmpdir(), `mws-ro-ledger-${process.pid}`)
  mkdirSync(mountPoint, { recursive: true })
  const mounted = mountTmpfs(mountPoint, "8m")
  if ("skip" in mounted) process.stderr.write(`SKIPPED read-only mount test: ${mounted.skip}\n`)

  it.live.skipIf("skip" in mounted)(
    "on a read-only mount: list, find, stats and export read it; a call or a prune says `read-only`, exit 4",
    () =>
      Effect.gen(function* () {
        yield* Effect.addFinalizer(() =>
          Effect.sync(() => {
            if ("unmount" in mounted) mounted.unmount()
            rmSync(mountPoint, { recursive: true, force: true })
          })
        )
        const sandbox = yield* sandboxFor({ timeScale: 1_000 })
        const ledger = join(mountPoint, "ledger.sqlite")
        const env = cliEnv(sandbox, ledger, { MWS_TIME_SCALE: "1000" })
        const call = yield* runCli(["call", ...LIST_ORDERS, "--json"], env)
        assert.strictEqual(call.code, 0, call.err)
        const requestId = JSON.parse(call.out).metadata.requestId as string
        yield* Effect.promise(() => promisify(execFile)("mount", ["-o", "remount,ro", mountPoint]))

        const listed = yield* runCli(["ledger", "list", "--json"], env)
        assert.strictEqual(listed.code, 0, listed.err)
        assert.deepStrictEqual(
          (JSON.parse(listed.out) as { entries: Array<{ requestId: string }> }).entries.map((e) => e.requestId),
          [requestId]
        )
        const found = yield* runCli(["ledger", "find", requestId], env)
        assert.strictEqual(found.code, 0, found.err)
        const stats = yield* runCli(["ledger", "stats", "--json"], env)
        assert.strictEqual(JSON.parse(stats.out).total, 1)
        const exported = yield* Effect.promise(() => runProcess(["ledger", "export"], env))
        assert.strictEqual(exported.code, 0, exported.err)
        assert.include(exported.out, requestId)

        for (const args of [
          ["call", ...LIST_ORDERS],
          ["ledger", "prune"]
        ]) {
          const refused = yield* runCli(args, env)
          assert.strictEqual(refused.code, 4, `${args.join(" ")}: ${refused.err}`)
          assert.include(refused.err, "(read-only)")
        }
      }),
    60_000
  )
})
