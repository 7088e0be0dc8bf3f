import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/**
 * What a package publishes, derived from its `src/` folder: every module
 * directly in `src/` is a subpath (`@mws-kit/x/Module`), `src/index.ts` is
 * the package itself, and nothing else is importable: not `src/internal/`,
 * not the CLI entry, not tsup's chunks, not the `bin/` scripts. Both
 * `scripts/sync-exports.ts` (the `exports` maps) and `scripts/tsup-package.ts`
 * (the build entries) read it, so the two never disagree.
 */

/** The repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..")

/** The folders that hold workspace packages (as `pnpm-workspace.yaml` lists them). */
export const WORKSPACE_FOLDERS = ["packages", "apps"] as const

/** The export condition that points workspace packages at each other's TypeScript sources. */
export const SOURCE_CONDITION = "@mws-kit/source"

/**
 * Files directly in `src/` that are not subpaths: `index.ts` is `"."`, and
 * `bin.ts` is a command-line entry (running it starts the CLI), built for
 * the package's `bin` but never importable.
 */
export const NOT_SUBPATHS: ReadonlySet<string> = new Set(["index", "bin"])

/** One export target: the three conditions every module has. */
export interface ModuleExport {
  readonly "@mws-kit/source": string
  readonly types: string
  readonly default: string
}

/** A package's whole `exports` map: `./package.json`, `.` and one entry per public module. */
export type ExportsMap = Readonly<Record<string, string | ModuleExport>>

/** A published workspace package: its folder (absolute), its folder relative to the root, and its name. */
export interface WorkspacePackage {
  readonly dir: string
  readonly relativeDir: string
  readonly name: string
}

const isModuleFile = (name: string): boolean => name.endsWith(".ts") && !name.endsWith(".d.ts")

/** The public modules of a package: the `.ts` files directly in `src/`, without `index` and `bin`, sorted. */
export const publicModules = (packageDir: string): ReadonlyArray<string> =>
  readdirSync(join(packageDir, "src"), { withFileTypes: true })
    .filter((entry) => entry.isFile() && isModuleFile(entry.name))
    .map((entry) => entry.name.slice(0, -".ts".length))
    .filter((name) => !NOT_SUBPATHS.has(name))
    .sort()

const moduleExport = (name: string): ModuleExport => ({
  [SOURCE_CONDITION]: `./src/${name}.ts`,
  types: `./dist/${name}.d.ts`,
  default: `./dist/${name}.js`
})

/** The `exports` map a package must have: `./package.json`, `.` (src/index.ts), then each public module. */
export const exportsFor = (packageDir: string): ExportsMap => ({
  "./package.json": "./package.json",
  ".": moduleExport("index"),
  ...Object.fromEntries(publicModules(packageDir).map((name) => [`./${name}`, moduleExport(name)]))
})

/**
 * tsup's entries for a package: `index`, every public module (so each
 * subpath has its own `dist/<Module>.js` and `.d.ts`), and `src/bin.ts` when
 * the package has one (the target of its `bin`).
 */
export const buildEntries = (packageDir: string): Record<string, string> => ({
  index: "src/index.ts",
  ...Object.fromEntries(publicModules(packageDir).map((name) => [name, `src/${name}.ts`])),
  ...(existsSync(join(packageDir, "src", "bin.ts")) ? { bin: "src/bin.ts" } : {})
})

/** Every published (not private) package of the workspace, sorted by folder. */
export const workspacePackages = (root: string = REPO_ROOT): ReadonlyArray<WorkspacePackage> =>
  WORKSPACE_FOLDERS.filter((folder) => existsSync(join(root, folder)))
    .flatMap((folder) =>
      readdirSync(join(root, folder), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(root, folder, entry.name, "package.json")))
        .map((entry) => `${folder}/${entry.name}`)
    )
    .sort()
    .flatMap((relativeDir) => {
      const dir = join(root, relativeDir)
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        readonly name: string
        readonly private?: boolean
      }
      return manifest.private === true ? [] : [{ dir, relativeDir, name: manifest.name }]
    })
