/**
 * Builds the site once, before any test of the run starts (so the minute of
 * TypeDoc and VitePress work never competes with timing-sensitive suites),
 * and hands its folder to the browser test. Skips the build when Chromium is
 * missing and the test will skip; `MWS_KIT_DOCS_DIST` serves a site built
 * earlier instead.
 */
import { existsSync } from "node:fs"
import type { TestProject } from "vitest/node"
import { chromiumPath } from "../../../../scripts/test-services.ts"
import { buildSite } from "./site.ts"

declare module "vitest" {
  interface ProvidedContext {
    /** The built site's folder, or `""` when the browser test skips. */
    readonly docsDist: string
    /** Debian's Chromium, or `""` when it is not installed. */
    readonly chromium: string
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const chromium = chromiumPath("docs site in Chromium", existsSync)
  project.provide("chromium", chromium ?? "")
  project.provide("docsDist", chromium === undefined ? "" : await buildSite())
}
