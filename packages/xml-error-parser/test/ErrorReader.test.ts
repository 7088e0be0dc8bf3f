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

const PREDEFINED = /^&(lt|gt|amp|apos|quot);$/

/** XML 1.0's NameStartChar (its BMP part, as fast-xml-parser reads names), after every "<?". */
const NAME_START_AFTER_PI =
  /^(?:[^<]|<(?!\?)|<\?[:A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD])*$/

/**
 * What the reader refuses and fast-xml-parser's validator lets through: each
 * an error in XML 1.0, with a check, independent of the reader, that the
 * text does break that rule.
 */
const STRICTER: ReadonlyArray<{
  readonly problem: RegExp
  readonly present: (text: string, problem: string) => boolean
}> = [
  {
    problem: /^undeclared entity reference "(&[^"]+;)"/,
    present: (text, problem) => {
      const reference = /"(&[^"]+;)"/.exec(problem)![1]!
      return text.includes(reference) && !PREDEFINED.test(reference)
    }
  },
  {
    problem: /^character reference "(&#[^"]*;)" is not a character XML allows/,
    present: (text, problem) => {
      const reference = /"(&#[^"]*;)"/.exec(problem)![1]!
      const digits = reference.slice(reference[2] === "x" ? 3 : 2, -1)
      const code = /^(x[0-9a-fA-F]+|[0-9]+)$/.test(reference.slice(2, -1))
        ? Number.parseInt(digits, reference[2] === "x" ? 16 : 10)
        : Number.NaN
      const allowed =
        code === 9 ||
        code === 10 ||
        code === 13 ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        (code >= 0x10000 && code <= 0x10ffff)
      return text.includes(reference) && !allowed
    }
  },
  {
    problem: /^a bare "&" \(write &amp;\) at offset (\d+)/,
    present: (text, problem) => {
      const at = Number(/offset (\d+)/.exec(problem)![1])
      return text[at] === "&" && !/^&(lt|gt|amp|apos|quot|#[0-9]+|#x[0-9a-fA-F]+);/.test(text.slice(at, at + 40))
    }
  },
  { problem: /^"<" in the value of attribute/, present: (text) => /=\s*("[^"]*<|'[^']*<)/.test(text) },
  { problem: /^"\]\]>" in text/, present: (text) => text.includes("]]>") },
  { problem: /^"--" inside a comment/, present: (text) => /<!--(?:(?!-->)[\s\S])*--[^>]/.test(text) },
  { problem: /^unclosed comment/, present: (text) => text.lastIndexOf("<!--") > text.lastIndexOf("-->") },
  { problem: /^unclosed CDATA section/, present: (text) => text.lastIndexOf("<![CDATA[") > text.lastIndexOf("]]>") },
  { problem: /^CDATA outside the root element/, present: (text) => text.includes("<![CDATA[") },
  { problem: /^white space before a tag name/, present: (text) => /<\/?\s/.test(text) },
  { problem: /^an XML declaration not at the very start/, present: (text) => /.<\?xml/is.test(text) },
  {
    problem: /^processing instruction without a target/,
    present: (text) => /<\?(?!\p{L}|[_:])/u.test(text) || !NAME_START_AFTER_PI.test(text)
  },
  { problem: /^unclosed processing instruction/, present: (text) => text.lastIndexOf("<?") > text.lastIndexOf("?>") },
  // fast-xml-parser reads </Detail/> as a self-closing tag of nothing.
  { problem: /^closing tag not closed by ">"/, present: (text) => /<\/[^>]*\/>/.test(text) },
  // fast-xml-parser skips a stray "=" after an attribute's value (<Other a="1"=/>).
  { problem: /^no white space before the attribute/, present: (text) => /=\s*("[^"]*"|'[^']*')[^\s/>]/.test(text) },
  // Text after the root that is not white space (fast-xml-parser lets a trailing "&" through).
  // fast-xml-parser also takes text after a self-closed root (<ErrorResponse/> junk).
  {
    problem: /^text outside the root element at offset (\d+)/,
    present: (text, problem) => {
      const at = Number(/offset (\d+)/.exec(problem)![1])
      const before = text.slice(0, at)
      const rootOpened = /<(\w+:)?ErrorResponse[\s>/]/.test(before)
      const rootClosed = /<\/(\w+:)?ErrorResponse\s*>|<(\w+:)?ErrorResponse(\s[^>]*)?\/>/.test(before)
      return !/[ \t\n\r]/.test(text[at]!) && (!rootOpened || rootClosed)
    }
  },
  // fast-xml-parser trims JavaScript white space (a vertical tab, U+00A0) off a tag's name, and skips a stray
  // "=" among attributes; XML allows neither.
  {
    problem: /^invalid character in a tag at offset (\d+)/,
    present: (text, problem) => {
      const character = text[Number(/offset (\d+)/.exec(problem)![1])]!
      return character === "=" || (/\s/.test(character) && !/[ \t\n\r]/.test(character))
    }
  },
  // U+FEFF and U+1680 are name characters in XML and white space to JavaScript: fast-xml-parser trims them off
  // names (so <\uFEFFMessage> closes with </Message>); XML keeps them, and the names no longer pair up.
  {
    problem: /^(mismatched closing tag|closing tag <\/.*> opened nowhere|unclosed <)/,
    present: (text) => /<\/?[^>]*[\u1680\uFEFF]/.test(text)
  },
  // DOCTYPE and other declarations (refused before reading by ErrorResponse.parse; fast-xml-parser skips them).
  { problem: /^markup declaration/, present: (text) => /<!(?!--|\[CDATA\[)/.test(text) },
  {
    problem: /^more than one root element/,
    present: (text) => {
      try {
        return Object.keys(oracle.parse(text)).length > 1
      } catch {
        // fast-xml-parser's parser refuses reserved names (<constructor/>): look after the root's end instead.
        const end = /<\/(\w+:)?ErrorResponse\s*>|<(\w+:)?ErrorResponse(\s[^>]*)?\/>/.exec(text)
        return end !== null && /<[^!?/]/.test(text.slice(end.index + end[0].length))
      }
    }
  }
]

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
