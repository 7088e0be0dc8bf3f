import { decodeEntities } from "../SafeXml.ts"

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

/**
 * Whether a character is white space as JavaScript's `\s` sees it (which
 * includes U+FEFF and U+00A0): fast-xml-parser's validator reads names that
 * way, and the reader must agree with the validator on every name.
 */
const isSpace = (text: string, at: number): boolean => {
  const code = text.charCodeAt(at)
  return code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(text[at]!))
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

/**
 * Reads an MWS `ErrorResponse` in one pass over the text, without building a
 * tree: the root's name, each `<Error>`'s Type, Code, Message and Detail, and
 * the RequestId (`RequestID`, `RequestId` or `ResponseMetadata/RequestId`).
 * Namespace prefixes are ignored; text is entity-decoded (the predefined and
 * numeric references only) and trimmed; CDATA is taken as is; `<Detail>` is
 * kept as the raw XML inside it. It stops at `maxDepth` levels of nesting.
 *
 * It builds no object keyed by element names, so a hostile name cannot
 * reach a prototype. It only checks what it needs; well-formedness is the
 * validator's job, and the caller runs both.
 *
 * @internal
 */
export const readErrorResponse = (text: string, maxDepth: number): ReadOutcome => {
  const stack: Array<string> = []
  const errors: Array<OpenError> = []
  let requestId: string | undefined
  let collecting: Collecting | undefined
  let rootSeen = false
  let i = 0
  const n = text.length

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
    const lt = text.indexOf("<", i)
    const textEnd = lt === -1 ? n : lt
    if (
      collecting !== undefined &&
      collecting.field !== "Detail" &&
      stack.length === collecting.depth + 1 &&
      textEnd > i
    ) {
      collecting.parts.push(decodeEntities(text.slice(i, textEnd)))
    }
    if (lt === -1) break
    const next = text.charCodeAt(lt + 1)
    if (next === 33 /* ! */) {
      if (text.startsWith("<!--", lt)) {
        const end = text.indexOf("-->", lt + 4)
        if (end === -1) return { _tag: "Malformed", problem: "unclosed comment" }
        i = end + 3
        continue
      }
      if (text.startsWith("<![CDATA[", lt)) {
        const end = text.indexOf("]]>", lt + 9)
        if (end === -1) return { _tag: "Malformed", problem: "unclosed CDATA section" }
        if (collecting !== undefined && collecting.field !== "Detail" && stack.length === collecting.depth + 1) {
          collecting.parts.push(text.slice(lt + 9, end))
        }
        i = end + 3
        continue
      }
      return { _tag: "Malformed", problem: "markup declaration" }
    }
    if (next === 63 /* ? */) {
      const end = text.indexOf("?>", lt + 2)
      if (end === -1) return { _tag: "Malformed", problem: "unclosed processing instruction" }
      i = end + 2
      continue
    }
    const gt = text.indexOf(">", lt)
    if (gt === -1) return { _tag: "Malformed", problem: "unclosed tag" }
    if (next === 47 /* / */) {
      if (isSpace(text, lt + 2)) return { _tag: "Malformed", problem: "white space before a tag name" }
      const name = localName(text.slice(lt + 2, gt).trimEnd())
      if (stack.pop() !== name) return { _tag: "Malformed", problem: `mismatched closing tag </${name}>` }
      if (collecting !== undefined && stack.length === collecting.depth) finish(lt)
      i = gt + 1
      continue
    }
    // A start tag: its name, then attributes up to the closing ">" outside quotes.
    const nameStart = lt + 1
    if (nameStart >= n || isSpace(text, nameStart))
      return { _tag: "Malformed", problem: "white space before a tag name" }
    let nameEnd = nameStart
    while (
      nameEnd < n &&
      text.charCodeAt(nameEnd) !== 47 &&
      text.charCodeAt(nameEnd) !== 62 &&
      !isSpace(text, nameEnd)
    ) {
      nameEnd++
    }
    const name = localName(text.slice(nameStart, nameEnd))
    let end = nameEnd
    let quote = 0
    while (end < n) {
      const code = text.charCodeAt(end)
      if (quote !== 0) {
        if (code === quote) quote = 0
      } else if (code === 34 || code === 39) quote = code
      else if (code === 62) break
      end++
    }
    if (end >= n) return { _tag: "Malformed", problem: "unclosed tag" }
    const selfClosing = text.charCodeAt(end - 1) === 47
    const depth = stack.length
    if (depth >= maxDepth) return { _tag: "TooDeep" }
    if (depth === 0) {
      if (rootSeen) return { _tag: "Malformed", problem: "more than one root element" }
      if (name !== "ErrorResponse") return { _tag: "Other", root: name }
      rootSeen = true
    }
    if (depth === 1 && name === "Error") errors.push({})
    if (collecting === undefined) {
      const field = fieldOf(name, depth, stack[depth - 1])
      if (field !== undefined) {
        if (selfClosing) {
          collecting = { field, depth, start: end + 1, parts: [] }
          finish(end + 1)
        } else {
          collecting = { field, depth, start: end + 1, parts: [] }
        }
      }
    }
    if (!selfClosing) stack.push(name)
    i = end + 1
  }
  if (stack.length > 0) return { _tag: "Malformed", problem: `unclosed <${stack[stack.length - 1]}>` }
  return {
    _tag: "ErrorResponse",
    errors: errors.flatMap((error) =>
      error.code ? [{ code: error.code, type: error.type ?? "", message: error.message, detail: error.detail }] : []
    ),
    requestId: requestId === "" ? undefined : requestId
  }
}
