/**
 * `mws-sandbox` as a user runs it: the real bin in its own process (Node 24,
 * the TypeScript source through the `@mws-kit/source` condition), stdout and
 * stderr on pipes, stopped with real signals.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import type { Sandbox } from "../src/index.ts"
import { call } from "./helpers.ts"

const NODE = fileURLToPath(new URL("../../../node_modules/.bin/node", import.meta.url))
const BIN = fileURLToPath(new URL("../bin/mws-sandbox.ts", import.meta.url))

/**
 * How soon after a signal the process must have exited: the bin's own bound
 * (900 ms) plus slack for a loaded 2-core machine. A clean stop takes tens
 * of milliseconds.
 */
const STOP_WITHIN_MS = 2_000

/** How long a test may take: a process start is about a second, more when the whole suite runs on 2 cores. */
const TEST_TIMEOUT_MS = 30_000

const run = (args: ReadonlyArray<string>) => {
  const child = spawn(NODE, ["--conditions=@mws-kit/source", BIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "" }
  })
  let stdout = ""
  let stderr = ""
  child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk))
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk))
  const exited = new Promise<{ readonly code: number | null; readonly at: number }>((resolve) =>
    child.on("close", (code) => resolve({ code, at: Date.now() }))
  )
  const output = () => ({ stdout, stderr })
  const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (let i = 0; i < 400; i++) {
      const match = pattern.exec(stdout)
      if (match !== null) return match
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    throw new Error(`timed out waiting for ${pattern}; stdout: ${stdout}; stderr: ${stderr}`)
  }
  /** Sends the signal; resolves with the exit code and how long the process took to exit. */
  const stop = async (signal: NodeJS.Signals) => {
    const sent = Date.now()
    child.kill(signal)
    const { code, at } = await exited
    return { code, ms: at - sent }
  }
  return { child, exited, output, waitFor, stop }
}

const listening = async (cli: ReturnType<typeof run>): Promise<Sandbox.SandboxHandle> => {
  const [, url] = await cli.waitFor(/^mws-sandbox listening on (http:\/\/\S+)$/m)
  return { url: url!, host: new URL(url!).host } as Sandbox.SandboxHandle
}

describe("mws-sandbox command", () => {
  it("serves requests with scripted faults, prints a line per request, and exits 143 on SIGTERM", {
    timeout: TEST_TIMEOUT_MS
  }, async () => {
    const cli = run(["--fault", "GetServiceStatus=internal-error"])
    try {
      const handle = await listening(cli)
      const first = await call(handle, { section: "Orders", operation: "GetServiceStatus" })
      const second = await call(handle, { section: "Orders", operation: "GetServiceStatus" })
      assert.deepStrictEqual([first.status, second.status], [500, 200])
      await cli.waitFor(new RegExp(`${second.headers.get("x-mws-request-id")}\\s+Orders/GetServiceStatus\\s+200`))
      assert.match(
        cli.output().stdout,
        new RegExp(
          `${first.headers.get("x-mws-request-id")}\\s+Orders/GetServiceStatus\\s+500\\s+InternalError\\s+fault=internal-error`
        )
      )
      assert.notInclude(cli.output().stdout, "sandbox-secret-key", "the secret key is never printed")
    } finally {
      const { code, ms } = await cli.stop("SIGTERM")
      assert.strictEqual(code, 143)
      assert.isBelow(ms, STOP_WITHIN_MS)
    }
    assert.include(cli.output().stderr, "stopped (SIGTERM)")
  })

  it("exits 130 on SIGINT (Ctrl-C), every answered request printed", { timeout: TEST_TIMEOUT_MS }, async () => {
    const cli = run(["--port", "0"])
    const handle = await listening(cli)
    const answered = await call(handle, { section: "Sellers", operation: "GetServiceStatus" })
    assert.strictEqual(answered.status, 200)
    const { code, ms } = await cli.stop("SIGINT")
    assert.strictEqual(code, 130)
    assert.isBelow(ms, STOP_WITHIN_MS)
    assert.include(cli.output().stdout, `${answered.headers.get("x-mws-request-id")}  Sellers/GetServiceStatus  200`)
  })

  it("refuses a bad flag with exit 2, what is wrong and the usage on stderr", {
    timeout: TEST_TIMEOUT_MS
  }, async () => {
    const expected: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [["--fault", "ListOrders=meteor"], 'unknown fault "meteor"'],
      [["--access-key-id", "AKIA1"], "--access-key-id needs --secret-key-env"],
      [["--bogus"], "Unrecognized flag: --bogus"]
    ]
    const done = await Promise.all(
      expected.map(async ([args]) => {
        const cli = run(args)
        return { ...(await cli.exited), ...cli.output() }
      })
    )
    done.forEach(({ code, stdout, stderr }, i) => {
      const [args, message] = expected[i]!
      assert.strictEqual(code, 2, args.join(" "))
      assert.strictEqual(stdout, "", args.join(" "))
      assert.include(stderr, message)
      assert.include(stderr, "Usage: mws-sandbox")
    })
  })
})
