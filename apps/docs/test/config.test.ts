import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import config from "../.vitepress/config.ts"

describe("the site's build guards", () => {
  it("fails the build on a dead internal link (VitePress's default, never switched off)", () => {
    assert.isUndefined(config.ignoreDeadLinks)
  })

  it("type-checks the examples before it generates and builds", () => {
    const scripts = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).scripts
    const steps = String(scripts.build)
      .split("&&")
      .map((step: string) => step.trim())
    assert.match(steps[0] ?? "", /^tsc -p tsconfig\.json --noEmit$/)
    assert.match(steps.at(-1) ?? "", /^vitepress build$/)
  })

  it("indexes every page for the built-in local search", () => {
    assert.deepStrictEqual(config.themeConfig?.search, { provider: "local" })
  })
})
