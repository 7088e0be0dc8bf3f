import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { type DefaultTheme, defineConfig } from "vitepress"

/**
 * The mws-kit site. VitePress fails the build on a dead internal link by
 * default (`ignoreDeadLinks` is left unset on purpose), indexes every page for
 * its built-in local search, and resolves workspace packages to their
 * TypeScript sources through the `@mws-kit/source` export condition, so the
 * retry timeline page runs the package's current code in the browser.
 */

const SOURCE_CONDITION = "@mws-kit/source"

/** The browser's stand-in for `node:assert` (see src/assertShim.ts). */
const assertShim = fileURLToPath(new URL("../src/assertShim.ts", import.meta.url))

/** Resolves `node:assert` to the shim in the client bundle only; server-side rendering keeps Node's own. */
const browserAssertShim = {
  name: "mws-kit-docs:browser-assert-shim",
  enforce: "pre" as const,
  resolveId(id: string, _importer: string | undefined, options: { ssr?: boolean }) {
    return (id === "node:assert" || id === "assert") && options.ssr !== true ? assertShim : null
  }
}

/** The API sidebar TypeDoc writes next to the generated pages (absent before `generate`). */
const apiSidebarFile = fileURLToPath(new URL("../pages/api/typedoc-sidebar.json", import.meta.url))

const apiSidebar = (): Array<DefaultTheme.SidebarItem> =>
  existsSync(apiSidebarFile)
    ? (JSON.parse(readFileSync(apiSidebarFile, "utf8")) as Array<DefaultTheme.SidebarItem>)
    : []

const guide: DefaultTheme.SidebarItem = {
  text: "Guide",
  items: [
    { text: "Getting started", link: "/guide/getting-started" },
    { text: "Error codes", link: "/guide/error-codes" },
    { text: "XML error parser", link: "/guide/xml-error-parser" },
    { text: "Backoff policy", link: "/guide/backoff-policy" },
    { text: "Throttle", link: "/guide/throttle" },
    { text: "Request ledger", link: "/guide/request-ledger" },
    { text: "Wire format", link: "/guide/wire-format" },
    { text: "Sandbox", link: "/guide/sandbox" },
    { text: "Reference client and CLI", link: "/guide/mws-client" },
    { text: "Support workflow", link: "/guide/support-workflow" }
  ]
}

const referencePages = [
  { text: "Error codes", link: "/reference/error-codes" },
  { text: "Quotas", link: "/reference/quotas" },
  { text: "Retry timeline", link: "/reference/retry-timeline" },
  { text: "Benchmarks", link: "/reference/benchmarks" },
  { text: "API", link: "/api/" }
]

const reference: DefaultTheme.SidebarItem = { text: "Reference", items: referencePages }

export default defineConfig({
  title: "mws-kit",
  description: "Effect 4 packages for surviving a throttled, flaky, XML-speaking commerce API (Amazon MWS).",
  srcDir: "pages",
  cleanUrls: true,
  lastUpdated: false,
  themeConfig: {
    nav: [{ text: "Guide", link: "/guide/getting-started" }, ...referencePages],
    sidebar: {
      "/api/": [reference, { text: "API", items: apiSidebar() }],
      "/": [guide, reference]
    },
    search: { provider: "local" },
    outline: { level: [2, 3] }
  },
  vite: {
    plugins: [browserAssertShim],
    // The one chunk over Vite's 500 kB default is the local search index of every page (the API
    // reference makes it about 1 MB); it loads only when the search box opens.
    build: { chunkSizeWarningLimit: 1500 },
    resolve: { conditions: [SOURCE_CONDITION] },
    ssr: { resolve: { conditions: [SOURCE_CONDITION], externalConditions: [SOURCE_CONDITION] } }
  }
})
