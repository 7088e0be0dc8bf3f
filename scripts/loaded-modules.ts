/**
 * Which modules a fresh Node process loads for `await import(specifier)`:
 * Node's module hooks (`module.registerHooks`, Node 22.15+) record every
 * URL the loader loads, and each file is attributed to the package whose
 * `package.json` (the nearest one with a name) holds it. Used by the lean
 * import test (sources) and by `bench-packages.ts` (installed tarballs).
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/** What one import loaded: every module URL in load order, and the packages and built-ins they come from. */
export interface LoadedModules {
  readonly urls: ReadonlyArray<string>
  /** Package names (from each file's nearest named `package.json`), sorted. */
  readonly packages: ReadonlyArray<string>
  /** Node built-ins (`node:fs`...), sorted. */
  readonly builtins: ReadonlyArray<string>
}

/** A whole import must finish within this bound (a cold `@mws-kit/mws-client` from TypeScript sources takes about 2 s). */
export const LOAD_TIMEOUT_MS = 60_000

/** Registered with `--import` before anything else loads: records each loaded URL and writes them out at exit. */
const HOOK = `
import { registerHooks } from "node:module"
import { writeFileSync } from "node:fs"
const urls = []
registerHooks({
  load(url, context, nextLoad) {
    urls.push(url)
    return nextLoad(url, context)
  }
})
process.on("exit", () => writeFileSync(process.env.MWS_KIT_LOADED_MODULES_FILE, JSON.stringify(urls)))
`

const packageNames = new Map<string, string | undefined>()

/** The name in the nearest `package.json` that has one, above `file`. */
export const packageOf = (file: string): string | undefined => {
  let dir = dirname(file)
  const visited: Array<string> = []
  while (true) {
    const cached = packageNames.get(dir)
    if (cached !== undefined || packageNames.has(dir)) {
      for (const d of visited) packageNames.set(d, cached)
      return cached
    }
    visited.push(dir)
    const manifest = join(dir, "package.json")
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, "utf8")) as { readonly name?: unknown }).name
      if (typeof name === "string") {
        for (const d of visited) packageNames.set(d, name)
        return name
      }
    }
    const parent = dirname(dir)
    if (parent === dir) {
      for (const d of visited) packageNames.set(d, undefined)
      return undefined
    }
    dir = parent
  }
}

/**
 * Starts `node` in `cwd`, imports `specifier` and reports what was loaded.
 * `conditions` are passed as `--conditions` (the workspace uses
 * `@mws-kit/source` to load TypeScript sources). Throws with Node's stderr
 * when the import fails.
 */
export const loadedModules = (options: {
  readonly cwd: string
  readonly specifier: string
  readonly conditions?: ReadonlyArray<string>
  readonly node?: string
}): LoadedModules => {
  const dir = mkdtempSync(join(tmpdir(), "mws-kit-loaded-"))
  const file = join(dir, "urls.json")
  try {
    const result = spawnSync(
      options.node ?? process.execPath,
      [
        ...(options.conditions ?? []).map((condition) => `--conditions=${condition}`),
        "--import",
        `data:text/javascript,${encodeURIComponent(HOOK)}`,
        "--input-type=module",
        "-e",
        "await import(process.argv[1])",
        options.specifier
      ],
      {
        cwd: options.cwd,
        env: { ...process.env, MWS_KIT_LOADED_MODULES_FILE: file },
        encoding: "utf8",
        timeout: LOAD_TIMEOUT_MS
      }
    )
    if (result.status !== 0 || !existsSync(file)) {
      throw new Error(`import(${JSON.stringify(options.specifier)}) failed in ${options.cwd}:\n${result.stderr}`)
    }
    const urls = JSON.parse(readFileSync(file, "utf8")) as ReadonlyArray<string>
    const packages = new Set<string>()
    const builtins = new Set<string>()
    for (const url of urls) {
      if (url.startsWith("node:")) builtins.add(url)
      else if (url.startsWith("file:")) {
        const name = packageOf(fileURLToPath(url))
        if (name !== undefined) packages.add(name)
      }
    }
    return { urls, packages: [...packages].sort(), builtins: [...builtins].sort() }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
