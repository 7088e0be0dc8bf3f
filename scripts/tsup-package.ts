import { readdirSync } from "node:fs"
import { join } from "node:path"
import type { Options } from "tsup"

/**
 * The tsup settings every package shares: ESM only, declarations, source
 * maps, `effect` and other dependencies left external (tsup externalises
 * dependencies and peer dependencies by default). Every public module in
 * `src/` is an entry, so deep imports (`@mws-kit/x/Module`) work; modules in
 * `src/internal/` are bundled into the entries that use them.
 */
export const packageConfig = (packageDir: string, extraEntries: Record<string, string> = {}): Options => {
  const modules = readdirSync(join(packageDir, "src")).filter((file) => file.endsWith(".ts"))
  return {
    entry: {
      ...Object.fromEntries(modules.map((file) => [file.replace(/\.ts$/, ""), `src/${file}`])),
      ...extraEntries
    },
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
  }
}
