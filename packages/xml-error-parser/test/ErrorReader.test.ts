import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import { readErrorResponse } from "../src/internal/errorReader.ts"
import { childText, list, record } from "../src/internal/tree.ts"
import { mutatedBody } from "./arbitraries.ts"
import { validBodies } from "./fixtures/bodies.ts"

// The oracle: fast-xml-parser's full parse (hardened options), read through the same field rules.
const oracle = new XMLParser({
  processEntities: false,
  parseTagValue: false,
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 32
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

describe("the error reader agrees with fast-xml-parser", () => {
  it.each(validBodies)("on fixture %#", (body) => {
    const text = body.replace(/^\uFEFF/, "")
    assert.deepStrictEqual(viaReader(text), viaTree(text))
  })

  it("on every mutated body that is still well formed", () => {
    let compared = 0
    fc.assert(
      fc.property(mutatedBody, (body) => {
        const text = body.replace(/^\uFEFF/, "")
        if (XMLValidator.validate(text) !== true || /<!/.test(text) || text.includes("\u0000")) return
        let expected: ReturnType<typeof viaTree>
        try {
          expected = viaTree(text)
        } catch {
          return // fast-xml-parser refused it (depth, reserved names): nothing to compare
        }
        if (expected === undefined || Object.keys(oracle.parse(text)).length !== 1) return
        // XML forbids white space before a tag name; fast-xml-parser's validator lets JavaScript white space
        // (U+FEFF, U+00A0...) through there, and its parser then reads an empty name. The reader refuses it.
        const read = readErrorResponse(text, 32)
        if (read._tag === "Malformed" && read.problem === "white space before a tag name") {
          assert.match(text, /<\/?\s/)
          return
        }
        compared++
        assert.deepStrictEqual(viaReader(text), expected)
      }),
      { numRuns: Number(process.env.MWS_KIT_DIFF_RUNS ?? 3000) }
    )
    assert.isAbove(compared, 100, "too few well-formed mutations to compare")
  }, 600_000) // long only when MWS_KIT_DIFF_RUNS asks for a deep run
})
