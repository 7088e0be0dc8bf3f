/**
 * The benchmarks page: one chart per `bench-results/<name>.json` (the
 * snapshot each package's benchmark writes through
 * `scripts/bench-results.ts`), drawn as inline SVG when the site builds, with
 * the machine and date the file records.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { cell, code, generatedNotice, table } from "./markdown.ts"

/** One target of a benchmark: the figure, the target as the issue wrote it, and whether the run met it. */
export interface BenchTarget {
  readonly target: string
  readonly met: boolean
}

/** A `bench-results/<name>.json` file, as `scripts/bench-results.ts` writes it. */
export interface BenchFile {
  readonly name: string
  readonly figures: Readonly<Record<string, number | string | boolean | null>>
  readonly targets: Readonly<Record<string, BenchTarget>>
  readonly notes: ReadonlyArray<string>
  readonly machine: {
    readonly date: string
    readonly node: string
    readonly cpu: string
    readonly cores: number
    readonly platform: string
  }
}

/** A bench-results file that cannot be read: the build fails with this, naming the file. */
export class BenchFileError extends Error {
  readonly file: string
  readonly problem: string
  constructor(file: string, problem: string) {
    super(`bench-results: ${file}: ${problem}`)
    this.name = "BenchFileError"
    this.file = file
    this.problem = problem
  }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** Checks a parsed file's shape; throws a {@link BenchFileError} naming what is missing. */
export const decodeBenchFile = (file: string, json: unknown): BenchFile => {
  const fail = (problem: string): never => {
    throw new BenchFileError(file, problem)
  }
  if (!isRecord(json)) return fail("not a JSON object")
  if (typeof json.name !== "string" || json.name === "") fail('"name" must be a non-empty string')
  if (!isRecord(json.figures)) fail('"figures" must be an object')
  const machine = json.machine
  if (!isRecord(machine) || typeof machine.date !== "string" || typeof machine.cpu !== "string") {
    fail('"machine" must record at least "date" and "cpu"')
  }
  const targets = json.targets ?? {}
  if (!isRecord(targets)) return fail('"targets" must be an object')
  for (const [figure, target] of Object.entries(targets)) {
    if (!isRecord(target) || typeof target.target !== "string" || typeof target.met !== "boolean") {
      fail(`targets.${figure} must be { target: string, met: boolean }`)
    }
  }
  const notes = json.notes ?? []
  if (!Array.isArray(notes) || !notes.every((n) => typeof n === "string")) fail('"notes" must be a list of strings')
  return json as unknown as BenchFile
}

/** Every `*.json` file of a directory, decoded, sorted by name. */
export const readBenchFiles = (directory: string): ReadonlyArray<BenchFile> =>
  readdirSync(directory)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const path = join(directory, name)
      let json: unknown
      try {
        json = JSON.parse(readFileSync(path, "utf8"))
      } catch (error) {
        throw new BenchFileError(name, `not valid JSON (${error instanceof Error ? error.message : String(error)})`)
      }
      return decodeBenchFile(name, json)
    })

/** A target such as ">= 0.95 with 0 throttled_503" split into its comparison and its number. */
export const parseTarget = (
  target: string
): { readonly comparison: "<=" | ">=" | "=" | "<" | ">"; readonly value: number } | undefined => {
  const match = /^\s*(<=|>=|=|<|>)\s*(-?\d+(?:\.\d+)?)/.exec(target)
  if (match === null) return undefined
  return { comparison: match[1] as "<=" | ">=" | "=" | "<" | ">", value: Number(match[2]) }
}

const CHART_WIDTH = 720
const LABEL_WIDTH = 230
const ROW_HEIGHT = 34
const BAR_HEIGHT = 16

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4))))

const escapeXml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

/**
 * One horizontal bar per target: the measured figure (green when the run met
 * the target, red when it did not) and a dark tick at the target. Each row has
 * its own scale (0 to the larger of the figure and the target, plus a margin),
 * since the figures have different units.
 */
export const chartSvg = (bench: BenchFile): string => {
  const rows = Object.entries(bench.targets).flatMap(([figure, target]) => {
    const value = bench.figures[figure]
    const parsed = parseTarget(target.target)
    return typeof value === "number" ? [{ figure, target, value, parsed }] : []
  })
  if (rows.length === 0) return ""
  const height = rows.length * ROW_HEIGHT + 10
  const barSpace = CHART_WIDTH - LABEL_WIDTH - 150
  const parts = rows.map((row, i) => {
    const y = 8 + i * ROW_HEIGHT
    const max = Math.max(row.value, row.parsed?.value ?? 0, Number.MIN_VALUE) * 1.15
    const barWidth = (barSpace * Math.max(row.value, 0)) / max
    const tick =
      row.parsed === undefined
        ? ""
        : `<line x1="${LABEL_WIDTH + (barSpace * row.parsed.value) / max}" x2="${LABEL_WIDTH + (barSpace * row.parsed.value) / max}" y1="${y - 3}" y2="${y + BAR_HEIGHT + 3}" class="target" />`
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${y + 12}" text-anchor="end">${escapeXml(row.figure)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${barWidth}" height="${BAR_HEIGHT}" class="${row.target.met ? "met" : "missed"}" />`,
      tick,
      `<text x="${LABEL_WIDTH + barWidth + 6}" y="${y + 12}">${fmt(row.value)} (target ${escapeXml(row.target.target)}, ${row.target.met ? "met" : "missed"})</text>`
    ].join("")
  })
  return `<div class="bench-chart"><svg viewBox="0 0 ${CHART_WIDTH} ${height}" role="img" aria-label="${escapeXml(bench.name)}: measured figures against their targets">${parts.join("")}</svg></div>`
}

const figureText = (value: number | string | boolean | null): string =>
  typeof value === "number" ? fmt(value) : value === null ? "n/a" : cell(String(value))

/** The section of one benchmark: machine, chart, every figure, notes. */
export const benchSection = (bench: BenchFile): string => {
  const targets = Object.entries(bench.targets)
  const met = targets.filter(([, t]) => t.met).length
  return [
    `## ${bench.name}`,
    "",
    `Measured ${bench.machine.date.slice(0, 10)} (${bench.machine.date}) on ${cell(bench.machine.cpu)}, ` +
      `${bench.machine.cores} cores, ${bench.machine.platform}, Node ${bench.machine.node}. ` +
      `${met} of ${targets.length} targets met.`,
    "",
    chartSvg(bench),
    "",
    table(
      ["Figure", "Value", "Target"],
      Object.entries(bench.figures).map(([figure, value]) => {
        const target = bench.targets[figure]
        return [
          code(figure),
          figureText(value),
          target === undefined ? "" : `${cell(target.target)}: ${target.met ? "met" : "**missed**"}`
        ]
      })
    ),
    "",
    ...(bench.notes.length === 0 ? [] : ["How it was measured:", "", ...bench.notes.map((n) => `- ${cell(n)}`), ""])
  ].join("\n")
}

/** The whole benchmarks page. */
export const benchmarksPage = (benches: ReadonlyArray<BenchFile>): string =>
  [
    generatedNotice("bench-results/*.json"),
    "",
    "# Benchmarks",
    "",
    "The latest figures of every package's benchmark, drawn from the `bench-results/*.json` files the " +
      "benchmarks write (`npx -y pnpm@12.4.2 run bench` reruns them all and rewrites the files). Each chart " +
      "shows the measured figure as a bar, green when the run met its target and red when it missed, and the " +
      "target as a dark tick. Ratios compare against a baseline measured in the same run, on the same input " +
      "and machine, so they travel between machines better than absolute times; the machine and date each " +
      "file records are printed with it. Missed targets are shown as measured, with the notes that explain them.",
    "",
    ...benches.map(benchSection)
  ].join("\n")
