/**
 * What the browser test needs around the site: a fresh build in a temporary
 * folder (or an existing one named by `MWS_KIT_DOCS_DIST`), served on
 * localhost the way `vitepress preview` serves it (clean URLs), and Debian's
 * Chromium driven by playwright-core.
 */
import { execFile } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { extname, join, normalize, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { type Browser, chromium } from "playwright-core"

const run = promisify(execFile)

/** apps/docs. */
export const DOCS_DIR = fileURLToPath(new URL("../..", import.meta.url))

/** Where the test saves its screenshots (git-ignored). */
export const TEST_OUTPUT_DIR = join(DOCS_DIR, "test-output")

/**
 * Builds the site as `pnpm build` does (generated pages, then VitePress)
 * into a new temporary folder and returns it; `MWS_KIT_DOCS_DIST` skips the
 * build and serves that folder instead.
 */
export const buildSite = async (env: NodeJS.ProcessEnv = process.env): Promise<string> => {
  const prebuilt = env.MWS_KIT_DOCS_DIST?.trim()
  if (prebuilt) return resolve(prebuilt)
  const outDir = mkdtempSync(join(tmpdir(), "mws-kit-docs-"))
  const node = process.execPath
  await run(node, ["--conditions=@mws-kit/source", "src/generate.ts"], { cwd: DOCS_DIR })
  await run(node, [join(DOCS_DIR, "node_modules/vitepress/bin/vitepress.js"), "build", "--outDir", outDir], {
    cwd: DOCS_DIR,
    maxBuffer: 16 * 1024 * 1024
  })
  return outDir
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2"
}

const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile()

/** The file a URL path names in a clean-URL site: `/a/b` is `a/b.html`, `/a/` is `a/index.html`. */
export const fileFor = (root: string, urlPath: string): string | undefined => {
  const path = normalize(decodeURIComponent(urlPath.split("?")[0] ?? "/"))
  const base = join(root, path)
  if (!base.startsWith(root)) return undefined
  const candidates = path.endsWith("/") ? [join(base, "index.html")] : [base, `${base}.html`, join(base, "index.html")]
  return candidates.find(isFile)
}

/** Serves a built site on an ephemeral localhost port. */
export const serveSite = async (
  root: string
): Promise<{ readonly url: string; readonly close: () => Promise<void> }> => {
  const server: Server = createServer((request, response) => {
    const file = fileFor(root, request.url ?? "/")
    const status = file === undefined ? 404 : 200
    const body = file ?? join(root, "404.html")
    response.writeHead(status, { "content-type": CONTENT_TYPES[extname(body)] ?? "application/octet-stream" })
    response.end(isFile(body) ? readFileSync(body) : "not found")
  })
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done()))
  }
}

/**
 * Launches Debian's Chromium headless with the flags this machine needs (no
 * sandbox as root; no background networking, which the closed network
 * refuses).
 */
export const launchChromium = (executablePath: string): Promise<Browser> =>
  chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ]
  })
