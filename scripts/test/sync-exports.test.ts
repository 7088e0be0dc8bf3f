/**
 * The `exports` maps: every published package's map is exactly what its
 * `src/` folder says (`scripts/sync-exports.ts --check` passes on the
 * repository), and the generator lists public modules only: not
 * `src/internal/`, not the CLI entry, not `./*`.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { buildEntries, exportsFor, publicModules, REPO_ROOT } from "../package-exports.ts"
import { describeDrift, findDrift, writeExports } from "../sync-exports.ts"

/** A repository with one package: src/index.ts, src/Widget.ts, src/bin.ts, src/internal/helper.ts, and `./*` exports. */
const fakeRepository = (): { readonly root: string; readonly dir: string } => {
  const root = mkdtempSync(join(tmpdir(), "sync-exports-"))
  const dir = join(root, "packages", "widget")
  mkdirSync(join(dir, "src", "internal"), { recursive: true })
  for (const file of ["index.ts", "Widget.ts", "bin.ts", "types.d.ts", "internal/helper.ts"]) {
    writeFileSync(join(dir, "src", file), "export {}\n")
  }
  const manifest = {
    name: "@mws-kit/widget",
    version: "0.0.0",
    exports: { "./package.json": "./package.json", "./*": { default: "./dist/*.js" } },
    files: ["dist"]
  }
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)
  mkdirSync(join(root, "apps", "private-app"), { recursive: true })
  writeFileSync(join(root, "apps", "private-app", "package.json"), JSON.stringify({ name: "app", private: true }))
  return { root, dir }
}

describe("sync-exports", () => {
  it("the repository's exports maps are up to date (the --check command exits 0)", () => {
    assert.deepStrictEqual(findDrift().map(describeDrift), [])
    const output = execFileSync(process.execPath, ["scripts/sync-exports.ts", "--check"], {
      cwd: REPO_ROOT,
      encoding: "utf8"
    })
    assert.match(output, /packages up to date/)
  })

  it("lists the modules directly in src/, without index, bin, declarations and internal/", () => {
    const { dir } = fakeRepository()
    assert.deepStrictEqual(publicModules(dir), ["Widget"])
    assert.deepStrictEqual(Object.keys(exportsFor(dir)), ["./package.json", ".", "./Widget"])
    assert.deepStrictEqual(exportsFor(dir)["./Widget"], {
      "@mws-kit/source": "./src/Widget.ts",
      types: "./dist/Widget.d.ts",
      default: "./dist/Widget.js"
    })
    // The build still has an entry for the CLI, which the exports never name.
    assert.deepStrictEqual(buildEntries(dir), { index: "src/index.ts", Widget: "src/Widget.ts", bin: "src/bin.ts" })
  })

  it("reports a stale map, fails --check, and rewrites it keeping the other fields", () => {
    const { root, dir } = fakeRepository()
    const drifts = findDrift(root)
    assert.deepStrictEqual(drifts.map(describeDrift), [
      "packages/widget/package.json: missing ., ./Widget; must not export ./*"
    ])
    const check = (() => {
      try {
        execFileSync(process.execPath, ["scripts/sync-exports.ts", "--check", `--root=${root}`], {
          cwd: REPO_ROOT,
          encoding: "utf8",
          stdio: "pipe"
        })
        return { status: 0, stderr: "" }
      } catch (error) {
        return error as { status: number; stderr: string }
      }
    })()
    assert.strictEqual(check.status, 1)
    assert.include(check.stderr, "packages/widget/package.json: missing ., ./Widget; must not export ./*")
    writeExports(drifts)
    assert.deepStrictEqual(findDrift(root), [])
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
    assert.deepStrictEqual(Object.keys(manifest), ["name", "version", "exports", "files"])
    assert.deepStrictEqual(Object.keys(manifest.exports), ["./package.json", ".", "./Widget"])
  })

  it("notices a module added to src/ and not yet exported", () => {
    const { root, dir } = fakeRepository()
    writeExports(findDrift(root))
    writeFileSync(join(dir, "src", "Gadget.ts"), "export {}\n")
    assert.deepStrictEqual(findDrift(root).map(describeDrift), ["packages/widget/package.json: missing ./Gadget"])
  })
})
