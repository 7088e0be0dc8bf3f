import { decodeEntities } from "../SafeXml.ts"
import { localName, normalizeNewlines } from "./xmlChars.ts"
import { XmlCursor } from "./xmlCursor.ts"

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

/**
 * Reads an MWS `ErrorResponse` in one pass over the text (the cursor
 * `XmlDocument` reads with too), without building a tree, and checks on the
 * way that the text is well-formed XML: the root's
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
  const cursor = new XmlCursor(text, maxDepth)
  const errors: Array<OpenError> = []
  let requestId: string | undefined
  let collecting: Collecting | undefined

  const finish = (end: number): void => {
    const field = collecting!
    collecting = undefined
    if (field.field === "Detail") {
      const current = errors[errors.length - 1]
      if (current !== undefined) current.detail = text.slice(field.start, end).trim()
      return
    }
    // XML turns every CR LF and lone CR into LF (XML 1.0, section 2.11).
    const value = normalizeNewlines(field.parts.join("")).trim()
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
  while (true) {
    const token = cursor.next()
    // Text and CDATA count when they are the direct content of a field other than Detail (kept as raw XML).
    const field = collecting !== undefined && collecting.field !== "Detail" ? collecting : undefined
    if (field !== undefined && token !== "problem" && cursor.textEnd > cursor.textStart) {
      if (cursor.textDepth === field.depth + 1) {
        field.parts.push(decodeEntities(text.slice(cursor.textStart, cursor.textEnd)))
      }
    }
    switch (token) {
      case "cdata":
        if (field !== undefined && cursor.depth === field.depth + 1) {
          field.parts.push(text.slice(cursor.start, cursor.end))
        }
        break
      case "open": {
        const depth = cursor.depth
        const name = localName(cursor.name)
        // Another root: not an MWS error, well formed or not; no need to read further.
        if (depth === 0 && name !== "ErrorResponse") return { _tag: "Other", root: name }
        if (!cursor.readAttributes(false)) return malformed(cursor.problem)
        if (depth === 1 && name === "Error") errors.push({})
        if (collecting === undefined) {
          const field = fieldOf(name, depth, depth === 2 ? localName(cursor.openName(1)!) : undefined)
          if (field !== undefined) collecting = { field, depth, start: cursor.contentStart, parts: [] }
        }
        break
      }
      case "close":
        if (collecting !== undefined && cursor.depth === collecting.depth) finish(cursor.start)
        break
      case "end":
        return {
          _tag: "ErrorResponse",
          errors: errors.flatMap((error) =>
            error.code
              ? [{ code: error.code, type: error.type ?? "", message: error.message, detail: error.detail }]
              : []
          ),
          requestId: requestId === "" ? undefined : requestId
        }
      case "problem":
        return cursor.problemKind === "too-deep" ? { _tag: "TooDeep" } : malformed(cursor.problem)
    }
  }
}
