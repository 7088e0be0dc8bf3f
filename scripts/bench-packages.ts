/**
 * The packages as a user outside the monorepo meets them. Builds (turbo,
 * cached) and packs every published package, then for each one installs it
 * ALONE into an empty npm project (its tarball, the tarballs of the
 * @mws-kit packages it depends on, and its required peers from the
 * registry) and records:
 *
 * - tarball size, packed and unpacked, and its file count;
 * - how many packages that install put in node_modules (production only),
 *   against `effect` installed alone;
 * - whether its README's first example runs (the first ```ts block whose
 *   imports are installed; examples that need MWS talk to a local sandbox
 *   through the `MWS_*` variables, Redis and PostgreSQL come from
 *   `MWS_KIT_REDIS_URL` / `MWS_KIT_PG_URL`);
 * - its import time: the median of `RUNS` fresh `node` processes timing
 *   `await import("<package>")`, against `await import("effect")` timed the
 *   same way in the same project (interleaved), as a ratio;
 * - which packages that import loads (module hooks, scripts/loaded-modules.ts).
 *
 * For the client it also checks `npx mws --version` and `npx mws demo` from
 * the installed tarball, and whether `redis` gets installed (plain,
 * `--omit=optional`, `--omit=peer`). Writes `bench-results/packages.json`.
 *
 *   node scripts/bench-packages.ts [--runs=N]
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { writeBenchResult } from "./bench-results.ts"
import { loadedModules } from "./loaded-modules.ts"
import { createProject, installedPackages, npmInstall, runIn } from "./npm-project.ts"
import { buildPackages, filesIn, type PackedPackage, packPackages, unpack } from "./pack.ts"
import { REPO_ROOT } from "./package-exports.ts"
import { firstRunnableExample } from "./readme-examples.ts"

/** Fresh processes per import-time median (odd, so the median is one run); `--runs=N` overrides. */
export const DEFAULT_RUNS = 11

/** A README example gets this long (the client's pages through a time-scaled sandbox in a few seconds). */
export const EXAMPLE_TIMEOUT_MS = 120_000

/** `mws demo` takes about 20 s; this leaves room for a slow machine. */
export const DEMO_TIMEOUT_MS = 180_000

/** The sandbox's time scale for the client's example: quotas and retry waits 100 times shorter, as in the demo. */
export const SANDBOX_TIME_SCALE = 100

/** Packages the client must never load on import (issue 14): Redis clients, WebSockets, the emulator. */
export const NEVER_WITH_THE_CLIENT = ["redis", "@redis/client", "ws", "@mws-kit/sandbox"] as const

/** Times `await import(specifier)` inside a fresh Node process (milliseconds, printed by the child). */
const IMPORT_TIMER = "const t = performance.now(); await import(process.argv[1]); console.log(performance.now() - t)"

interface Manifest {
  readonly name: string
  readonly version: string
  readonly dependencies?: Readonly<Record<string, string>>
  readonly peerDependencies?: Readonly<Record<string, string>>
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits))

/** `@mws-kit/mws-client` -> `mws_client`: the prefix of a package's figures. */
const figureName = (name: string): string => name.replace(/^@mws-kit\//, "").replace(/-/g, "_")

const readManifest = (tarball: string): Manifest => {
  const dir = mkdtempSync(join(tmpdir(), "mws-kit-manifest-"))
  unpack(tarball, dir)
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest
}

/** The tarballs one package needs: its own and those of its @mws-kit dependencies, transitively. */
const tarballsFor = (name: string, packed: ReadonlyMap<string, PackedPackage>): ReadonlyArray<string> => {
  const seen = new Set<string>()
  const visit = (current: string): void => {
    if (seen.has(current)) return
    seen.add(current)
    const manifest = readManifest(packed.get(current)!.tarball)
    for (const dep of Object.keys(manifest.dependencies ?? {})) if (packed.has(dep)) visit(dep)
  }
  visit(name)
  return [...seen].map((dep) => packed.get(dep)!.tarball)
}

/** The peers a user must install (the ones not marked optional), as `name@range`. */
const requiredPeers = (manifest: Manifest): ReadonlyArray<string> =>
  Object.entries(manifest.peerDependencies ?? {})
    .filter(([name]) => manifest.peerDependenciesMeta?.[name]?.optional !== true)
    .map(([name, range]) => `${name}@${range}`)

/** The median import time of `specifier` and of `effect` in the same project, interleaved run by run. */
const importTimes = async (
  project: string,
  specifier: string,
  runs: number
): Promise<{ readonly ms: number; readonly effectMs: number }> => {
  const own: Array<number> = []
  const effect: Array<number> = []
  const once = async (target: string): Promise<number> => {
    const result = await runIn(project, process.execPath, ["--input-type=module", "-e", IMPORT_TIMER, target], {
      timeoutMs: EXAMPLE_TIMEOUT_MS
    })
    if (result.status !== 0) throw new Error(`import("${target}") failed in ${project}:\n${result.stderr}`)
    return Number(result.stdout.trim())
  }
  for (let run = 0; run < runs; run++) {
    own.push(await once(specifier))
    effect.push(await once("effect"))
  }
  return { ms: median(own), effectMs: median(effect) }
}

/** Starts the workspace's built sandbox in this process: the MWS the client's README example talks to. */
const startSandbox = async () => {
  const url = pathToFileURL(join(REPO_ROOT, "packages/sandbox/dist/index.js")).href
  const { Sandbox } = (await import(url)) as typeof import("../packages/sandbox/src/index.ts")
  const sandbox = await Sandbox.start({ timeScale: SANDBOX_TIME_SCALE })
  const env = {
    MWS_ENDPOINT: sandbox.url,
    MWS_ACCESS_KEY_ID: Sandbox.DEFAULT_CREDENTIAL.accessKeyId,
    MWS_SECRET_ACCESS_KEY: Sandbox.DEFAULT_CREDENTIAL.secretKey,
    MWS_SELLER_ID: Sandbox.DEFAULT_SELLER_ID,
    MWS_TIME_SCALE: String(SANDBOX_TIME_SCALE)
  }
  return { env, close: () => sandbox.close() }
}

const main = async (): Promise<void> => {
  const runs = Number(process.argv.find((arg) => arg.startsWith("--runs="))?.slice("--runs=".length) ?? DEFAULT_RUNS)
  const work = mkdtempSync(join(tmpdir(), "mws-kit-bench-packages-"))
  console.log(`Building and packing (work folder ${work})`)
  buildPackages()
  const packed = new Map(packPackages(join(work, "tarballs")).map((entry) => [entry.pkg.name, entry]))
  const npmVersion = (await runIn(work, "npm", ["--version"], { timeoutMs: 30_000 })).stdout.trim()

  const figures: Record<string, number | string | boolean | null> = { runs }
  const notes: Array<string> = []
  const failures: Array<string> = []

  const effectOnly = createProject(join(work, "effect-only"))
  npmInstall(effectOnly, ["effect@^4.1.0"])
  const effectVersion = (
    JSON.parse(readFileSync(join(effectOnly, "node_modules/effect/package.json"), "utf8")) as { version: string }
  ).version
  figures.effect_only_installed_packages = installedPackages(effectOnly).length

  const sandbox = await startSandbox()
  try {
    for (const [name, { pkg, tarball }] of packed) {
      const prefix = figureName(name)
      const manifest = readManifest(tarball)
      const unpacked = join(work, "unpacked", prefix)
      unpack(tarball, unpacked)
      const files = filesIn(unpacked)
      figures[`${prefix}_packed_bytes`] = readFileSync(tarball).length
      figures[`${prefix}_unpacked_bytes`] = files.reduce((sum, file) => sum + file.bytes, 0)
      figures[`${prefix}_files`] = files.length

      const project = createProject(join(work, "projects", prefix))
      console.log(
        `${name}: npm install ${[...requiredPeers(manifest)].join(" ")} + ${tarballsFor(name, packed).length} tarball(s)`
      )
      npmInstall(project, [...tarballsFor(name, packed), ...requiredPeers(manifest)])
      const installed = installedPackages(project)
      figures[`${prefix}_installed_packages`] = installed.length

      const readme = readFileSync(join(pkg.dir, "README.md"), "utf8")
      const chosen = firstRunnableExample(readme, (dep) => existsSync(join(project, "node_modules", dep)))
      if (chosen === undefined) {
        failures.push(`${name}: no README example can run with what the package installs`)
        figures[`${prefix}_example_ok`] = false
      } else {
        writeFileSync(join(project, "example.mts"), chosen.example.code)
        const result = await runIn(project, process.execPath, ["example.mts"], {
          timeoutMs: EXAMPLE_TIMEOUT_MS,
          env: sandbox.env
        })
        figures[`${prefix}_example_ok`] = result.status === 0
        figures[`${prefix}_example_block`] = chosen.example.index + 1
        figures[`${prefix}_example_ms`] = round(result.ms, 0)
        if (chosen.skipped.length > 0)
          notes.push(`${name}: README example ${chosen.example.index + 1} run; ${chosen.skipped.join("; ")}`)
        if (result.status !== 0)
          failures.push(
            `${name}: README example ${chosen.example.index + 1} exited ${result.status}:\n${result.stderr.slice(-2000)}`
          )
      }

      // The baseline needs effect in the project; a package without it (wire-format) gets it after the count.
      if (!installed.includes("effect")) {
        npmInstall(project, ["effect@^4.1.0"])
        notes.push(
          `${name}: does not install effect; effect was added to its project afterwards, for the import baseline only`
        )
      }
      const times = await importTimes(project, name, runs)
      figures[`${prefix}_import_ms`] = round(times.ms)
      figures[`${prefix}_effect_import_ms`] = round(times.effectMs)
      figures[`${prefix}_import_ratio_vs_effect`] = round(times.ms / times.effectMs, 2)

      const loaded = loadedModules({ cwd: project, specifier: name })
      figures[`${prefix}_loaded_packages`] = loaded.packages.length
      if (name === "@mws-kit/mws-client") {
        figures.mws_client_loads_redis_ws_sandbox = NEVER_WITH_THE_CLIENT.filter((never) =>
          loaded.packages.includes(never)
        ).length
        figures.mws_client_loads_platform_node_index = loaded.urls.filter((url) =>
          /\/@effect\/platform-node(-shared)?\/dist\/index\.js$/.test(url)
        ).length
        notes.push(`@mws-kit/mws-client: import("@mws-kit/mws-client") loads ${loaded.packages.join(", ")}`)
        figures.mws_client_redis_installed = installed.includes("redis")
        figures.mws_client_platform_node_installed = installed.includes("@effect/platform-node")
        // redis is an optional peer: a redis:// throttle without it must say to install it (exit 2), not crash.
        const noRedis = await runIn(project, "npx", ["--no-install", "mws", "call", "Orders", "GetServiceStatus"], {
          timeoutMs: 60_000,
          env: { ...sandbox.env, MWS_REDIS_URL: "redis://127.0.0.1:6379" }
        })
        figures.mws_client_missing_redis_exit = noRedis.status
        figures.mws_client_missing_redis_hint = noRedis.stderr.includes("npm install redis")

        const version = await runIn(project, "npx", ["--no-install", "mws", "--version"], { timeoutMs: 60_000 })
        figures.mws_client_version_exit = version.status
        const demo = await runIn(project, "npx", ["--no-install", "mws", "demo"], { timeoutMs: DEMO_TIMEOUT_MS })
        figures.mws_client_npx_demo_exit = demo.status
        figures.mws_client_npx_demo_ms = round(demo.ms, 0)
        if (demo.status !== 0) failures.push(`npx mws demo exited ${demo.status}:\n${demo.stderr.slice(-2000)}`)

        for (const omit of ["optional", "peer"] as const) {
          const variant = createProject(join(work, "projects", `${prefix}-omit-${omit}`))
          npmInstall(variant, [...tarballsFor(name, packed), ...requiredPeers(manifest)], [`--omit=${omit}`])
          const variantInstalled = installedPackages(variant)
          figures[`mws_client_omit_${omit}_installed_packages`] = variantInstalled.length
          figures[`mws_client_omit_${omit}_redis_installed`] = variantInstalled.includes("redis")
          loadedModules({ cwd: variant, specifier: name }) // throws if the client cannot be imported from this install
        }
      }
      console.log(
        `  ${figures[`${prefix}_packed_bytes`]} B packed, ${figures[`${prefix}_unpacked_bytes`]} B unpacked, ` +
          `${installed.length} packages installed, import ${figures[`${prefix}_import_ms`]} ms ` +
          `(effect ${figures[`${prefix}_effect_import_ms`]} ms, ratio ${figures[`${prefix}_import_ratio_vs_effect`]}), ` +
          `README example ${figures[`${prefix}_example_ok`] === true ? "ran" : "FAILED"}`
      )
    }
  } finally {
    await sandbox.close()
  }

  const examplesFailed = [...packed.keys()].filter((name) => figures[`${figureName(name)}_example_ok`] !== true).length
  figures.examples_failed = examplesFailed
  const written = writeBenchResult({
    name: "packages",
    figures,
    targets: {
      examples_failed: { target: "= 0", met: examplesFailed === 0 },
      mws_client_loads_redis_ws_sandbox: { target: "= 0", met: figures.mws_client_loads_redis_ws_sandbox === 0 },
      mws_client_loads_platform_node_index: { target: "= 0", met: figures.mws_client_loads_platform_node_index === 0 },
      mws_client_redis_installed: { target: "= false", met: figures.mws_client_redis_installed === false },
      mws_client_missing_redis_exit: {
        target: "= 2, with an install hint",
        met: figures.mws_client_missing_redis_exit === 2 && figures.mws_client_missing_redis_hint === true
      },
      mws_client_npx_demo_exit: { target: "= 0", met: figures.mws_client_npx_demo_exit === 0 }
    },
    notes: [
      `Each package packed with pnpm pack, installed alone with npm ${npmVersion} into an empty project: its tarball, the tarballs of the @mws-kit packages it depends on, and its required peers from the registry (effect ${effectVersion}).`,
      "*_installed_packages: every package in node_modules after that install (the package itself and effect included); effect_only_installed_packages is effect installed alone.",
      `*_import_ms: median of ${runs} fresh node processes timing await import("<package>") with performance.now() inside the process; *_effect_import_ms is await import("effect") timed the same way in the same project, interleaved; the ratio divides the two.`,
      "*_loaded_packages: distinct packages whose files the import loads (module.registerHooks load hook).",
      `README examples: the first \`\`\`ts block whose imports are installed, written to example.mts and run with node; the client's talks to a local sandbox (time scale ${SANDBOX_TIME_SCALE}) through MWS_ENDPOINT and the sandbox's published test credential.`,
      "mws_client_*_redis_installed: redis is an optional peer of the client, so npm leaves it out; the client sends through undici directly and builds the CLI's services from @effect/platform-node-shared, so @effect/platform-node (which declares redis as a required peer) is not installed either. mws_client_missing_redis_*: `mws call` with MWS_REDIS_URL set in that install: the exit code, and whether stderr says to npm install redis.",
      ...notes,
      "Machine: 2 cores shared with other work; import times are noisy, compare ratios."
    ]
  })
  console.log(JSON.stringify(written.figures, null, 2))
  if (failures.length > 0) {
    console.error(`\n${failures.join("\n\n")}`)
    process.exitCode = 1
  }
}

if (import.meta.main) await main()
