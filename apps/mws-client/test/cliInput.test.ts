/**
 * `mws` refuses nonsense with a message and exit 2 instead of exiting 1 with
 * nothing printed or a stack trace (issue 14, "Every failure prints a
 * message" and "Reject nonsense"), and prints a page of any size.
 */
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { createServer } from "node:http"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { describeError } from "../src/commands/errorDescription.ts"
import { parseSince } from "../src/commands/ledger.ts"
import { printable } from "../src/commands/serverText.ts"
import { ClientConfig, ClientLayer } from "../src/index.ts"
import { runCli } from "./cliRunner.ts"
import { runCli as runProcess, startCli as startProcess, waitFor } from "./faultHarness.ts"
import { SECRET } from "./helpers.ts"

/** The `mws` entry point, from the sources. */
const BIN_PATH = fileURLToPath(new URL("../src/bin.ts", import.meta.url))

const env = {
  MWS_ENDPOINT: "http://127.0.0.1:9",
  MWS_ACCESS_KEY_ID: "AKIACLIINPUTTEST0001",
  MWS_SECRET_ACCESS_KEY: SECRET,
  MWS_SELLER_ID: "A1CLIINPUT",
  MWS_LEDGER: ":memory:"
}

describe("mws: nonsense in, a message and exit 2 out", () => {
  it.effect(
    "a wrong invocation: what is wrong and a one-line usage on stderr, nothing on stdout; --help on stdout",
    () =>
      Effect.gen(function* () {
        const missing = yield* runCli(["call"], env)
        assert.strictEqual(missing.code, 2)
        assert.strictEqual(missing.out, "")
        assert.include(missing.err, "Missing required argument: section")
        assert.include(missing.err, "Usage: mws call")
        assert.include(missing.err, "Run 'mws call --help'")
        const help = yield* runCli(["call", "--help"], env)
        assert.strictEqual(help.code, 0)
        assert.include(help.out, "Make one MWS call")
      })
  )

  it.effect("--version prints the package's own version", () =>
    Effect.gen(function* () {
      const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
        readonly version: string
      }
      const done = yield* runCli(["--version"], env)
      assert.strictEqual(done.code, 0)
      assert.include(done.out, `v${packageJson.version}`)
    })
  )

  it.effect("a section the endpoint table does not know, or the wrong case, or nothing", () =>
    Effect.gen(function* () {
      const lower = yield* runCli(["call", "orders", "GetServiceStatus"], env)
      assert.strictEqual(lower.code, 2)
      assert.include(lower.err, 'unknown section "orders": did you mean Orders?')
      const unknown = yield* runCli(["call", "NoSuchSection", "X"], env)
      assert.strictEqual(unknown.code, 2)
      assert.match(unknown.err, /unknown section "NoSuchSection": one of .*Orders/)
      const empty = yield* runCli(["call", "", ""], env)
      assert.strictEqual(empty.code, 2)
      assert.include(empty.err, "the section is empty")
    })
  )

  it.effect("--limit outside 1..10,000 and a --since date that does not exist", () =>
    Effect.gen(function* () {
      for (const limit of ["-1", "0", "10001"]) {
        const done = yield* runCli(["ledger", "list", "--limit", limit], env)
        assert.strictEqual(done.code, 2, `--limit ${limit}`)
        assert.include(done.err, "--limit must be a whole number from 1 to 10000")
      }
      const feb30 = yield* runCli(["ledger", "list", "--since", "2026-02-30"], env)
      assert.strictEqual(feb30.code, 2)
      assert.include(feb30.err, "--since 2026-02-30")
      const ok = yield* runCli(["ledger", "list", "--since", "2026-02-28", "--limit", "10000"], env)
      assert.strictEqual(ok.code, 0, ok.err)
    })
  )

  it.effect("MWS_TIME_SCALE far out of range is a configuration error naming it", () =>
    Effect.gen(function* () {
      const done = yield* runCli(["call", "Orders", "GetServiceStatus"], { ...env, MWS_TIME_SCALE: "1e-9" })
      assert.strictEqual(done.code, 2)
      assert.include(done.err, "MWS_TIME_SCALE=1e-9 is out of range")
    })
  )

  it("parseSince: durations, real dates and times; impossible ones refused", () => {
    const now = Date.UTC(2026, 11, 4)
    assert.strictEqual(parseSince("24h", now), now - 86_400_000)
    assert.strictEqual(parseSince("2026-02-28", now), Date.UTC(2026, 1, 28))
    assert.strictEqual(parseSince("2026-02-28T10:30:00Z", now), Date.UTC(2026, 1, 28, 10, 30))
    assert.strictEqual(parseSince("2024-02-29", now), Date.UTC(2024, 1, 29))
    for (const bad of ["2026-02-30", "2026-13-01", "2026-02-28T24:00:00Z", "yesterday", "12 fortnights", ""]) {
      assert.isUndefined(parseSince(bad, now), bad)
    }
  })
})

describe("mws call: a page of any size", () => {
  it.live("250,000 elements are printed, not a stack overflow", () =>
    Effect.gen(function* () {
      const orders = Array.from(
        { length: 250_000 },
        (_, i) => `<Order><AmazonOrderId>902-${i}</AmazonOrderId></Order>`
      ).join("")
      const body = `<?xml version="1.0"?><ListOrdersResponse xmlns="https://mws.amazonservices.com/Orders/2013-09-01"><ListOrdersResult><Orders>${orders}</Orders></ListOrdersResult><ResponseMetadata><RequestId>rid-big-page</RequestId></ResponseMetadata></ListOrdersResponse>`
      const server = createServer((_request, response) => {
        response.writeHead(200, { "content-type": "text/xml", "x-mws-request-id": "rid-big-page" })
        response.end(body)
      })
      yield* Effect.acquireRelease(
        Effect.promise(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))),
        () => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
      )
      const { port } = server.address() as { port: number }
      const done = yield* runCli(
        ["call", "Orders", "ListOrders", "MarketplaceId.Id.1=ATVPDKIKX0DER", "CreatedAfter=2026-01-01T00:00:00Z"],
        { ...env, MWS_ENDPOINT: `http://127.0.0.1:${port}` }
      )
      assert.strictEqual(done.code, 0, done.err.slice(0, 500))
      assert.include(done.out, "902-249999")
      assert.isAtLeast(done.out.split("\n").length, 250_000)
    })
  )
})

/** A loopback "MWS" that answers every request with one status and body. */
const answering = (status: number, body: string) =>
  Effect.gen(function* () {
    const server = createServer((_request, response) => {
      response.writeHead(status, { "content-type": "text/xml", "x-mws-request-id": "rid-local" })
      response.end(body)
    })
    yield* Effect.acquireRelease(
      Effect.promise(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))),
      () => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
    )
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })

describe("mws: what reaches the terminal", () => {
  it.effect("a server Message with OSC and CSI sequences is printed without them", () =>
    Effect.gen(function* () {
      // Raw control characters in the text: the parser keeps them (a reference such as &#x1b; is not well-formed XML and
      // is refused), so they reach the Message as the server sent them.
      const hostile = "Bad \u001b]0;pwned\u0007title \u001b[2J\u001b[31mred\u001b[0m and \u0007bell"
      const endpoint = yield* answering(
        400,
        `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>${hostile}</Message></Error><RequestID>rid-local</RequestID></ErrorResponse>`
      )
      const done = yield* runCli(["call", "Orders", "GetServiceStatus"], { ...env, MWS_ENDPOINT: endpoint })
      assert.strictEqual(done.code, 1)
      assert.include(done.err, "Bad title red and bell")
      const control = [...done.err].filter((char) => {
        const code = char.charCodeAt(0)
        return code < 0x09 || code === 0x1b || code === 0x7f
      })
      assert.deepStrictEqual(control, [])
    })
  )

  it("printable keeps text, tabs and newlines; drops escape sequences and control characters", () => {
    assert.strictEqual(printable("a\tb\nc"), "a\tb\nc")
    assert.strictEqual(printable("\u001b]2;title\u001b\\x\u001b[1;31my\u009bz\u0000"), "xyz")
  })

  it("URLs are masked whatever the password holds, and credential query parameters too", () => {
    assert.strictEqual(ClientConfig.maskUrl("redis://u:pa/ss@h:6379"), "redis://***@h:6379")
    assert.strictEqual(ClientConfig.maskUrl("redis://u:p@ss@h"), "redis://***@h")
    assert.strictEqual(
      ClientConfig.maskUrl("postgres://h/db?sslpassword=x&application_name=a&token=t"),
      "postgres://h/db?sslpassword=***&application_name=a&token=***"
    )
    assert.strictEqual(ClientConfig.maskUrl("https://mws.amazonservices.com"), "https://mws.amazonservices.com")
  })

  it.effect("a broken MWS_REDIS_URL is named without its password", () =>
    Effect.gen(function* () {
      for (const url of ["redis://u:pa/ss@h x", "redis://u:p@ss@h x"]) {
        const done = yield* runCli(["call", "Orders", "GetServiceStatus"], { ...env, MWS_REDIS_URL: url })
        assert.strictEqual(done.code, 2)
        assert.include(done.err, "MWS_REDIS_URL=redis://***@h x")
        assert.notInclude(done.err, "ss@")
      }
    })
  )

  it("logs go to stderr: --log-level debug with --json leaves one JSON document on stdout", async () => {
    const done = await runProcess(["--log-level", "debug", "call", "Orders", "GetServiceStatus", "--json"], {
      PATH: process.env.PATH ?? "",
      ...env,
      MWS_TIME_SCALE: "1000"
    })
    assert.strictEqual(done.code, 1)
    const document = JSON.parse(done.out) as { readonly error: { readonly _tag: string } }
    assert.strictEqual(document.error._tag, "RetryGaveUp")
    assert.include(done.err, "DEBUG")
  }, 60_000)
})

describe("mws sandbox", () => {
  it("prints environment lines that work when pasted as they are; Ctrl-C stops it with 130", async () => {
    const sandbox = startProcess(["sandbox", "--quiet"], { PATH: process.env.PATH ?? "", NO_COLOR: "1" })
    let printed = ""
    sandbox.child.stdout!.on("data", (chunk) => {
      printed += chunk
    })
    await waitFor(() => printed.includes("export MWS_SELLER_ID="), 30_000, "the sandbox's export lines")
    const lines = printed
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line.startsWith("export "))
    assert.strictEqual(lines.length, 4)
    const pasted = await promisify(execFile)(
      "bash",
      [
        "-c",
        `${lines.join("\n")}\nexport MWS_LEDGER=':memory:'\n"$NODE" --conditions=@mws-kit/source "$BIN" call Sellers GetServiceStatus --json`
      ],
      { env: { PATH: process.env.PATH ?? "", NODE: process.execPath, BIN: BIN_PATH } }
    )
    assert.strictEqual(JSON.parse(pasted.stdout).result.Status, "GREEN")
    sandbox.signal("SIGINT")
    const done = await sandbox.finished
    assert.strictEqual(done.code, 130)
  }, 60_000)
})

describe("colour", () => {
  it.effect("is decided per stream: stderr on a terminal is coloured, stdout in a pipe is plain", () =>
    Effect.gen(function* () {
      const saved = {
        FORCE_COLOR: process.env.FORCE_COLOR,
        NO_COLOR: process.env.NO_COLOR,
        TERM: process.env.TERM,
        stdout: process.stdout.isTTY,
        stderr: process.stderr.isTTY
      }
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          for (const name of ["FORCE_COLOR", "NO_COLOR", "TERM"] as const) {
            if (saved[name] === undefined) delete process.env[name]
            else process.env[name] = saved[name]
          }
          process.stdout.isTTY = saved.stdout
          process.stderr.isTTY = saved.stderr
        })
      )
      delete process.env.FORCE_COLOR
      delete process.env.NO_COLOR
      process.env.TERM = "xterm-256color"
      process.stdout.isTTY = false
      process.stderr.isTTY = true
      const endpoint = yield* answering(
        200,
        "<GetServiceStatusResponse><GetServiceStatusResult><Status>GREEN</Status></GetServiceStatusResult></GetServiceStatusResponse>"
      )
      const ok = yield* runCli(["call", "Orders", "GetServiceStatus"], { ...env, MWS_ENDPOINT: endpoint })
      assert.strictEqual(ok.code, 0, ok.err)
      assert.include(ok.out, "GREEN")
      assert.notInclude(ok.out, "\u001b[")
      const usage = yield* runCli(["call", "orders", "X"], env)
      assert.include(usage.err, "\u001b[31m")
    })
  )
})

describe("a postgres:// ledger without @effect/sql-pg", () => {
  it.effect("is a configuration error on MWS_LEDGER that says to install it, printed with exit 4", () =>
    Effect.gen(function* () {
      const missing = () =>
        Promise.reject(
          Object.assign(new Error("Cannot find package '@effect/sql-pg'"), { code: "ERR_MODULE_NOT_FOUND" })
        )
      const error = yield* Effect.flip(
        Layer.build(
          ClientLayer.ledgerStoreLayer({ _tag: "Postgres", url: Redacted.make("postgres://u:pw@db/test") }, missing)
        ).pipe(Effect.scoped)
      )
      assert.strictEqual(error._tag, "LedgerConfigError")
      assert.include(error.message, "MWS_LEDGER")
      assert.include(error.message, "npm install @effect/sql-pg")
      assert.notInclude(error.message, "pw")
      const printed = describeError(error)
      assert.strictEqual(printed.code, 4)
      assert.include(printed.lines.join("\n"), "@effect/sql-pg")
    })
  )
})

describe("a redis:// throttle without the redis package", () => {
  it.effect("is a configuration error on MWS_REDIS_URL that says to install it, printed with exit 2", () =>
    Effect.gen(function* () {
      const missing = () =>
        Promise.reject(Object.assign(new Error("Cannot find package 'redis'"), { code: "ERR_MODULE_NOT_FOUND" }))
      const config = ClientConfig.forSandbox({
        url: "http://127.0.0.1:1",
        accessKeyId: "AKIAREDISMISSING",
        secretKey: "not-a-secret",
        sellerId: "A1REDIS"
      })
      const error = yield* Effect.flip(
        Layer.build(
          ClientLayer.throttleLayer({ ...config, redisUrl: Redacted.make("redis://u:pw@cache:6379") }, {}, missing)
        ).pipe(Effect.scoped)
      )
      assert.strictEqual(error._tag, "ClientConfigError")
      assert.include(error.message, "npm install redis")
      assert.notInclude(error.message, "pw")
      const printed = describeError(error)
      assert.strictEqual(printed.code, 2)
      assert.include(printed.lines.join("\n"), "MWS_REDIS_URL")
      assert.include(printed.lines.join("\n"), "npm install redis")
    })
  )
})
