/**
 * The built site in Debian's Chromium: the home page renders, navigation
 * works, search finds RequestThrottled, and the retry timeline page shows the
 * documented timeline, then another one when RequestThrottled is picked. A
 * screenshot of the timeline page lands in apps/docs/test-output/.
 */
import { existsSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import type { Browser, Page } from "playwright-core"
import { inject } from "vitest"
import { launchChromium, serveSite, TEST_OUTPUT_DIR } from "./site.ts"

const PAGE_TIMEOUT_MS = 30_000

/** Both come from globalSetup.ts, which built the site before the run; empty when Chromium is missing. */
const executablePath = inject("chromium")
const dist = inject("docsDist")

describe.skipIf(executablePath === "")("the docs site in Chromium", () => {
  let browser: Browser
  let site: { readonly url: string; readonly close: () => Promise<void> }
  const pageErrors: Array<string> = []

  beforeAll(async () => {
    site = await serveSite(dist)
    browser = await launchChromium(executablePath)
  })

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  const open = async (path: string): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.setDefaultTimeout(PAGE_TIMEOUT_MS)
    page.on("pageerror", (error) => pageErrors.push(`${path}: ${error.message}`))
    await page.goto(`${site.url}${path}`, { waitUntil: "networkidle" })
    return page
  }

  it("renders the home page", { timeout: 60_000 }, async () => {
    const page = await open("/")
    assert.strictEqual(await page.title(), "mws-kit")
    const hero = await page.locator(".VPHero .name").innerText()
    assert.include(hero, "mws-kit")
    assert.isAtLeast(await page.locator(".VPFeature").count(), 6, "a feature card per package")
    assert.deepStrictEqual(pageErrors, [])
    await page.close()
  })

  it("navigates from the home page to a guide and through the sidebar", { timeout: 60_000 }, async () => {
    const page = await open("/")
    await page.getByRole("link", { name: "Get started" }).click()
    await page.waitForURL(/\/guide\/getting-started$/)
    // The router changes the URL before the new page renders: wait for its heading.
    await page.locator("main h1", { hasText: "Getting started" }).waitFor()
    await page.locator(".VPSidebar").getByRole("link", { name: "Quotas" }).click()
    await page.waitForURL(/\/reference\/quotas$/)
    await page.locator("main h1", { hasText: "Quotas" }).waitFor()
    assert.include(await page.locator("main").innerText(), "ListOrderItems")
    assert.deepStrictEqual(pageErrors, [])
    await page.close()
  })

  it("finds RequestThrottled with the search box", { timeout: 60_000 }, async () => {
    const page = await open("/guide/getting-started")
    await page.locator(".VPNavBarSearch button").first().click()
    const input = page.locator("#localsearch-input")
    await input.fill("RequestThrottled")
    const results = page.locator("#localsearch-list li")
    await results.first().waitFor()
    assert.isAtLeast(await results.count(), 1)
    // The code's own entry in the generated error-code reference ranks first.
    const first = results.first().locator("a")
    assert.match((await first.getAttribute("href")) ?? "", /\/reference\/error-codes#requestthrottled$/)
    await first.click()
    await page.waitForURL(/\/reference\/error-codes#requestthrottled$/)
    await page.locator("h3#requestthrottled").waitFor({ state: "visible" })
    assert.include(await page.locator("main").innerText(), "RequestThrottled")
    assert.deepStrictEqual(pageErrors, [])
    await page.close()
  })

  it("computes the default timeline, then RequestThrottled's, in the page", { timeout: 90_000 }, async () => {
    const page = await open("/reference/retry-timeline")
    const times = page.getByTestId("timeline-times")
    await times.waitFor()
    assert.strictEqual(await times.innerText(), "0 s, 1 s, 5 s, 15 s, 45 s")
    assert.strictEqual(await page.getByTestId("marker").count(), 6, "the first failure and five retries")
    assert.include(await page.getByTestId("summary").innerText(), "RetryGaveUp")

    mkdirSync(TEST_OUTPUT_DIR, { recursive: true })
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, "retry-timeline-default.png"), fullPage: true })

    await page.getByTestId("class").selectOption("throttled")
    await page.getByTestId("code").selectOption("RequestThrottled")
    await page.waitForFunction(
      () => document.querySelector("[data-testid=result]")?.getAttribute("data-code") === "RequestThrottled"
    )
    // ListOrders restores one request a minute: four throttled retries, a minute apart.
    assert.strictEqual(await times.innerText(), "1 min, 2 min, 3 min, 4 min")
    assert.include(await page.getByTestId("summary").innerText(), "restore interval, 1 min")

    await page.getByTestId("operation").selectOption("Orders/ListOrderItems")
    await page.waitForFunction(
      () => document.querySelector("[data-testid=timeline-times]")?.textContent === "2 s, 4 s, 6 s, 8 s"
    )
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, "retry-timeline.png"), fullPage: true })
    assert.isTrue(existsSync(join(TEST_OUTPUT_DIR, "retry-timeline.png")))
    assert.deepStrictEqual(pageErrors, [])
    await page.close()
  })
})
