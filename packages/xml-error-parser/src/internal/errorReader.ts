import { decodeEntities } from "../SafeXml.ts"
import { forwardSearch, isXmlSpace, nameEnd, referencesProblem } from "./xmlChars.ts"

/** The fields of one `<Error>`, as text (entities decoded, trimmed); `detail` is the raw inner XML. @internal */
export interface ErrorFields {
  readonly code: string
  readonly type: string
  readonly message: string | undefined
  readonly detail: string | undefined
}

/** What the reader found. @internal */
export type ReadOutcome =
  | {
      readonly _tag: "ErrorResponse"
      readonly errors: ReadonlyArray<ErrorFields>
      readonly requestId: string | undefined
    }
  | { readonly _tag: "Other"; readonly root: string }
  | { readonly _tag: "TooDeep" }
  | { readonly _tag: "Malformed"; readonly problem: string }

type Field = "Code" | "Type" | "Message" | "Detail" | "RequestId"

interface Collecting {
  readonly field: Field
  readonly depth: number
  readonly start: number
  parts: Array<string>
}

interface OpenError {
  code?: string
  type?: string
  message?: string
  detail?: string
}

const localName = (qualified: string): string => {
  const colon = qualified.indexOf(":")
  return colon === -1 ? qualified : qualified.slice(colon + 1)
}

/** Which field an element opens, given its name and its parents. */
const fieldOf = (name: string, depth: number, parent: string | undefined): Field | undefined => {
  if (depth === 2 && parent === "Error") {
    return name === "Code" || name === "Type" || name === "Message" || name === "Detail" ? name : undefined
  }
  if (
    (depth === 1 || (depth === 2 && parent === "ResponseMetadata")) &&
    (name === "RequestID" || name === "RequestId")
  ) {
    return "RequestId"
  }
  return undefined
}

/** A problem at an offset of the text, as the reader reports it. */
const malformed = (problem: string): ReadOutcome => ({ _tag: "Malformed", problem })

/** Whether `text` holds only XML white space between `from` and `end`. */
const onlySpace = (text: string, from: number, end: number): boolean => {
  for (let i = from; i < end; i++) if (!isXmlSpace(text.charCodeAt(i))) return false
  return true
}

/** The forward searches one reading shares, so that no search scans the same text twice. */
interface Searches {
  readonly nextLt: (from: number) => number
  readonly nextAmp: (from: number) => number
  readonly nextCdataEnd: (from: number) => number
}

/** How many attribute names a tag keeps in a list before it switches to a set (MWS sends one, `xmlns`). */
const ATTRIBUTE_LIST_MAX = 8

/**
 * Checks a start tag's attributes, from just after its name to its `>`
 * (`end`): each is white space, a name, `=`, and a quoted value without `<`
 * and with well-formed references; no name twice. Returns where the tag's
 * content starts (after `>`) and whether it closed itself, or the problem.
 */
const readAttributes = (
  text: string,
  from: number,
  n: number,
  searches: Searches
): { readonly end: number; readonly selfClosing: boolean } | string => {
  let i = from
  let names: Array<string> | Set<string> | undefined
  while (true) {
    const spaced = i < n && isXmlSpace(text.charCodeAt(i))
    while (i < n && isXmlSpace(text.charCodeAt(i))) i++
    if (i >= n) return "unclosed tag"
    const code = text.charCodeAt(i)
    if (code === 62 /* > */) return { end: i + 1, selfClosing: false }
    if (code === 47 /* / */) {
      return text.charCodeAt(i + 1) === 62
        ? { end: i + 2, selfClosing: true }
        : `"/" not followed by ">" at offset ${i}`
    }
    const after = nameEnd(text, i, n)
    if (after === i) return `invalid character in a tag at offset ${i}`
    if (!spaced) return `no white space before the attribute at offset ${i}`
    const name = text.slice(i, after)
    if (names === undefined) names = [name]
    else if (Array.isArray(names) ? names.includes(name) : names.has(name)) return `attribute "${name}" given twice`
    else if (!Array.isArray(names)) names.add(name)
    else if (names.length < ATTRIBUTE_LIST_MAX) names.push(name)
    else names = new Set([...names, name])
    i = after
    while (i < n && isXmlSpace(text.charCodeAt(i))) i++
    if (text.charCodeAt(i) !== 61 /* = */) return `attribute "${name}" without a value`
    i++
    while (i < n && isXmlSpace(text.charCodeAt(i))) i++
    const quote = text.charCodeAt(i)
    if (quote !== 34 && quote !== 39) return `attribute "${name}" has an unquoted value`
    const close = text.indexOf(quote === 34 ? '"' : "'", i + 1)
    if (close === -1) return "unclosed attribute value"
    const lt = searches.nextLt(i + 1)
    if (lt !== -1 && lt < close) return `"<" in the value of attribute "${name}"`
    const references = referencesProblem(text, i + 1, close, searches.nextAmp)
    if (references !== undefined) return references
    i = close + 1
  }
}

/**
 * Reads an MWS `ErrorResponse` in one pass over the text, without building a
 * tree, and checks on the way that the text is well-formed XML: the root's
 * name, each `<Error>`'s Type, Code, Message and Detail, and the RequestId
 * (`RequestID`, `RequestId` or `ResponseMetadata/RequestId`). Namespace
 * prefixes are ignored when matching names (not when pairing tags); text is
 * entity-decoded and trimmed; CDATA is taken as is; `<Detail>` is kept as the
 * raw XML inside it. It stops at `maxDepth` levels of nesting.
 *
 * Well-formed means (XML 1.0): one root element, nothing but white space,
 * comments and processing instructions around it, an XML declaration only at
 * the very start; names made of name characters; tags that pair up exactly;
 * attributes spaced, quoted, unique and without `<`; references that are the
 * five predefined entities or characters XML allows (`&nbsp;` is not: no DTD
 * declares it); no bare `&`; no `]]>` in text; comments without `--`; CDATA
 * and comments closed. A root other than `ErrorResponse` stops the reading at
 * once (`Other`): such a body is not an MWS error, well formed or not.
 * DOCTYPE and other declarations are the caller's to refuse before; here
 * they are malformed. Control characters in text are not checked.
 *
 * It builds no object keyed by element names, so a hostile name cannot
 * reach a prototype.
 *
 * @internal
 */
export const readErrorResponse = (text: string, maxDepth: number): ReadOutcome => {
  const stack: Array<string> = []
  const errors: Array<OpenError> = []
  let requestId: string | undefined
  let collecting: Collecting | undefined
  let rootSeen = false
  const n = text.length
  // A byte-order mark is not part of the document.
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let i = start
  const searches: Searches = {
    nextLt: forwardSearch(text, "<"),
    nextAmp: forwardSearch(text, "&"),
    nextCdataEnd: forwardSearch(text, "]]>")
  }

  const finish = (end: number): void => {
    const field = collecting!
    collecting = undefined
    if (field.field === "Detail") {
      const current = errors[errors.length - 1]
      if (current !== undefined) current.detail = text.slice(field.start, end).trim()
      return
    }
    // XML turns every CR LF and lone CR into LF (XML 1.0, section 2.11).
    const joined = field.parts.join("")
    const value = (joined.includes("\r") ? joined.replace(/\r\n?/g, "\n") : joined).trim()
    if (field.field === "RequestId") {
      requestId ??= value
      return
    }
    const current = errors[errors.length - 1]
    if (current === undefined) return
    if (field.field === "Code") current.code ??= value
    else if (field.field === "Type") current.type ??= value
    else current.message ??= value
  }

  while (i < n) {
    const lt = searches.nextLt(i)
    const textEnd = lt === -1 ? n : lt
    if (textEnd > i) {
      if (stack.length === 0) {
        if (!onlySpace(text, i, textEnd)) return malformed(`text outside the root element at offset ${i}`)
      } else {
        const problem = referencesProblem(text, i, textEnd, searches.nextAmp)
        if (problem !== undefined) return malformed(problem)
        const cdataEnd = searches.nextCdataEnd(i)
        if (cdataEnd !== -1 && cdataEnd < textEnd) return malformed(`"]]>" in text at offset ${cdataEnd}`)
        if (collecting !== undefined && collecting.field !== "Detail" && stack.length === collecting.depth + 1) {
          collecting.parts.push(decodeEntities(text.slice(i, textEnd)))
        }
      }
    }
    if (lt === -1) break
    const next = text.charCodeAt(lt + 1)
    if (next === 33 /* ! */) {
      if (text.startsWith("<!--", lt)) {
        const end = text.indexOf("--", lt + 4)
        if (end === -1) return malformed("unclosed comment")
        if (text.charCodeAt(end + 2) !== 62) return malformed(`"--" inside a comment at offset ${end}`)
        i = end + 3
        continue
      }
      if (text.startsWith("<![CDATA[", lt)) {
        if (stack.length === 0) return malformed("CDATA outside the root element")
        const end = searches.nextCdataEnd(lt + 9)
        if (end === -1) return malformed("unclosed CDATA section")
        if (collecting !== undefined && collecting.field !== "Detail" && stack.length === collecting.depth + 1) {
          collecting.parts.push(text.slice(lt + 9, end))
        }
        i = end + 3
        continue
      }
      return malformed("markup declaration")
    }
    if (next === 63 /* ? */) {
      const end = text.indexOf("?>", lt + 2)
      if (end === -1) return malformed("unclosed processing instruction")
      const targetEnd = nameEnd(text, lt + 2, end)
      if (targetEnd === lt + 2) return malformed(`processing instruction without a target at offset ${lt}`)
      if (targetEnd - lt - 2 === 3 && text.slice(lt + 2, targetEnd).toLowerCase() === "xml" && lt !== start) {
        return malformed("an XML declaration not at the very start")
      }
      i = end + 2
      continue
    }
    if (next === 47 /* / */) {
      const nameStart = lt + 2
      const end = nameEnd(text, nameStart, n)
      if (end === nameStart) return malformed(`invalid closing tag at offset ${lt}`)
      let gt = end
      while (gt < n && isXmlSpace(text.charCodeAt(gt))) gt++
      if (text.charCodeAt(gt) !== 62) return malformed(`closing tag not closed by ">" at offset ${lt}`)
      const open = stack.pop()
      const closing = text.slice(nameStart, end)
      if (open !== closing) {
        return malformed(
          open === undefined ? `closing tag </${closing}> opened nowhere` : `mismatched closing tag </${closing}>`
        )
      }
      if (collecting !== undefined && stack.length === collecting.depth) finish(lt)
      i = gt + 1
      continue
    }
    // A start tag: its name, then its attributes.
    const nameStart = lt + 1
    const afterName = nameEnd(text, nameStart, n)
    if (afterName === nameStart) {
      return malformed(
        nameStart < n && /\s/.test(text[nameStart]!) ? "white space before a tag name" : `invalid tag at offset ${lt}`
      )
    }
    const qualified = text.slice(nameStart, afterName)
    const depth = stack.length
    if (depth >= maxDepth) return { _tag: "TooDeep" }
    const name = localName(qualified)
    if (depth === 0) {
      if (rootSeen) return malformed("more than one root element")
      if (name !== "ErrorResponse") return { _tag: "Other", root: name }
      rootSeen = true
    }
    const attributes = readAttributes(text, afterName, n, searches)
    if (typeof attributes === "string") return malformed(attributes)
    if (depth === 1 && name === "Error") errors.push({})
    if (collecting === undefined) {
      const field = fieldOf(name, depth, depth === 2 ? localName(stack[1]!) : undefined)
      if (field !== undefined) {
        collecting = { field, depth, start: attributes.end, parts: [] }
        if (attributes.selfClosing) finish(attributes.end)
      }
    }
    if (!attributes.selfClosing) stack.push(qualified)
    i = attributes.end
  }
  if (stack.length > 0) return malformed(`unclosed <${stack[stack.length - 1]}>`)
  if (!rootSeen) return malformed("no root element")
  return {
    _tag: "ErrorResponse",
    errors: errors.flatMap((error) =>
      error.code ? [{ code: error.code, type: error.type ?? "", message: error.message, detail: error.detail }] : []
    ),
    requestId: requestId === "" ? undefined : requestId
  }
}
