import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import { SafeXml, XmlDocument } from "../src/index.ts"
import { anyDocument } from "./documentArbitraries.ts"
import { type StricterRule, stricterRules } from "./xmlRules.ts"

/** The depth cap both sides get: the reference client's. */
const MAX_DEPTH = 64

// The oracle: what the reference client parsed success bodies with before, its options exactly.
const parser = new XMLParser({
  ...SafeXml.parserOptions({ maxDepth: MAX_DEPTH, attributes: true }),
  tagValueProcessor: (_name: string, value: string) => SafeXml.decodeEntities(value),
  attributeValueProcessor: (_name: string, value: string) => SafeXml.decodeEntities(value)
})
const parse = (text: string) => parser.parse(text) as Record<string, unknown>

/** fast-xml-parser's tree as the client took it: the root's name and its value as an object. */
const viaParser = (text: string) => {
  const tree = parse(text)
  const root = Object.keys(tree)[0] ?? ""
  const value = tree[root]
  return {
    root,
    document:
      typeof value === "object" && value !== null
        ? value
        : value === undefined || value === ""
          ? {}
          : { "#text": value }
  }
}

/** The root element's local name, found without the reader: the first tag outside comments and instructions. */
const rootOf = (text: string): string => {
  const tag = /<([^\s<>!?/]+)/.exec(text.replace(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g, ""))
  const name = tag?.[1] ?? ""
  return name.slice(name.indexOf(":") + 1)
}

/**
 * What the reader refuses by policy rather than by XML 1.0, which
 * fast-xml-parser's validator lets through: markup declarations anywhere (no
 * entity is ever expanded) and names that could reach a prototype.
 */
const POLICY: ReadonlyArray<StricterRule> = [
  {
    problem: /^DOCTYPE and entity declarations are refused/,
    present: (text) => /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i.test(text)
  },
  {
    problem: /^reserved name "(__proto__|constructor|prototype)"/,
    present: (text, problem) => {
      const name = /"([^"]+)"/.exec(problem)![1]!
      return new RegExp(`<(?:[^\\s<>/:]+:)?${name}[\\s/>]|<[^<]*\\s(?:[^\\s<>=/]+:)?${name}\\s*=`).test(text)
    }
  }
]

/** Whether a processing instruction's content, read as fast-xml-parser reads it (quoted runs skipped), runs past its `?>`. */
const quoteRunsPast = (content: string): boolean => {
  for (let i = 0; i < content.length; i++) {
    const quote = content[i]
    if (quote !== '"' && quote !== "'") continue
    const close = content.indexOf(quote, i + 1)
    if (close === -1) return true
    i = close
  }
  return false
}

/**
 * Well-formed texts fast-xml-parser's parser misreads (its validator accepts
 * them), so that there is no tree to compare with:
 *
 * - it reads a processing instruction as a list of attributes, so an
 *   unpaired quote inside one (`<?pi don't?>`) makes it skip to the next such
 *   quote, past the instruction's end: it throws, or swallows the markup in
 *   between (XML lets an instruction hold any text but `?>`);
 * - it splits names at JavaScript white space, and U+FEFF and U+1680 are
 *   that and XML name characters too: `<Order \uFEFFId="1">` gives it `@Id`.
 */
const misreadByParser = (text: string): boolean =>
  [...text.matchAll(/<\?((?:(?!\?>)[\s\S])*)\?>/g)].some((match) => quoteRunsPast(match[1]!)) ||
  [...text.matchAll(/<[^!?<]/g)].some((match) => jsSpaceInTag(text, match.index + 1))

/** Whether the tag from `from` holds U+FEFF or U+1680 outside its quoted values (in a name, then). */
const jsSpaceInTag = (text: string, from: number): boolean => {
  let quote = ""
  for (let i = from; i < text.length; i++) {
    const character = text[i]!
    if (quote !== "") {
      if (character === quote) quote = ""
    } else if (character === '"' || character === "'") quote = character
    else if (character === ">" || character === "<") return false
    else if (character === "\uFEFF" || character === "\u1680") return true
  }
  return false
}

describe("XmlDocument.read agrees with fast-xml-parser (validator + parser, the client's options)", () => {
  it("on generated and mutated documents: the same tree, or a refusal for a listed rule the text breaks", () => {
    let compared = 0
    let stricter = 0
    let bothRefused = 0
    let misread = 0
    fc.assert(
      fc.property(anyDocument, (text) => {
        const read = XmlDocument.read(text, { maxDepth: MAX_DEPTH })
        // The client decodes bytes with TextDecoder, which drops a byte-order mark; fast-xml-parser gets the same.
        const bare = text.replace(/^\uFEFF/, "")
        const valid = XMLValidator.validate(bare) === true
        if (read._tag === "Malformed") {
          if (!valid) {
            bothRefused++
            return
          }
          // Refused where the validator is lenient: only by a listed rule, and the text breaks it.
          const rules = [...POLICY, ...stricterRules(rootOf(text), parse)]
          const rule = rules.find((candidate) => candidate.problem.test(read.problem))
          assert.isDefined(rule, `refused for a reason the validator does not share: ${read.reason}: ${read.problem}`)
          assert.isTrue(rule!.present(text, read.problem), `${read.problem}, but the text does not show it`)
          stricter++
          return
        }
        assert.isTrue(valid, "the reader accepted a document fast-xml-parser's validator refuses")
        if (misreadByParser(bare)) {
          misread++
          return
        }
        assert.deepStrictEqual({ root: read.root, document: read.document }, viaParser(bare))
        compared++
      }),
      { numRuns: Number(process.env.MWS_KIT_DIFF_RUNS ?? 4000) }
    )
    assert.isAbove(compared, 1000, "too few well-formed documents to compare")
    assert.isAbove(stricter, 50, "too few documents exercised a rule the validator lacks")
    assert.isAbove(bothRefused, 50, "too few documents both refused")
    assert.isBelow(misread, compared / 20, "the parser's known misreading should stay rare in the corpus")
  }, 600_000) // long only when MWS_KIT_DIFF_RUNS asks for a deep run
})
