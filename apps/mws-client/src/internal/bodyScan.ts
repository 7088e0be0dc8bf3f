/**
 * The shape check of a success body: one pass, building nothing, so every
 * 2xx is checked before anything reads its tree.
 *
 * @internal
 */
import { SafeXml } from "@mws-kit/xml-error-parser"

const RESERVED_WORDS = ["__proto__", "constructor", "prototype"] as const
const RESERVED_NAMES: ReadonlySet<string> = new Set(RESERVED_WORDS)

const localName = (name: string): string => {
  const colon = name.indexOf(":")
  return colon === -1 ? name : name.slice(colon + 1)
}

/**
 * One pass over a document, building nothing: whether its tags are balanced
 * (every closing tag closes the innermost open one, nothing is left open:
 * a truncated body fails here), the nesting depth, the number of root
 * elements, and whether an element or attribute is named `__proto__`,
 * `constructor` or `prototype` (which fast-xml-parser refuses). Comments,
 * CDATA, processing instructions and quoted attribute values are skipped.
 */
const scanBody = (
  text: string
): {
  readonly problem: string | undefined
  readonly depth: number
  readonly roots: number
  readonly reserved: boolean
} => {
  // Names are only looked at when one of the reserved words appears at all (almost never).
  const checkNames = RESERVED_WORDS.some((word) => text.includes(word))
  const open: Array<string> = []
  let maxDepth = 0
  let roots = 0
  const result = (problem: string | undefined, reserved = false) => ({ problem, depth: maxDepth, roots, reserved })
  let i = text.indexOf("<")
  while (i !== -1) {
    const next = text.charCodeAt(i + 1)
    if (next === 63 /* ? */ || next === 33 /* ! */) {
      const close =
        next === 63 ? "?>" : text.startsWith("<!--", i) ? "-->" : text.startsWith("<![CDATA[", i) ? "]]>" : ">"
      const end = text.indexOf(close, i + 2)
      if (end === -1)
        return result(
          `unterminated ${close === ">" ? "declaration" : close === "?>" ? "processing instruction" : close === "-->" ? "comment" : "CDATA section"}`
        )
      i = text.indexOf("<", end + close.length)
      continue
    }
    const closing = next === 47 /* / */
    // The end of the tag, skipping quoted attribute values.
    let j = i + 1
    let quote = 0
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j)
      if (quote !== 0) {
        if (c === quote) quote = 0
      } else if (c === 34 || c === 39) quote = c
      else if (c === 62 /* > */) break
    }
    if (j >= text.length) return result("the document ends inside a tag")
    let nameEnd = closing ? i + 2 : i + 1
    while (nameEnd < j) {
      const c = text.charCodeAt(nameEnd)
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 47 || c === 62) break
      nameEnd++
    }
    const name = text.slice(closing ? i + 2 : i + 1, nameEnd)
    if (name === "") return result("a tag without a name")
    if (checkNames) {
      const inner = text.slice(closing ? i + 2 : i + 1, j)
      for (const part of inner.replace(/"[^"]*"|'[^']*'/g, " ").split(/[\s=/]+/)) {
        if (part !== "" && RESERVED_NAMES.has(localName(part))) return result(undefined, true)
      }
    }
    if (closing) {
      const expected = open.pop()
      if (expected !== name) {
        return result(expected === undefined ? `a stray </${name}>` : `</${name}> closes <${expected}>`)
      }
    } else if (text.charCodeAt(j - 1) !== 47 /* / */) {
      if (open.length === 0) roots++
      open.push(name)
      if (open.length > maxDepth) maxDepth = open.length
    } else if (open.length === 0) roots++
    i = text.indexOf("<", j + 1)
  }
  return result(open.length === 0 ? undefined : `<${open[open.length - 1]}> is never closed (truncated?)`)
}

/** Why a success body is refused (`ResponseBody.MalformedReason`) and what was wrong. @internal */
export interface BodyProblem {
  readonly reason: "too-large" | "declaration" | "unsafe-name" | "malformed-xml" | "no-root"
  readonly problem: string
}

/**
 * Checks a success body in one pass: size, no DOCTYPE or entity declaration,
 * balanced tags, one root, nesting under `maxDepth`, no reserved name.
 * `undefined` when it is fine; never throws.
 *
 * @internal
 */
export const checkBody = (text: string, maxBytes: number, maxDepth: number): BodyProblem | undefined => {
  if (text.length > maxBytes) return { reason: "too-large", problem: `over ${maxBytes} bytes` }
  if (SafeXml.hasDeclaration(text)) {
    return { reason: "declaration", problem: "DOCTYPE and entity declarations are refused" }
  }
  const shape = scanBody(text)
  if (shape.reserved) {
    return {
      reason: "unsafe-name",
      problem: "a reserved element or attribute name (__proto__, constructor, prototype)"
    }
  }
  if (shape.problem !== undefined) return { reason: "malformed-xml", problem: shape.problem }
  if (shape.roots !== 1) return { reason: "no-root", problem: `expected one root element, found ${shape.roots}` }
  if (shape.depth > maxDepth) return { reason: "malformed-xml", problem: `nested deeper than ${maxDepth} elements` }
  return undefined
}
