/**
 * Writes every generated page of the site before VitePress builds it:
 * the error-code and quota references (from the packages' catalogs), the
 * benchmarks page (from bench-results/*.json) and the API reference (TypeDoc).
 * Run by `pnpm build` and `pnpm dev` in apps/docs; the outputs are not
 * committed (see .gitignore), so they can never drift from their sources.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { writeApiReference } from "./apiReference.ts"
import { benchmarksPage, readBenchFiles } from "./benchmarks.ts"
import { errorCodesPage, quotasPage } from "./references.ts"

const docsDir = join(dirname(fileURLToPath(import.meta.url)), "..")
const pagesDir = join(docsDir, "pages")
const repoRoot = join(docsDir, "..", "..")

const write = (relative: string, content: string): void => {
  const path = join(pagesDir, relative)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content.endsWith("\n") ? content : `${content}\n`)
  process.stdout.write(`generated pages/${relative}\n`)
}

write("reference/error-codes.md", errorCodesPage())
write("reference/quotas.md", quotasPage())
write("reference/benchmarks.md", benchmarksPage(readBenchFiles(join(repoRoot, "bench-results"))))

const apiDir = join(pagesDir, "api")
rmSync(apiDir, { recursive: true, force: true })
await writeApiReference({ root: repoRoot, out: apiDir, docsRoot: pagesDir })
process.stdout.write("generated pages/api/ (TypeDoc)\n")
