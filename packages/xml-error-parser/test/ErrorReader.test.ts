import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import { readErrorResponse } from "../src/internal/errorReader.ts"
import { childText, list, record } from "../src/internal/tree.ts"
import { decodeEntities } from "../src/SafeXml.ts"
import { mutatedBody } from "./arbitraries.ts"
import { validBodies } from "./fixtures/bodies.ts"
import { stricterRules } from "./xmlRules.ts"

// The oracle: fast-xml-parser's full parse (hardened options, values decoded), read through the same field rules.
const oracle = new XMLParser({
  processEntities: false,
  parseTagValue: false,
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 32,
  tagValueProcessor: (_name: string, value: string) => decodeEntities(value)
})

/** Mixed content (elements inside Code, Type, Message or RequestId) has no single right reading; not compared. */
const hasMixedContent = (root: Record<string, unknown>): boolean =>
  [
    ...list(root.Error).flatMap((node) => ["Code", "Type", "Message"].map((name) => record(node)?.[name])),
    root.RequestID,
    root.RequestId
  ]
    .flatMap(list)
    .some((value) => typeof value === "object" && value !== null)

const viaTree = (text: string) => {
  const root = record((oracle.parse(text) as Record<string, unknown>).ErrorResponse)
  if (root === undefined || hasMixedContent(root)) return undefined
  const errors = list(root.Error).flatMap((node) => {
    const code = childText(node, "Code")
    return code ? [{ code, type: childText(node, "Type") ?? "", message: childText(node, "Message") }] : []
  })
  const requestId =
    childText(root, "RequestID", "RequestId") ?? childText(list(root.ResponseMetadata)[0], "RequestId", "RequestID")
  return { errors, requestId: requestId === "" ? undefined : requestId }
}

const viaReader = (text: string) => {
  const read = readErrorResponse(text, 32)
  if (read._tag !== "ErrorResponse") return undefined
  return {
    errors: read.errors.map(({ code, type, message }) => ({ code, type, message })),
    requestId: read.requestId
  }
}

/** What the reader refuses and fast-xml-parser's validator lets through, each checked independently. */
const STRICTER = stricterRules("ErrorResponse", (text) => oracle.parse(text) as Record<string, unknown>)

describe("the error reader agrees with fast-xml-parser", () => {
  it.each(validBodies)("on fixture %#", (body) => {
    const text = body.replace(/^\uFEFF/, "")
    assert.deepStrictEqual(viaReader(text), viaTree(text))
  })

  it("on every mutated body: accepts only what the validator accepts, reads what the parser reads, refuses only what XML forbids", () => {
    let compared = 0
    let stricter = 0
    fc.assert(
      fc.property(mutatedBody, (body) => {
        const text = body.replace(/^\uFEFF/, "")
        const read = readErrorResponse(text, 32)
        const valid = XMLValidator.validate(text) === true
        if (read._tag === "Malformed" && valid) {
          // Refused where fast-xml-parser's validator is lenient: only by a rule of XML 1.0, and the text breaks it.
          const rule = STRICTER.find((candidate) => candidate.problem.test(read.problem))
          assert.isDefined(rule, `refused for a reason the validator does not share: ${read.problem}`)
          assert.isTrue(rule!.present(text, read.problem), `${read.problem}, but the text does not show it`)
          stricter++
          return
        }
        if (read._tag !== "ErrorResponse") return
        assert.isTrue(valid, "the reader accepted a body fast-xml-parser's validator refuses")
        if (/<!/.test(text) || text.includes("\u0000")) return
        let expected: ReturnType<typeof viaTree>
        try {
          expected = viaTree(text)
        } catch {
          return // fast-xml-parser refused it (depth, reserved names): nothing to compare
        }
        if (expected === undefined) return
        compared++
        assert.deepStrictEqual(viaReader(text), expected)
      }),
      { numRuns: Number(process.env.MWS_KIT_DIFF_RUNS ?? 3000) }
    )
    assert.isAbove(compared, 100, "too few well-formed mutations to compare")
    assert.isAbove(stricter, 0, "no mutation exercised a rule the validator lacks")
  }, 600_000) // long only when MWS_KIT_DIFF_RUNS asks for a deep run
})

describe("the error reader on long inputs", () => {
  it("finds a repeated attribute among many (past the short list it keeps first)", () => {
    const names = Array.from({ length: 40 }, (_, i) => `a${i}="v"`)
    const unique = `<ErrorResponse ${names.join(" ")}><Error><Code>X</Code></Error></ErrorResponse>`
    assert.strictEqual(readErrorResponse(unique, 32)._tag, "ErrorResponse")
    const repeated = `<ErrorResponse ${names.join(" ")} a3="w"><Error><Code>X</Code></Error></ErrorResponse>`
    assert.deepStrictEqual(readErrorResponse(repeated, 32), {
      _tag: "Malformed",
      problem: 'attribute "a3" given twice'
    })
  })

  it("checks every text run of a body with many elements: a bad reference or ]]> far from the start is found", () => {
    const filler = "<a>x</a>".repeat(5_000)
    const wrap = (inner: string) => `<ErrorResponse>${filler}<Error><Code>${inner}</Code></Error></ErrorResponse>`
    const ok = readErrorResponse(wrap("A&amp;B"), 32)
    assert.deepStrictEqual(ok._tag === "ErrorResponse" ? ok.errors.map((e) => e.code) : ok, ["A&B"])
    const entity = readErrorResponse(wrap("A&nbsp;"), 32)
    assert.strictEqual(entity._tag, "Malformed")
    assert.match(entity._tag === "Malformed" ? entity.problem : "", /undeclared entity reference "&nbsp;"/)
    const cdataEnd = readErrorResponse(wrap("A]]>"), 32)
    assert.match(cdataEnd._tag === "Malformed" ? cdataEnd.problem : "", /^"\]\]>" in text/)
    const lt = readErrorResponse(`<ErrorResponse>${filler}<Error a="<"><Code>X</Code></Error></ErrorResponse>`, 32)
    assert.match(lt._tag === "Malformed" ? lt.problem : "", /^"<" in the value of attribute "a"/)
  })
})
