/**
 * Lean imports: what `import("@mws-kit/<name>")` loads, measured in a fresh
 * Node process with module hooks (scripts/loaded-modules.ts), from the
 * TypeScript sources (`@mws-kit/source`). A package loads only the
 * @mws-kit packages it depends on (DESIGN's arrows), and the client loads
 * no Redis client, no `ws`, no sandbox, no `@effect/platform-node` (which
 * would bring `redis` into the install) and no undici until it sends. `bench-packages.ts` checks the same on the
 * installed tarballs.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { loadedModules } from "../loaded-modules.ts"
import { REPO_ROOT, SOURCE_CONDITION, type WorkspacePackage, workspacePackages } from "../package-exports.ts"

const packages = workspacePackages()
const byName = new Map(packages.map((pkg) => [pkg.name, pkg]))

const dependenciesOf = (pkg: WorkspacePackage): ReadonlyArray<string> =>
  Object.keys(
    (JSON.parse(readFileSync(join(pkg.dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> })
      .dependencies ?? {}
  )

/** The @mws-kit packages a package may load: itself and its dependencies, transitively. */
const allowedMwsKit = (pkg: WorkspacePackage): ReadonlySet<string> => {
  const seen = new Set<string>([pkg.name])
  const visit = (p: WorkspacePackage) => {
    for (const dep of dependenciesOf(p)) {
      const next = byName.get(dep)
      if (next !== undefined && !seen.has(dep)) {
        seen.add(dep)
        visit(next)
      }
    }
  }
  visit(pkg)
  return seen
}

const load = (pkg: WorkspacePackage) =>
  loadedModules({ cwd: pkg.dir, specifier: pkg.name, conditions: [SOURCE_CONDITION] })

/** Packages that must never load with the client: Redis clients, WebSockets, the emulator. */
const NEVER_WITH_THE_CLIENT = ["redis", "@redis/client", "ws", "@mws-kit/sandbox"]

describe("lean imports", { timeout: 120_000 }, () => {
  it("finds every published package of the workspace", () => {
    assert.includeMembers(
      packages.map((pkg) => pkg.name),
      ["@mws-kit/mws-client", "@mws-kit/sandbox", "@mws-kit/throttle", "@mws-kit/wire-format"]
    )
    assert.isTrue(packages.every((pkg) => pkg.dir.startsWith(REPO_ROOT)))
  })

  it("each package loads only the @mws-kit packages it depends on", () => {
    for (const pkg of packages) {
      const allowed = allowedMwsKit(pkg)
      const loaded = load(pkg).packages.filter((name) => name.startsWith("@mws-kit/"))
      assert.includeMembers([...allowed], loaded, `${pkg.name} loaded ${loaded.join(", ")}`)
    }
  })

  it("the client loads no Redis, no ws, no sandbox, no @effect/platform-node, no undici until it sends", () => {
    const client = byName.get("@mws-kit/mws-client")!
    const loaded = load(client)
    for (const name of NEVER_WITH_THE_CLIENT) assert.notInclude(loaded.packages, name)
    assert.include(loaded.packages, "@mws-kit/wire-format") // it signs with the shared wire format
    assert.notInclude(loaded.packages, "@effect/platform-node")
    assert.notInclude(loaded.packages, "undici") // imported by Transport.layerNode when it is built
    const roots = loaded.urls.filter((url) => /\/@effect\/platform-node(-shared)?\/dist\/index\.js$/.test(url))
    assert.deepStrictEqual(roots, []) // platform-node-shared by subpath only: its index loads every Node module it has
  })

  it("the throttle loads no Redis client until RedisConnection is imported", () => {
    const throttle = byName.get("@mws-kit/throttle")!
    assert.deepStrictEqual(
      load(throttle).packages.filter((name) => name === "redis" || name.startsWith("@redis/")),
      []
    )
    const connection = loadedModules({
      cwd: throttle.dir,
      specifier: "@mws-kit/throttle/RedisConnection",
      conditions: [SOURCE_CONDITION]
    })
    assert.include(connection.packages, "@redis/client")
  })

  it("the wire format loads nothing but itself and Node built-ins", () => {
    const loaded = load(byName.get("@mws-kit/wire-format")!)
    assert.deepStrictEqual(loaded.packages, ["@mws-kit/wire-format"])
    assert.include(loaded.builtins, "node:crypto")
  })
})
