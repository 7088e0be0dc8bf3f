import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import {
  type BenchFile,
  BenchFileError,
  benchmarksPage,
  chartSvg,
  decodeBenchFile,
  parseTarget,
  readBenchFiles
} from "../src/benchmarks.ts"

const machine = { date: "2026-11-25T10:00:00.000Z", node: "v24.21.0", cpu: "Test CPU", cores: 2, platform: "linux-x64" }

const bench: BenchFile = {
  name: "demo",
  figures: { ratio: 1.5, missed_ratio: 0.5, count: 10, label: "text" },
  targets: { ratio: { target: ">= 1", met: true }, missed_ratio: { target: ">= 0.8", met: false } },
  notes: ["baseline: the same input"],
  machine
}

describe("the benchmarks page", () => {
  it("parses targets as the benchmarks write them", () => {
    assert.deepStrictEqual(parseTarget(">= 0.95 with 0 throttled_503"), { comparison: ">=", value: 0.95 })
    assert.deepStrictEqual(parseTarget("<= 1.10"), { comparison: "<=", value: 1.1 })
    assert.deepStrictEqual(parseTarget("= 0"), { comparison: "=", value: 0 })
    assert.isUndefined(parseTarget("fast enough"))
  })

  it("draws a bar per target, coloured by whether the run met it, with the target's tick", () => {
    const svg = chartSvg(bench)
    assert.strictEqual(svg.match(/<rect /g)?.length, 2)
    assert.include(svg, 'class="met"')
    assert.include(svg, 'class="missed"')
    assert.strictEqual(svg.match(/class="target"/g)?.length, 2)
    assert.include(svg, "1.5 (target &gt;= 1, met)")
    assert.include(svg, "0.5 (target &gt;= 0.8, missed)")
    assert.notInclude(svg, "\n\n", "one HTML block: no blank line inside")
  })

  it("prints the machine and date, every figure and the notes", () => {
    const page = benchmarksPage([bench])
    assert.include(page, "## demo")
    assert.include(
      page,
      "Measured 2026-11-25 (2026-11-25T10:00:00.000Z) on Test CPU, 2 cores, linux-x64, Node v24.21.0"
    )
    assert.include(page, "1 of 2 targets met")
    assert.include(page, "| `count` | 10 |")
    assert.include(page, "| `missed_ratio` | 0.5 | &gt;= 0.8: **missed** |")
    assert.include(page, "- baseline: the same input")
  })

  it("reads the repository's own bench-results files", () => {
    const files = readBenchFiles(join(import.meta.dirname, "..", "..", "..", "bench-results"))
    assert.isAtLeast(files.length, 5)
    for (const file of files) assert.isString(file.machine.date)
  })

  it("fails with the file's name on a broken file", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-results-"))
    writeFileSync(join(dir, "broken.json"), "{ not json")
    assert.throws(() => readBenchFiles(dir), BenchFileError, /broken\.json: not valid JSON/)
    assert.throws(() => decodeBenchFile("x.json", { name: "x", figures: {} }), /x\.json: "machine" must record/)
    assert.throws(
      () => decodeBenchFile("y.json", { name: "y", figures: {}, machine, targets: { a: { target: 1 } } }),
      /targets\.a must be/
    )
  })
})
