/**
 * The packages as npm would publish them: each tarball (built and packed by
 * globalSetup.ts) exports exactly its public modules, ships every file its
 * exports name plus README, LICENSE and CHANGELOG, and nothing of its tests
 * or benchmarks; its `bin` scripts and build chunks cannot be imported; its
 * package.json names the repository; its README installs with npm and links
 * to the repository with absolute URLs.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { inject } from "vitest"
import { filesIn, unpack } from "../../pack.ts"
import { workspacePackages } from "../../package-exports.ts"

/** The public modules of each package (besides `.` and `./package.json`), written out so a change to a package's surface shows up here. */
const EXPECTED_MODULES: Readonly<Record<string, ReadonlyArray<string>>> = {
  "@mws-kit/backoff-policy": [
    "Classifier",
    "CurrentAttempt",
    "Jitter",
    "RetryBudget",
    "RetryDecision",
    "RetryGaveUp",
    "RetryPolicy",
    "Timeline"
  ],
  "@mws-kit/error-codes": ["ErrorCatalog", "ErrorClass", "MwsCatalog", "MwsError", "QuotaInfo", "UnparseableErrorBody"],
  "@mws-kit/mws-client": [
    "ClientConfig",
    "ClientLayer",
    "ContentMd5",
    "Download",
    "Endpoints",
    "MwsClient",
    "Observability",
    "Pagination",
    "RequestSigner",
    "ResponseBody",
    "ResponseLimit",
    "Transport",
    "TransportError",
    "UserAgent"
  ],
  "@mws-kit/request-ledger": [
    "Ledger",
    "LedgerEntry",
    "LedgerError",
    "LedgerExport",
    "LedgerQuery",
    "LedgerSpill",
    "LedgerStore",
    "MemoryStore",
    "PgStore",
    "Retention",
    "SqliteStore",
    "SupportTicket"
  ],
  "@mws-kit/sandbox": ["Faults", "RequestLog", "Sandbox", "Sections", "Signature"],
  "@mws-kit/throttle": [
    "Bucket",
    "HourlyQuota",
    "MemoryStore",
    "MwsQuotas",
    "QuotaCatalog",
    "QuotaHeaders",
    "RedisConnection",
    "RedisStore",
    "Throttle",
    "ThrottleError",
    "ThrottleStore"
  ],
  "@mws-kit/wire-format": ["ResponseHeaders", "Signature"],
  "@mws-kit/xml-error-parser": [
    "ErrorResponse",
    "ItemErrors",
    "Limits",
    "QuotaResetMessage",
    "ResponseHeaders",
    "SafeXml",
    "XmlDocument"
  ]
}

const REPOSITORY = "https://github.com/mws-kit/mws-kit"

interface Manifest {
  readonly name: string
  readonly exports: Readonly<Record<string, string | Readonly<Record<string, string>>>>
  readonly bin?: Readonly<Record<string, string>>
  readonly repository?: { readonly type: string; readonly url: string; readonly directory: string }
  readonly homepage?: string
  readonly bugs?: { readonly url: string }
  readonly keywords?: ReadonlyArray<string>
  readonly dependencies?: Readonly<Record<string, string>>
  readonly peerDependencies?: Readonly<Record<string, string>>
}

/** Why `require.resolve` refused a specifier, or `"resolved"`. */
const resolution = (require: NodeJS.Require, specifier: string): string => {
  try {
    require.resolve(specifier)
    return "resolved"
  } catch (error) {
    return (error as { code?: string }).code ?? String(error)
  }
}

const tarballs = inject("tarballs")
const packages = workspacePackages()

describe("packed packages", () => {
  it("packs every published package, and the expected list names each of them", () => {
    assert.deepStrictEqual(Object.keys(tarballs).sort(), Object.keys(EXPECTED_MODULES).sort())
    assert.deepStrictEqual(packages.map((pkg) => pkg.name).sort(), Object.keys(EXPECTED_MODULES).sort())
  })

  for (const pkg of packages) {
    describe(pkg.name, () => {
      // Installed as npm would: <project>/node_modules/@mws-kit/<name>, so Node resolves it by name.
      const project = mkdtempSync(join(tmpdir(), "mws-kit-packed-"))
      const root = join(project, "node_modules", ...pkg.name.split("/"))
      unpack(tarballs[pkg.name]!, root)
      const files = filesIn(root).map((file) => file.path)
      const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Manifest
      const require = createRequire(join(project, "index.js"))

      it("exports exactly ., ./package.json and its public modules", () => {
        assert.deepStrictEqual(Object.keys(manifest.exports), [
          "./package.json",
          ".",
          ...(EXPECTED_MODULES[pkg.name] ?? []).map((name) => `./${name}`)
        ])
      })

      it("ships every file its exports name, and each export resolves to it", () => {
        for (const [key, target] of Object.entries(manifest.exports)) {
          const paths = typeof target === "string" ? [target] : Object.values(target)
          for (const path of paths) assert.include(files, path.replace(/^\.\//, ""), `${key} -> ${path}`)
          const specifier = key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`
          const expected = typeof target === "string" ? target : target.default!
          assert.strictEqual(require.resolve(specifier), join(root, expected))
        }
      })

      it("ships README.md, LICENSE and CHANGELOG.md (in the format changesets writes)", () => {
        assert.includeMembers(files, ["README.md", "LICENSE", "CHANGELOG.md", "package.json"])
        assert.match(readFileSync(join(root, "CHANGELOG.md"), "utf8"), new RegExp(`^# ${pkg.name}\\n`))
      })

      it("ships no tests, benchmarks, fuzzers or fixtures", () => {
        const unwanted = files.filter((path) =>
          /^(test|bench|fuzz)\/|\/(test|fixtures)\/|\.test\.[cm]?[jt]s$|(^|\/)(vitest|tsup)\.config\.ts$/.test(path)
        )
        assert.deepStrictEqual(unwanted, [])
      })

      it("does not let its bin scripts, build chunks or internal modules be imported", () => {
        const blocked = [
          ...Object.values(manifest.bin ?? {}).flatMap((target) => {
            const path = target.replace(/^\.\//, "")
            const withoutExtension = path.replace(/\.[cm]?js$/, "")
            return [path, withoutExtension, withoutExtension.replace(/^dist\//, ""), "bin"]
          }),
          ...files.filter((path) => /^dist\/chunk-[^/]+\.js$/.test(path)).slice(0, 1),
          "internal/anything",
          "dist/index.js",
          "src/index.ts",
          "index"
        ]
        for (const subpath of blocked) {
          assert.strictEqual(
            resolution(require, `${pkg.name}/${subpath}`),
            "ERR_PACKAGE_PATH_NOT_EXPORTED",
            `${pkg.name}/${subpath}`
          )
        }
        for (const target of Object.values(manifest.bin ?? {})) {
          assert.isTrue(existsSync(join(root, target)), `bin ${target} is shipped`)
        }
      })

      it("names its repository, homepage, issue tracker and keywords, with no workspace: ranges left", () => {
        assert.deepStrictEqual(manifest.repository, {
          type: "git",
          url: `git+${REPOSITORY}.git`,
          directory: pkg.relativeDir
        })
        assert.strictEqual(manifest.homepage, `${REPOSITORY}/tree/main/${pkg.relativeDir}#readme`)
        assert.deepStrictEqual(manifest.bugs, { url: `${REPOSITORY}/issues` })
        assert.isAbove(manifest.keywords?.length ?? 0, 2)
        assert.notInclude(JSON.stringify(manifest), "workspace:")
      })

      it("has a README that starts with `npm install` and links with absolute URLs only", () => {
        const readme = readFileSync(join(root, "README.md"), "utf8")
        const beforeFirstSection = readme.split(/^## /m)[0]!
        assert.match(beforeFirstSection, new RegExp(`^npm install (--save-dev )?${pkg.name}( |$)`, "m"))
        const peers = Object.keys(manifest.peerDependencies ?? {}).filter((name) => name === "effect")
        for (const peer of peers) assert.match(beforeFirstSection, new RegExp(`^npm install .*\\b${peer}\\b`, "m"))
        const relative = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
          .map((match) => match[1]!)
          .filter((target) => !/^(https?:|mailto:|#)/.test(target))
        assert.deepStrictEqual(relative, [])
      })
    })
  }

  it("the client's README shows `npx mws demo`, and `mws` is the client's command", () => {
    const project = mkdtempSync(join(tmpdir(), "mws-kit-packed-"))
    unpack(tarballs["@mws-kit/mws-client"]!, project)
    const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as Manifest
    assert.deepStrictEqual(Object.keys(manifest.bin ?? {}), ["mws"])
    assert.match(readFileSync(join(project, "README.md"), "utf8").split(/^## /m)[0]!, /^npx mws demo\b/m)
  })
})
