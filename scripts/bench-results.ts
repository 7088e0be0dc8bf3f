import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/** Where every benchmark writes its figures: `bench-results/` at the repository root. */
export const BENCH_RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "bench-results")

/** The machine a benchmark ran on, recorded next to its figures so numbers are never compared blind. */
export interface BenchMachine {
  readonly date: string
  readonly node: string
  readonly cpu: string
  readonly cores: number
  readonly platform: string
}

/** One benchmark's snapshot: its name, the machine, and its figures (ratios, rates, latencies). */
export interface BenchResult<Figures extends Record<string, number | string | boolean | null>> {
  readonly name: string
  readonly machine: BenchMachine
  readonly figures: Figures
  /** Targets the issue set, with whether this run met them. */
  readonly targets?: Readonly<Record<string, { readonly target: string; readonly met: boolean }>>
  /** Free-form notes: inputs, baselines and their settings. */
  readonly notes?: ReadonlyArray<string>
}

/** Describes this machine: date, Node version, CPU model and core count. */
export const describeMachine = (now: Date = new Date()): BenchMachine => {
  const cpu = cpus()
  return {
    date: now.toISOString(),
    node: process.version,
    cpu: cpu[0]?.model.trim() ?? "unknown",
    cores: cpu.length,
    platform: `${process.platform}-${process.arch}`
  }
}

/**
 * Writes `bench-results/<name>.json` with the figures and the machine, and
 * returns what it wrote. The files are committed as the latest measured
 * snapshot; the docs site plots them.
 */
export const writeBenchResult = <Figures extends Record<string, number | string | boolean | null>>(
  result: Omit<BenchResult<Figures>, "machine">,
  directory: string = BENCH_RESULTS_DIR
): BenchResult<Figures> => {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(result.name)) {
    throw new Error(`Benchmark name must be lowercase letters, digits and dashes: ${JSON.stringify(result.name)}`)
  }
  const full: BenchResult<Figures> = { ...result, machine: describeMachine() }
  mkdirSync(directory, { recursive: true })
  writeFileSync(join(directory, `${result.name}.json`), `${JSON.stringify(full, null, 2)}\n`)
  return full
}
