import { defineConfig } from "vitest/config"

/**
 * One vitest run over every workspace package (each keeps its own
 * `vitest.config.ts`) and the repository scripts. The `@mws-kit/source`
 * condition makes packages import each other's TypeScript sources, so tests
 * never need a build first; the `pack` project, which checks the tarballs
 * users install, builds them itself before the run.
 */
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "apps/*/vitest.config.ts",
      "apps/docs/vitest.browser.config.ts",
      { test: { name: "scripts", include: ["scripts/test/*.test.ts"] } },
      {
        test: {
          name: "pack",
          include: ["scripts/test/pack/*.test.ts"],
          // Builds (turbo, cached) and packs every package before the run: about a minute from scratch on two cores.
          globalSetup: ["scripts/test/pack/globalSetup.ts"],
          hookTimeout: 10 * 60_000
        }
      }
    ]
  }
})
