import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { LedgerEntry, LedgerExport } from "../src/index.ts"
import { sampleInput } from "./helpers.ts"

const entry = Result.getOrThrow(
  LedgerEntry.make(
    sampleInput({
      errorCode: "InvalidParameterValue",
      message: 'Value "a,b" is invalid\r\nline two',
      params: { SellerSKU: '=HYPERLINK("http://evil")' }
    }),
    "01a21464-b8be-7000-8000-50ce1bfc15ab",
    "2026-11-25T10:00:00.000Z"
  )
)

/** A minimal RFC 4180 reader, to check what a spreadsheet would see. */
const parseCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let cell = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ",") {
      row.push(cell)
      cell = ""
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ""
      i++
    } else cell += c
  }
  return rows
}

describe("LedgerExport", () => {
  it("writes one JSON object per line, every field, in column order", () => {
    const lines = LedgerExport.toJsonLines([entry, entry]).split("\n")
    assert.strictEqual(lines.length, 3)
    assert.strictEqual(lines[2], "")
    assert.deepStrictEqual(JSON.parse(lines[0]!), entry)
    assert.deepStrictEqual(Object.keys(JSON.parse(lines[0]!)), [...LedgerExport.COLUMNS])
  })

  it("writes RFC 4180 CSV: a header, quoted commas, quotes and line breaks, CRLF endings", () => {
    const csv = LedgerExport.toCsv([entry])
    assert.isTrue(csv.endsWith("\r\n"))
    const rows = parseCsv(csv)
    assert.deepStrictEqual(rows[0], [...LedgerExport.COLUMNS])
    const record = Object.fromEntries(LedgerExport.COLUMNS.map((column, i) => [column, rows[1]![i]]))
    assert.strictEqual(record.message, 'Value "a,b" is invalid\r\nline two')
    assert.strictEqual(record.httpStatus, "200")
    assert.strictEqual(record.marketplace, "ATVPDKIKX0DER")
    assert.strictEqual(record.errorClass, "", "null is an empty cell")
    assert.deepStrictEqual(JSON.parse(record.params!), entry.params)
  })

  it("guards text cells against spreadsheet formulas, never numbers", () => {
    const risky = Result.getOrThrow(
      LedgerEntry.make(
        sampleInput({ message: "=1+2", errorCode: "-oops", requestId: "@SUM(A1)", sellerId: "+A2" }),
        "id",
        "2026-11-25T10:00:00.000Z"
      )
    )
    const row = parseCsv(LedgerExport.toCsv([risky]))[1]!
    const cell = (column: (typeof LedgerExport.COLUMNS)[number]) => row[LedgerExport.COLUMNS.indexOf(column)]
    assert.strictEqual(cell("message"), "'=1+2")
    assert.strictEqual(cell("errorCode"), "'-oops")
    assert.strictEqual(cell("requestId"), "'@SUM(A1)")
    assert.strictEqual(cell("sellerId"), "'+A2")
    assert.strictEqual(cell("durationMs"), "412")
    const unguarded = parseCsv(LedgerExport.toCsv([risky], { formulaGuard: false }))[1]!
    assert.strictEqual(unguarded[LedgerExport.COLUMNS.indexOf("message")], "=1+2")
  })
})
