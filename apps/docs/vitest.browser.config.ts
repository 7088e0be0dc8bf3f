import { defineConfig } from "vitest/config"

const SOURCE_CONDITION = "@mws-kit/source"

/**
 * The browser test: globalSetup builds the site once before the run, then
 * Debian's Chromium visits it. A project of its own, so the docs unit tests
 * can run without the minute-long build.
 */
export default defineConfig({
  resolve: { conditions: [SOURCE_CONDITION] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION], externalConditions: [SOURCE_CONDITION] } },
  test: {
    name: "docs-browser",
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["test/browser/globalSetup.ts"],
    // Building the site (TypeDoc, then VitePress) takes about a minute on two cores.
    hookTimeout: 5 * 60_000
  }
})
