import type { UnparseableErrorBody } from "@mws-kit/error-codes"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import { hasDeclaration, parserOptions } from "../SafeXml.ts"

/** Where a body stands after the safety checks and the parse. @internal */
export type XmlOutcome =
  | { readonly _tag: "Tree"; readonly tree: Record<string, unknown> }
  | { readonly _tag: "Rejected"; readonly reason: UnparseableErrorBody.Reason; readonly problem: string }

const parsers = new Map<string, XMLParser>()

const parserFor = (maxDepth: number, withAttributes: boolean): XMLParser => {
  const key = `${maxDepth}:${withAttributes}`
  let parser = parsers.get(key)
  if (parser === undefined) {
    parser = new XMLParser(parserOptions({ maxDepth, attributes: withAttributes }))
    parsers.set(key, parser)
  }
  return parser
}

/** How the body's first meaningful characters look. @internal */
export type Sniffed = "empty" | "xml" | "html" | "json" | "not-xml"

/**
 * Looks at the start of a body (and its content type) to tell XML from an
 * HTML page, JSON or plain text, without parsing it.
 *
 * @internal
 */
export const sniff = (text: string, contentType: string | undefined): Sniffed => {
  let i = 0
  while (i < text.length && (text.charCodeAt(i) <= 32 || text.charCodeAt(i) === 0xfeff)) i++
  if (i === text.length) return "empty"
  const head = text.slice(i, i + 64).toLowerCase()
  const type = contentType?.toLowerCase() ?? ""
  if (head.startsWith("<!doctype html") || head.startsWith("<html") || type.startsWith("text/html")) return "html"
  const first = text[i]
  if (first === "{" || first === "[") return "json"
  if (first !== "<") return type.includes("json") ? "json" : "not-xml"
  return "xml"
}

const problemOf = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error)
  // fast-xml-parser quotes up to ~100 characters of input in its messages: keep the message short.
  return message.length > 160 ? `${message.slice(0, 160)}…` : message
}

const reasonOf = (message: string): UnparseableErrorBody.Reason => {
  if (message.includes("Maximum nested tags exceeded")) return "too-deep"
  if (message.includes("[SECURITY]")) return "unsafe-name"
  if (message.includes("DOCTYPE") || message.includes("ntit")) return "doctype"
  return "malformed-xml"
}

/**
 * fast-xml-parser's validator as the well-formedness gate: mismatched,
 * unclosed and truncated tags, bad attributes, stray `&`, text outside the
 * root. Linear in the input. Returns `undefined` when the text is well
 * formed, else the problem. Never throws.
 *
 * @internal
 */
export const wellFormednessProblem = (text: string): string | undefined => {
  let verdict: ReturnType<typeof XMLValidator.validate>
  try {
    verdict = XMLValidator.validate(text)
  } catch (error) {
    return problemOf(error)
  }
  if (verdict === true) return undefined
  const { msg, line, col } = verdict.err
  return problemOf(`${msg} (line ${line}, column ${col})`)
}

/**
 * Parses text that sniffed as XML into a tree, for bodies whose structure is
 * not known in advance (success bodies searched for per-item errors):
 * refuses declarations, parses with the capped parser (which stops early on
 * deep nesting and unsafe names), then checks well-formedness, because the
 * parser itself silently accepts mismatched and truncated tags. Never throws.
 *
 * @internal
 */
export const parseXml = (text: string, maxDepth: number, withAttributes = false): XmlOutcome => {
  if (hasDeclaration(text)) {
    return { _tag: "Rejected", reason: "doctype", problem: "DOCTYPE and entity declarations are refused" }
  }
  let tree: Record<string, unknown>
  try {
    tree = parserFor(maxDepth, withAttributes).parse(text) as Record<string, unknown>
  } catch (error) {
    const problem = problemOf(error)
    return { _tag: "Rejected", reason: reasonOf(problem), problem }
  }
  const problem = wellFormednessProblem(text)
  if (problem !== undefined) return { _tag: "Rejected", reason: "malformed-xml", problem }
  // The validator accepts a second root element; XML does not.
  if (Object.keys(tree).length !== 1) {
    return { _tag: "Rejected", reason: "malformed-xml", problem: "more than one root element" }
  }
  return { _tag: "Tree", tree }
}
