import type { Options } from "tsup"
import { buildEntries } from "./package-exports.ts"

/**
 * The tsup settings every package shares: ESM only, declarations, source
 * maps, `effect` and other dependencies left external (tsup externalises
 * dependencies and peer dependencies by default). The entries are exactly
 * what the `exports` map publishes (`scripts/package-exports.ts`: `index`
 * and every public module in `src/`, so `@mws-kit/x/Module` has its own
 * file) plus the package's command-line entry (`src/bin.ts`) and any
 * `extraEntries` (bin scripts outside `src/`, worker files); modules in
 * `src/internal/` are bundled into the entries that use them.
 */
export const packageConfig = (packageDir: string, extraEntries: Record<string, string> = {}): Options => ({
  entry: { ...buildEntries(packageDir), ...extraEntries },
  format: ["esm"],
  target: "node22",
  platform: "node",
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  // Keep "node:" prefixes: tsup strips them by default, which turns "node:sqlite" (prefix-only) into a broken import.
  removeNodeProtocol: false
})
