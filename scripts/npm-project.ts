/**
 * An empty npm project in a temporary folder, as a user outside the
 * monorepo starts one: `npm install` from the registry (and local
 * tarballs), then Node run in it. Used by `bench-packages.ts`.
 */
import { execFileSync, spawn } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs"
import { delimiter, dirname, join } from "node:path"

/** An `npm install` gets this long; the registry is usually answered in seconds. */
export const INSTALL_TIMEOUT_MS = 5 * 60_000

/** The environment for npm and Node in a project: this Node first on PATH (npm's `#!/usr/bin/env node` picks it). */
const projectEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false",
  ...extra
})

/** Creates `directory` with a private ESM package.json and nothing else. */
export const createProject = (directory: string): string => {
  mkdirSync(directory, { recursive: true })
  writeFileSync(
    join(directory, "package.json"),
    `${JSON.stringify({ name: "mws-kit-bench-project", private: true, type: "module" }, null, 2)}\n`
  )
  return directory
}

/** `npm install <specs...> [flags...]` in the project (tarball paths and `name@range` from the registry). */
export const npmInstall = (
  directory: string,
  specs: ReadonlyArray<string>,
  flags: ReadonlyArray<string> = []
): void => {
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...flags, ...specs], {
    cwd: directory,
    env: projectEnv(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: INSTALL_TIMEOUT_MS
  })
}

/** Every installed package under `node_modules` (scoped and nested ones included), as `name` once per copy. */
export const installedPackages = (directory: string): ReadonlyArray<string> => {
  const found: Array<string> = []
  const walk = (nodeModules: string): void => {
    if (!existsSync(nodeModules)) return
    for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue
      const names = entry.name.startsWith("@")
        ? readdirSync(join(nodeModules, entry.name), { withFileTypes: true })
            .filter((scoped) => scoped.isDirectory())
            .map((scoped) => `${entry.name}/${scoped.name}`)
        : [entry.name]
      for (const name of names) {
        const dir = join(nodeModules, name)
        if (!existsSync(join(dir, "package.json"))) continue
        found.push(name)
        walk(join(dir, "node_modules"))
      }
    }
  }
  walk(join(directory, "node_modules"))
  return found.sort()
}

/** What a process run in the project did: exit status, output, how long it took. */
export interface RunResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

/**
 * Runs `command args` in the project with this Node first on PATH, bounded
 * by `timeoutMs`. Asynchronous, so a server in this process (the sandbox an
 * example talks to) keeps answering meanwhile.
 */
export const runIn = (
  directory: string,
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly timeoutMs: number; readonly env?: NodeJS.ProcessEnv }
): Promise<RunResult> =>
  new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(command, args, {
      cwd: directory,
      env: projectEnv(options.env),
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs)
    child.on("close", (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr, ms: performance.now() - started })
    })
  })
