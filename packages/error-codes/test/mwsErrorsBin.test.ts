/**
 * `mws-errors` as a user runs it: the real bin in its own process (Node 24,
 * the TypeScript source through the `@mws-kit/source` condition), stdout and
 * stderr on pipes. Every case asserts the exit code, which stream got what,
 * and that `--json` leaves exactly one JSON document on stdout.
 */
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const NODE = fileURLToPath(new URL("../../../node_modules/.bin/node", import.meta.url))
const BIN = fileURLToPath(new URL("../bin/mws-errors.ts", import.meta.url))

/** How long the first test waits for the processes, all started at once: generous for 2 loaded cores. */
const START_TIMEOUT_MS = 30_000

interface Run {
  readonly code: number | null
  readonly out: string
  readonly err: string
}

const run = (...args: ReadonlyArray<string>): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      NODE,
      ["--conditions=@mws-kit/source", BIN, ...args],
      { env: { PATH: process.env.PATH ?? "" } },
      (error, out, err) => resolve({ code: error === null ? 0 : (error.code as number | null), out, err })
    )
  })

/** Each process takes most of a second to start: they run side by side, once for the whole file. */
const cases = {
  found: ["RequestThrottled"],
  notFound: ["NoSuchCode"],
  unknownFlag: ["--bogus", "RequestThrottled"],
  twoCodes: ["InternalError", "RequestThrottled"],
  help: ["--help"],
  notFoundJson: ["--json", "NoSuchCode"],
  listJson: ["--list", "--json"],
  usageJson: ["--json", "--bogus"]
} as const
const results = Promise.all(
  Object.entries(cases).map(async ([name, args]) => [name, await run(...args)] as const)
).then((entries) => Object.fromEntries(entries) as Record<keyof typeof cases, Run>)

describe("mws-errors", () => {
  it("looks up a code (exit 0) and says when it does not know a code (exit 1)", {
    timeout: START_TIMEOUT_MS
  }, async () => {
    const { found, notFound } = await results
    expect(found).toMatchObject({ code: 0, err: "" })
    expect(found.out).toContain("HTTP status: 503")
    expect(notFound).toMatchObject({ code: 1, err: "" })
    expect(notFound.out).toContain('"NoSuchCode" is not in the catalog')
  })

  it("rejects an unknown option or two codes with exit 2, what is wrong and the usage on stderr", async () => {
    const { unknownFlag, twoCodes } = await results
    const expected = {
      unknownFlag: "Unrecognized flag: --bogus",
      twoCodes: 'Unexpected positional argument: "RequestThrottled"'
    }
    for (const [name, done] of Object.entries({ unknownFlag, twoCodes })) {
      expect(done.code, name).toBe(2)
      expect(done.out, name).toBe("")
      expect(done.err, name).toContain(expected[name as keyof typeof expected])
      expect(done.err, name).toContain("Usage: mws-errors")
    }
  })

  it("prints the full help on stdout with --help (exit 0)", async () => {
    const { help } = await results
    expect(help).toMatchObject({ code: 0, err: "" })
    expect(help.out).toContain("USAGE")
    expect(help.out).toContain("--list")
    expect(help.out).toContain("--json")
  })

  it("with --json prints exactly one JSON document on stdout, usage errors included", async () => {
    const { notFoundJson, listJson, usageJson } = await results
    for (const [name, done] of Object.entries({ notFoundJson, listJson, usageJson })) {
      expect(done.err, name).toBe("")
      expect(() => JSON.parse(done.out), name).not.toThrow()
    }
    expect(notFoundJson.code).toBe(1)
    expect(JSON.parse(notFoundJson.out)).toMatchObject({ code: "NoSuchCode", known: false })
    expect(listJson.code).toBe(0)
    expect(JSON.parse(listJson.out)).toContainEqual(
      expect.objectContaining({ code: "RequestThrottled", httpStatus: 503 })
    )
    expect(usageJson.code).toBe(2)
    expect(JSON.parse(usageJson.out)).toMatchObject({
      error: { _tag: "Usage", message: expect.stringContaining("--bogus") },
      exitCode: 2
    })
  })
})
