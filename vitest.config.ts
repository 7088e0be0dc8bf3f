import { defineConfig } from "vitest/config"

/**
 * One vitest run over every workspace package (each keeps its own
 * `vitest.config.ts`) and the repository scripts. The `@mws-kit/source`
 * condition makes packages import each other's TypeScript sources, so tests
 * never need a build first.
 */
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "apps/*/vitest.config.ts",
      "apps/docs/vitest.browser.config.ts",
      { test: { name: "scripts", include: ["scripts/test/**/*.test.ts"] } }
    ]
  }
})
