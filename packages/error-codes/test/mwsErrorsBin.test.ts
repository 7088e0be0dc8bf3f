import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const BIN = fileURLToPath(new URL("../bin/mws-errors.ts", import.meta.url))

const run = (...args: ReadonlyArray<string>) => {
  const done = spawnSync(process.execPath, ["--conditions=@mws-kit/source", BIN, ...args], { encoding: "utf8" })
  return { code: done.status, out: done.stdout, err: done.stderr }
}

describe("mws-errors", () => {
  it("looks up a code (exit 0) and says when it does not know one (exit 1)", () => {
    const known = run("RequestThrottled")
    expect(known.code).toBe(0)
    expect(known.out).toContain("HTTP status: 503")
    const unknown = run("NoSuchCode")
    expect(unknown.code).toBe(1)
    expect(unknown.out).toContain("not in the catalog")
  })

  it("rejects an unknown option or two codes with exit 2 and the usage on stderr", () => {
    for (const args of [["--bogus", "RequestThrottled"], ["-x"], ["InternalError", "RequestThrottled"]]) {
      const done = run(...args)
      expect(done.code, args.join(" ")).toBe(2)
      expect(done.out).toBe("")
      expect(done.err).toContain("Usage: mws-errors")
    }
    expect(run("--help").code).toBe(0)
  })
})
