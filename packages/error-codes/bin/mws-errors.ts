#!/usr/bin/env node
/**
 * `mws-errors`: look up an MWS error code or an HTTP status in the catalog
 * and print what it means and what a client should do about it.
 *
 *   mws-errors                     summary and the nine common codes
 *   mws-errors RequestThrottled    one code (every section that lists it)
 *   mws-errors 503                 every code with that status, and the fallback class
 *   mws-errors --list              the whole catalog
 *   add --json for machine-readable output
 *
 * Exit codes: 0 found; 1 the code is not in the catalog; 2 usage error (an
 * unknown option, more than one code).
 */
import { ErrorCatalog, ErrorClass, MwsCatalog } from "../src/index.ts"

type Entry = ErrorCatalog.CatalogEntry

const args = process.argv.slice(2)
const json = args.includes("--json")
const words = args.filter((arg) => !arg.startsWith("-"))
const catalog = MwsCatalog.catalog

const print = (value: unknown, text: () => string): void => {
  console.log(json ? JSON.stringify(value, null, 2) : text())
}

const status = (entry: Entry): string => (entry.httpStatus === null ? "?" : String(entry.httpStatus))

const tableOf = (entries: ReadonlyArray<Entry>): string => {
  const rows = entries.map((entry) => [entry.code, entry.section, status(entry), entry.errorClass])
  const header = ["code", "section", "status", "class"]
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd()
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n")
}

const explain = (entry: Entry): string =>
  [
    `${entry.code} (${entry.section})`,
    `  HTTP status: ${entry.httpStatus ?? "no source states one"}`,
    `  class:       ${entry.errorClass}: ${ErrorClass.advice[entry.errorClass]}`,
    `  meaning:     ${entry.description}`,
    `  source:      ${entry.source}${entry.documented ? "" : " (seen on the wire, in no published table)"}`
  ].join("\n")

const summary = (): void => {
  const byClass = Object.fromEntries(
    ErrorClass.all.map((cls) => [cls, catalog.entries.filter((entry) => entry.errorClass === cls).length])
  )
  print({ entries: catalog.entries.length, byClass, common: MwsCatalog.commonCodes }, () =>
    [
      `mws-kit error catalog: ${catalog.entries.length} entries.`,
      "",
      ...ErrorClass.all.map(
        (cls) => `  ${cls.padEnd(15)}${String(byClass[cls]).padStart(4)}  ${ErrorClass.advice[cls]}`
      ),
      "",
      "The nine common codes (MWS Developer Guide, Handling errors, Table 1):",
      "",
      tableOf(MwsCatalog.commonCodes),
      "",
      "Usage: mws-errors <Code> | <HTTP status> | --list   [--json]"
    ].join("\n")
  )
}

const byStatus = (httpStatus: number): void => {
  const entries = catalog.entries.filter((entry) => entry.httpStatus === httpStatus)
  const fallback = ErrorClass.fromHttpStatus(httpStatus)
  print({ httpStatus, unknownCodeClass: fallback, entries }, () =>
    [
      entries.length === 0 ? `No catalogued code has HTTP ${httpStatus}.` : tableOf(entries),
      "",
      `A code the catalog does not know, sent with HTTP ${httpStatus}, is classified "${fallback}": ${ErrorClass.advice[fallback]}`
    ].join("\n")
  )
}

const byCode = (code: string): boolean => {
  const entries = ErrorCatalog.lookupAll(catalog, code)
  if (entries.length > 0) {
    print(entries, () => entries.map(explain).join("\n\n"))
    return true
  }
  const near = catalog.entries.filter((entry) => entry.code.toLowerCase().includes(code.toLowerCase()))
  print({ code, known: false, suggestions: near.map((entry) => entry.code) }, () =>
    [
      `"${code}" is not in the catalog. An unknown code is classified by its HTTP status: 429/503 throttled, other 5xx transient, other 4xx client.`,
      ...(near.length > 0 ? [`Did you mean: ${[...new Set(near.map((entry) => entry.code))].join(", ")}?`] : [])
    ].join("\n")
  )
  return false
}

/** The options `mws-errors` takes. */
const OPTIONS = new Set(["--json", "--list", "--help", "-h"])
const USAGE = "Usage: mws-errors [<Code> | <HTTP status> | --list] [--json]"

const main = (): number => {
  const unknown = args.find((arg) => arg.startsWith("-") && !OPTIONS.has(arg))
  if (unknown !== undefined || words.length > 1) {
    const problem =
      unknown !== undefined ? `unknown option ${unknown}` : `one code or status at a time, got ${words.join(" ")}`
    console.error(`mws-errors: ${problem}\n${USAGE}`)
    return 2
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log(
      `${USAGE}\n\nLooks up an MWS error code or HTTP status in the mws-kit catalog: what it means and what to do.`
    )
    return 0
  }
  if (args.includes("--list")) {
    print(catalog.entries, () => tableOf(catalog.entries))
    return 0
  }
  const [word] = words
  if (word === undefined) {
    summary()
    return 0
  }
  if (/^\d{3}$/.test(word)) {
    byStatus(Number(word))
    return 0
  }
  return byCode(word) ? 0 : 1
}

process.exitCode = main()
