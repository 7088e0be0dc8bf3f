import { assert, describe, it } from "@effect/vitest"
import { ErrorCatalog, MwsCatalog } from "../src/index.ts"

const widgetJammed = {
  code: "WidgetJammed",
  section: "Widgets",
  httpStatus: 409,
  errorClass: "client",
  description: "The widget is jammed.",
  documented: true,
  source: "Widgets API guide"
} as const

describe("ErrorCatalog.classify", () => {
  it("uses the catalog's class for a known code, whatever the status", () => {
    const result = ErrorCatalog.classify(MwsCatalog.catalog, "QuotaExceeded", 503)
    assert.strictEqual(result.errorClass, "quota-exceeded")
    assert.isTrue(result.known)
    assert.strictEqual(result.entry?.code, "QuotaExceeded")
  })

  it("classifies an unknown code by status and never fails", () => {
    const cases = [
      [502, "transient"],
      [500, "transient"],
      [503, "throttled"],
      [429, "throttled"],
      [400, "client"],
      [409, "client"],
      [undefined, "unknown"]
    ] as const
    for (const [status, expected] of cases) {
      const result = ErrorCatalog.classify(MwsCatalog.catalog, "SomethingNobodyDocumented", status)
      assert.strictEqual(result.errorClass, expected, String(status))
      assert.isFalse(result.known)
      assert.isUndefined(result.entry)
    }
    assert.strictEqual(ErrorCatalog.classify(MwsCatalog.catalog, undefined, 500).errorClass, "transient")
  })

  it("is case-sensitive, as the service is", () => {
    assert.isFalse(ErrorCatalog.classify(MwsCatalog.catalog, "requestthrottled", 400).known)
  })
})

describe("ErrorCatalog.extend", () => {
  it("adds codes without touching the base catalog", () => {
    const mine = ErrorCatalog.extend(MwsCatalog.catalog, [widgetJammed])
    assert.strictEqual(ErrorCatalog.lookup(mine, "WidgetJammed")?.httpStatus, 409)
    assert.strictEqual(ErrorCatalog.classify(mine, "WidgetJammed", 409).errorClass, "client")
    assert.isTrue(ErrorCatalog.has(mine, "RequestThrottled"))
    assert.isFalse(ErrorCatalog.has(MwsCatalog.catalog, "WidgetJammed"))
    assert.strictEqual(mine.entries.length, MwsCatalog.catalog.entries.length + 1)
  })

  it("replaces an entry with the same code and section (an override)", () => {
    const changed = ErrorCatalog.extend(MwsCatalog.catalog, [
      { ...MwsCatalog.commonCodes[8], errorClass: "transient", source: "our own measurements" }
    ])
    assert.strictEqual(ErrorCatalog.lookup(changed, "RequestThrottled")?.errorClass, "transient")
    assert.strictEqual(changed.entries.length, MwsCatalog.catalog.entries.length)
    assert.strictEqual(ErrorCatalog.lookup(MwsCatalog.catalog, "RequestThrottled")?.errorClass, "throttled")
  })

  it("types the added codes", () => {
    const mine = ErrorCatalog.extend(MwsCatalog.catalog, [widgetJammed])
    const code: ErrorCatalog.CodeOf<typeof mine> = "WidgetJammed"
    const cls: ErrorCatalog.ClassOf<typeof mine, "WidgetJammed"> = "client"
    // @ts-expect-error: a code no catalog entry has is not a CodeOf the catalog
    const missing: ErrorCatalog.CodeOf<typeof mine> = "NotACode"
    assert.deepStrictEqual([code, cls, missing], ["WidgetJammed", "client", "NotACode"])
  })

  it("rejects an invalid entry at once, naming it", () => {
    const bad = { ...widgetJammed, errorClass: "flaky" } as unknown as ErrorCatalog.CatalogEntry
    assert.throws(() => ErrorCatalog.make([bad]), /WidgetJammed[\s\S]*errorClass/)
    const badStatus = { ...widgetJammed, httpStatus: 42 } as const
    assert.throws(() => ErrorCatalog.make([badStatus]), /httpStatus/)
    assert.throws(() => ErrorCatalog.make([{ ...widgetJammed, code: "" }]), /code/)
  })
})
