import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { describeMachine, writeBenchResult } from "../bench-results.ts"

describe("writeBenchResult", () => {
  it("writes <name>.json with the figures, the date, Node version and CPU model", () => {
    const directory = mkdtempSync(join(tmpdir(), "bench-results-"))
    writeBenchResult({ name: "example-bench", figures: { ratio: 1.25, rejections: 0 } }, directory)
    const written = JSON.parse(readFileSync(join(directory, "example-bench.json"), "utf8"))
    assert.deepStrictEqual(written.figures, { ratio: 1.25, rejections: 0 })
    assert.strictEqual(written.name, "example-bench")
    assert.strictEqual(written.machine.node, process.version)
    assert.isAbove(written.machine.cpu.length, 0)
    assert.isFalse(Number.isNaN(Date.parse(written.machine.date)))
  })

  it("refuses a name that is not a plain file name", () => {
    assert.throws(() => writeBenchResult({ name: "../escape", figures: {} }, tmpdir()), /lowercase/)
  })

  it("describes the machine with the given date", () => {
    assert.strictEqual(describeMachine(new Date(0)).date, "1970-01-01T00:00:00.000Z")
  })
})
