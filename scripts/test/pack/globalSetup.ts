/**
 * Builds the published packages (turbo: a no-op when they are up to date)
 * and packs each into a temporary folder once, before any test of the run
 * starts, so the build never competes with timing-sensitive suites. The
 * tests read the tarballs as npm would publish them.
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { TestProject } from "vitest/node"
import { buildPackages, packPackages } from "../../pack.ts"

declare module "vitest" {
  interface ProvidedContext {
    /** Package name to the path of its tarball. */
    readonly tarballs: Readonly<Record<string, string>>
  }
}

export default function setup(project: TestProject): void {
  buildPackages()
  const packed = packPackages(mkdtempSync(join(tmpdir(), "mws-kit-pack-")))
  project.provide("tarballs", Object.fromEntries(packed.map(({ pkg, tarball }) => [pkg.name, tarball])))
}
