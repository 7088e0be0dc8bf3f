import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import type { Sandbox } from "../src/index.ts"
import { call } from "./helpers.ts"

const bin = fileURLToPath(new URL("../bin/mws-sandbox.ts", import.meta.url))

const run = (args: ReadonlyArray<string>) => {
  const child = spawn(process.execPath, ["--conditions=@mws-kit/source", bin, ...args], {
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk) => (stdout += chunk))
  child.stderr.on("data", (chunk) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const output = () => ({ stdout, stderr })
  const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (let i = 0; i < 200; i++) {
      const match = pattern.exec(stdout)
      if (match !== null) return match
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    throw new Error(`timed out waiting for ${pattern}; stdout: ${stdout}; stderr: ${stderr}`)
  }
  return { child, exited, output, waitFor }
}

describe("mws-sandbox command", () => {
  it("serves requests with scripted faults, prints a line per request, and stops on SIGTERM", async () => {
    const cli = run(["--fault", "GetServiceStatus=internal-error"])
    try {
      const [, url] = await cli.waitFor(/listening on (http:\/\/\S+)/)
      const host = new URL(url!).host
      const handle = { url: url!, host } as Sandbox.SandboxHandle
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
      cli.child.kill("SIGTERM")
    }
    assert.strictEqual(await cli.exited, 0)
  })

  it("refuses a bad flag with a message and exit code 2", async () => {
    const cli = run(["--fault", "ListOrders=meteor"])
    assert.strictEqual(await cli.exited, 2)
    assert.include(cli.output().stderr, 'unknown fault "meteor"')
    const noSecret = run(["--access-key-id", "AKIA1"])
    assert.strictEqual(await noSecret.exited, 2)
    assert.include(noSecret.output().stderr, "--secret-key-env")
  })
})
