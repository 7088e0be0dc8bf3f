import { assert, describe, it } from "@effect/vitest"
import { ErrorCatalog, MwsCatalog } from "@mws-kit/error-codes"
import * as MwsQuotas from "@mws-kit/throttle/MwsQuotas"
import * as QuotaCatalog from "@mws-kit/throttle/QuotaCatalog"
import { cell } from "../src/markdown.ts"
import { errorCodesPage, quotasPage, restoreText } from "../src/references.ts"

describe("the error-code reference", () => {
  const page = errorCodesPage()

  it("has a heading for every entry of the catalog, with its status and class", () => {
    for (const entry of MwsCatalog.catalog.entries) {
      assert.include(page, `### ${entry.code}\n`, entry.code)
    }
    const throttled = page.slice(page.indexOf("### RequestThrottled\n"))
    assert.match(
      throttled,
      /^### RequestThrottled\n\nThe frequency of requests was greater than allowed\.\n\n- HTTP status: 503\n- Class: \[throttled\]\(#class-throttled\)/
    )
  })

  it("says 'not stated' for a code no source gives a status for, never a number", () => {
    const unstated = MwsCatalog.catalog.entries.find((e) => e.httpStatus === null)!
    const section = page.slice(page.indexOf(`### ${unstated.code}\n`))
    assert.match(section, /- HTTP status: not stated by any source/)
  })

  it("follows the catalog it is given: an extended catalog adds its codes", () => {
    const extended = ErrorCatalog.extend(MwsCatalog.catalog, [
      {
        code: "WidgetJammed",
        section: "Widgets",
        httpStatus: 503,
        errorClass: "transient",
        description: "A <widget> | jammed {{ x }}",
        documented: false,
        source: "a test"
      }
    ])
    const custom = errorCodesPage(extended)
    assert.include(custom, "## Widgets")
    assert.include(custom, "### WidgetJammed")
    assert.include(custom, "A &lt;widget&gt; \\| jammed &#123;&#123; x &#125;&#125;", "escaped for Markdown and Vue")
    assert.notInclude(custom, "{{ x }}")
  })
})

describe("the quota reference", () => {
  const page = quotasPage()

  it("has a row for every operation with its quota, restore rate and shared bucket", () => {
    for (const entry of MwsQuotas.catalog.entries) {
      assert.include(page, `| \`${entry.operation}\` | ${entry.maxQuota}`, `${entry.section}/${entry.operation}`)
    }
    assert.include(page, "| `ListOrders` | 6 | 1 every 1 min | none stated | shared with `ListOrdersByNextToken` |")
    assert.include(page, "| `SubmitFeed` | 15 | 1 every 2 min | 30 | its own |")
  })

  it("writes restore rates as the docs say them", () => {
    const entry = (restore: QuotaCatalog.Restore, per: QuotaCatalog.Per = "request") =>
      ({ ...QuotaCatalog.serviceStatusEntry("X"), restore, per }) as QuotaCatalog.QuotaEntry
    assert.strictEqual(restoreText(entry({ amount: 1, everyMs: 2_000 })), "1 every 2 s")
    assert.strictEqual(restoreText(entry({ amount: 10, everyMs: 1_000 }, "item")), "10 items every 1 s")
    assert.strictEqual(restoreText(entry({ amount: 1, everyMs: 45_000 })), "1 every 45 s")
    assert.strictEqual(restoreText(entry({ amount: 1, everyMs: 1_500 })), "1 every 1500 ms")
  })
})

describe("cell", () => {
  it("keeps table cells and Vue templates intact", () => {
    assert.strictEqual(cell("a | b"), "a \\| b")
    assert.strictEqual(cell("<script>{{ x }}</script>"), "&lt;script&gt;&#123;&#123; x &#125;&#125;&lt;/script&gt;")
    assert.strictEqual(cell("two\nlines"), "two lines")
    assert.strictEqual(cell("dev_guide/DG_Errors *x*"), "dev\\_guide/DG\\_Errors \\*x\\*")
  })
})
