/**
 * The API reference: TypeDoc reads every package's TypeScript sources and
 * JSDoc, and typedoc-plugin-markdown with its VitePress theme writes
 * Markdown pages (and their sidebar) under `pages/api/`, so the reference is
 * searchable and checked for dead links like every other page.
 */
import { Application } from "typedoc"

/** The packages whose API the site documents, as workspace directories. */
export const DOCUMENTED_PACKAGES = [
  "packages/error-codes",
  "packages/xml-error-parser",
  "packages/backoff-policy",
  "packages/throttle",
  "packages/request-ledger",
  "packages/wire-format",
  "packages/sandbox",
  "apps/mws-client"
] as const

/**
 * Runs TypeDoc over the packages (from the repository root `root`) and
 * writes Markdown to `out`, a folder under the VitePress source directory
 * `docsRoot`. Fails with TypeDoc's own message on a broken comment link.
 */
export const writeApiReference = async (options: {
  readonly root: string
  readonly out: string
  readonly docsRoot: string
}): Promise<void> => {
  const app = await Application.bootstrapWithPlugins({
    entryPoints: DOCUMENTED_PACKAGES.map((dir) => `${options.root}/${dir}`),
    entryPointStrategy: "packages",
    packageOptions: {
      entryPoints: ["src/index.ts"],
      excludeInternal: true,
      excludeExternals: true,
      disableSources: true,
      readme: "none"
    },
    plugin: ["typedoc-plugin-markdown", "typedoc-vitepress-theme"],
    out: options.out,
    docsRoot: options.docsRoot,
    readme: "none",
    excludeInternal: true,
    excludePrivate: true,
    // Members inherited from Effect (Schema.TaggedError and friends) would swamp every error class.
    excludeExternals: true,
    hideGenerator: true,
    gitRevision: "main",
    disableSources: true,
    logLevel: "Warn",
    // Markdown output for VitePress: one page per module, members listed on it.
    outputFileStrategy: "modules",
    entryFileName: "index",
    hidePageTitle: false,
    useCodeBlocks: true
  } as Record<string, unknown>)
  const project = await app.convert()
  if (project === undefined) throw new Error("TypeDoc could not convert the packages (see the messages above)")
  await app.generateOutputs(project)
  if (app.logger.hasErrors()) throw new Error("TypeDoc reported errors (see the messages above)")
}
