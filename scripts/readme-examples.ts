/**
 * The TypeScript examples of a README, as a user would copy them: every
 * ```ts (or ```typescript) fenced block in order, with the packages each
 * imports. `bench-packages.ts` runs the first one a fresh install can run.
 */
import { builtinModules } from "node:module"

/** One fenced TypeScript block of a README: its position among the blocks and its code. */
export interface ReadmeExample {
  readonly index: number
  readonly code: string
}

/** Every ```ts / ```typescript block, in order. */
export const tsExamples = (readme: string): ReadonlyArray<ReadmeExample> =>
  [...readme.matchAll(/^```(?:ts|typescript)[^\S\n]*\n([\s\S]*?)^```[^\S\n]*$/gm)].map((match, index) => ({
    index,
    code: match[1]!
  }))

const BUILTINS: ReadonlySet<string> = new Set(builtinModules)

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
export const packageName = (specifier: string): string => {
  const parts = specifier.split("/")
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!
}

/** The packages an example imports (static `import ... from`, bare `import "x"`, and `import("x")`), without Node built-ins. */
export const importedPackages = (code: string): ReadonlyArray<string> => {
  const specifiers = [
    ...code.matchAll(/^\s*import\s[^"']*?from\s*["']([^"']+)["']/gm),
    ...code.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)
  ].map((match) => match[1]!)
  const names = specifiers
    .filter((specifier) => !specifier.startsWith(".") && !specifier.startsWith("node:") && !BUILTINS.has(specifier))
    .map(packageName)
  return [...new Set(names)].sort()
}

/**
 * The first example whose imports are all installed (`isInstalled`): an
 * example written for a test runner (`@effect/vitest`) or for a package the
 * user adds later is skipped, as a user running it with `node` would have
 * to. Undefined when none qualifies.
 */
export const firstRunnableExample = (
  readme: string,
  isInstalled: (name: string) => boolean
): { readonly example: ReadmeExample; readonly skipped: ReadonlyArray<string> } | undefined => {
  const skipped: Array<string> = []
  for (const example of tsExamples(readme)) {
    const missing = importedPackages(example.code).filter((name) => !isInstalled(name))
    if (missing.length === 0) return { example, skipped }
    skipped.push(`block ${example.index + 1} imports ${missing.join(", ")} (not installed)`)
  }
  return undefined
}
