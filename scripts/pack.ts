/**
 * Builds and packs the published packages as a release would (`pnpm pack`:
 * `files`, `publishConfig`, `workspace:` ranges replaced by versions), and
 * reads the tarballs back. Shared by the pack test and `bench-packages.ts`.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { REPO_ROOT, type WorkspacePackage, workspacePackages } from "./package-exports.ts"

/** The repository's pnpm, run the way the README runs it. */
export const PNPM: readonly [string, ...Array<string>] = ["npx", "-y", "pnpm@12.4.2"]

/** A build of every package takes about a minute on two cores; turbo's cache makes a second one a no-op. */
export const BUILD_TIMEOUT_MS = 10 * 60_000

/** A packed package: the workspace package and its tarball. */
export interface PackedPackage {
  readonly pkg: WorkspacePackage
  readonly tarball: string
}

/** One file of an unpacked tarball: its path inside the package and its size in bytes. */
export interface TarballFile {
  readonly path: string
  readonly bytes: number
}

const pnpm = (args: ReadonlyArray<string>, cwd: string = REPO_ROOT): string =>
  execFileSync(PNPM[0], [...PNPM.slice(1), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
    maxBuffer: 64 * 1024 * 1024,
    timeout: BUILD_TIMEOUT_MS
  })

const filters = (packages: ReadonlyArray<WorkspacePackage>): Array<string> =>
  packages.map((pkg) => `--filter=${pkg.name}`)

/** Builds the published packages through turbo (cached: nothing is rebuilt when sources are unchanged). */
export const buildPackages = (packages: ReadonlyArray<WorkspacePackage> = workspacePackages()): void => {
  pnpm(["exec", "turbo", "run", "build", "--output-logs=errors-only", ...filters(packages)])
}

/** Packs the packages into `destination` with `pnpm pack` (one recursive run) and returns each tarball. */
export const packPackages = (
  destination: string,
  packages: ReadonlyArray<WorkspacePackage> = workspacePackages()
): ReadonlyArray<PackedPackage> => {
  mkdirSync(destination, { recursive: true })
  pnpm(["-r", ...filters(packages), "pack", "--pack-destination", destination])
  return packages.map((pkg) => {
    const { version } = JSON.parse(readFileSync(join(pkg.dir, "package.json"), "utf8")) as { version: string }
    const tarball = join(destination, `${pkg.name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`)
    statSync(tarball) // throws if pnpm named it otherwise
    return { pkg, tarball }
  })
}

/** Unpacks a tarball into `directory` (without npm's `package/` prefix). */
export const unpack = (tarball: string, directory: string): void => {
  mkdirSync(directory, { recursive: true })
  execFileSync("tar", ["-xzf", tarball, "-C", directory, "--strip-components=1"])
}

/** Every file under `directory`, relative, sorted, with its size. */
export const filesIn = (directory: string): ReadonlyArray<TarballFile> =>
  readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const full = join(entry.parentPath, entry.name)
      return { path: relative(directory, full).split("\\").join("/"), bytes: statSync(full).size }
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
