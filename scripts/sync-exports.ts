/**
 * Writes (or, with `--check`, checks) the `exports` map of every published
 * package from its `src/` folder: `./package.json`, `.`, and one entry per
 * public module, nothing else (see `scripts/package-exports.ts`).
 *
 *   node scripts/sync-exports.ts           # rewrite the maps that are out of date
 *   node scripts/sync-exports.ts --check   # exit 1, naming them, if any is out of date
 *
 * `--root=DIR` works on another checkout (the tests use a scratch one).
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { isDeepStrictEqual } from "node:util"
import { type ExportsMap, exportsFor, REPO_ROOT, type WorkspacePackage, workspacePackages } from "./package-exports.ts"

/** A package whose `exports` differ from what its `src/` folder says they must be. */
export interface ExportsDrift {
  readonly pkg: WorkspacePackage
  readonly actual: unknown
  readonly expected: ExportsMap
}

const manifestPath = (pkg: WorkspacePackage): string => join(pkg.dir, "package.json")

/** Every package whose `exports` map is out of date (key order included), in folder order. */
export const findDrift = (root: string = REPO_ROOT): ReadonlyArray<ExportsDrift> =>
  workspacePackages(root).flatMap((pkg) => {
    const manifest = JSON.parse(readFileSync(manifestPath(pkg), "utf8")) as { readonly exports?: unknown }
    const expected = exportsFor(pkg.dir)
    const sameOrder =
      typeof manifest.exports === "object" &&
      manifest.exports !== null &&
      JSON.stringify(Object.keys(manifest.exports)) === JSON.stringify(Object.keys(expected))
    return sameOrder && isDeepStrictEqual(manifest.exports, expected)
      ? []
      : [{ pkg, actual: manifest.exports, expected }]
  })

/** One line per difference: the keys a package lacks and the keys it must not have. */
export const describeDrift = (drift: ExportsDrift): string => {
  const actualKeys =
    typeof drift.actual === "object" && drift.actual !== null ? Object.keys(drift.actual) : ([] as Array<string>)
  const expectedKeys = Object.keys(drift.expected)
  const missing = expectedKeys.filter((key) => !actualKeys.includes(key))
  const extra = actualKeys.filter((key) => !expectedKeys.includes(key))
  const parts = [
    missing.length > 0 ? `missing ${missing.join(", ")}` : "",
    extra.length > 0 ? `must not export ${extra.join(", ")}` : "",
    missing.length === 0 && extra.length === 0 ? "targets or order differ" : ""
  ].filter((part) => part !== "")
  return `${drift.pkg.relativeDir}/package.json: ${parts.join("; ")}`
}

/** Rewrites the `exports` of each drifted package in place, keeping every other field and its position. */
export const writeExports = (drifts: ReadonlyArray<ExportsDrift>): void => {
  for (const drift of drifts) {
    const manifest = JSON.parse(readFileSync(manifestPath(drift.pkg), "utf8")) as Record<string, unknown>
    manifest.exports = drift.expected
    writeFileSync(manifestPath(drift.pkg), `${JSON.stringify(manifest, null, 2)}\n`)
  }
}

if (import.meta.main) {
  const check = process.argv.includes("--check")
  const root = process.argv.find((arg) => arg.startsWith("--root="))?.slice("--root=".length) ?? REPO_ROOT
  const drifts = findDrift(root)
  if (drifts.length === 0) {
    console.log(`exports: ${workspacePackages(root).length} packages up to date`)
  } else if (check) {
    for (const drift of drifts) console.error(describeDrift(drift))
    console.error("exports are out of date: run `npx -y pnpm@12.4.2 run sync-exports`")
    process.exitCode = 1
  } else {
    writeExports(drifts)
    for (const drift of drifts) console.log(`updated ${drift.pkg.relativeDir}/package.json`)
  }
}
