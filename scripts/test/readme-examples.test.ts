import { readFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { REPO_ROOT } from "../package-exports.ts"
import { firstRunnableExample, importedPackages, packageName, tsExamples } from "../readme-examples.ts"

const README = [
  "# x",
  "",
  "```sh",
  "npm install x effect",
  "```",
  "",
  "```ts",
  'import { it } from "@effect/vitest"',
  'import { A } from "@mws-kit/x"',
  "```",
  "",
  "```typescript",
  'import { Effect } from "effect"',
  'import * as Fs from "node:fs"',
  'import "fs"',
  'import { B } from "@mws-kit/x/B"',
  'const lazy = await import("fast-xml-parser")',
  "```",
  ""
].join("\n")

describe("README examples", () => {
  it("extracts every ts and typescript block, in order", () => {
    const examples = tsExamples(README)
    assert.deepStrictEqual(
      examples.map((example) => example.index),
      [0, 1]
    )
    assert.strictEqual(examples[0]!.code, 'import { it } from "@effect/vitest"\nimport { A } from "@mws-kit/x"\n')
  })

  it("lists the packages an example imports, without Node built-ins or subpaths", () => {
    assert.deepStrictEqual(importedPackages(tsExamples(README)[1]!.code), ["@mws-kit/x", "effect", "fast-xml-parser"])
    assert.strictEqual(packageName("@effect/platform-node/NodeHttpClient"), "@effect/platform-node")
    assert.strictEqual(packageName("effect/Schema"), "effect")
  })

  it("picks the first example whose imports are installed, and says which it skipped", () => {
    const installed = new Set(["@mws-kit/x", "effect", "fast-xml-parser"])
    const chosen = firstRunnableExample(README, (name) => installed.has(name))
    assert.strictEqual(chosen?.example.index, 1)
    assert.deepStrictEqual(chosen?.skipped, ["block 1 imports @effect/vitest (not installed)"])
    assert.isUndefined(firstRunnableExample(README, () => false))
  })

  it("runs the sandbox's promise example, not its @effect/vitest one", () => {
    const readme = readFileSync(join(REPO_ROOT, "packages/sandbox/README.md"), "utf8")
    const chosen = firstRunnableExample(readme, (name) => ["@mws-kit/sandbox", "effect"].includes(name))
    assert.include(chosen?.example.code, "await Sandbox.start(")
  })
})
