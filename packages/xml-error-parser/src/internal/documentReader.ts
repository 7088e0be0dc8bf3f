/**
 * Builds the tree of a whole document from the shared cursor's tokens, in
 * the shape fast-xml-parser 5 gives with the hardened options
 * (`SafeXml.parserOptions({ attributes: true })` and `decodeEntities` as the
 * value processors). Every rule below is fast-xml-parser's, checked against
 * it by the differential test.
 *
 * @internal
 */
import { decodeEntities, hasDeclaration } from "../SafeXml.ts"
import type { XmlObject, XmlValue } from "../XmlDocument.ts"
import { forwardSearch, localName, normalizeNewlines, xmlDeclarationProblem } from "./xmlChars.ts"
import { XmlCursor } from "./xmlCursor.ts"

/** An element's children, attributes and text while it is read (an array grows while its name repeats). */
type Children = { [name: string]: XmlValue }

/** What the reading gives. @internal */
export type DocumentOutcome =
  | { readonly _tag: "Parsed"; readonly root: string; readonly value: string | XmlObject }
  | { readonly _tag: "Malformed"; readonly reason: DocumentProblem; readonly problem: string }

/** Why a document was refused. @internal */
export type DocumentProblem = "declaration" | "malformed-xml" | "unsafe-name" | "no-root" | "too-deep"

/** An element being read: its key in its parent, its children, its text so far, its attributes. */
interface Frame {
  key: string
  children: Children | undefined
  text: string
  /** Key, value, key, value...: `@name` and the decoded value. */
  attributes: Array<string> | undefined
}

/** Names that could reach a prototype through an object keyed by names: refused (`unsafe-name`). */
const RESERVED: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"])

/** Names fast-xml-parser renames to `__name` (its `onDangerousProperty`): they shadow `Object.prototype` methods. */
const SHADOWING: ReadonlySet<string> = new Set([
  "hasOwnProperty",
  "toString",
  "valueOf",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__"
])

/** Where a markup declaration starts: what `SafeXml.hasDeclaration` looks for, at one offset. */
const DECLARATION_AT = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/iy

/**
 * An attribute's key, or `undefined` when fast-xml-parser drops it: `xmlns`
 * and `xmlns:*` declarations, and a name that is empty once its prefix is
 * removed. One prefix is removed (`p:a` is `a`); a name with two colons stays
 * whole.
 */
const attributeName = (qualified: string): string | undefined => {
  const colon = qualified.indexOf(":")
  if (colon === -1) return qualified === "xmlns" ? undefined : qualified
  if (colon === 5 && qualified.startsWith("xmlns")) return undefined
  if (qualified.indexOf(":", colon + 1) !== -1) return qualified
  return colon === qualified.length - 1 ? undefined : qualified.slice(colon + 1)
}

/** Text as fast-xml-parser keeps it: trimmed, then decoded; `""` when blank. Line ends are normalised before. */
const textValue = (normalized: string): string => {
  const trimmed = normalized.trim()
  return trimmed === "" ? "" : decodeEntities(trimmed)
}

/** An element's value once closed: its text alone, or its children, `#text` and attributes, or `""`. */
const closedValue = (frame: Frame): string | XmlObject => {
  let value = frame.children
  if (frame.text !== "") {
    if (value === undefined && frame.attributes === undefined) return frame.text
    value ??= {}
    value["#text"] = frame.text
  }
  const attributes = frame.attributes
  if (attributes !== undefined) {
    value ??= {}
    for (let i = 0; i < attributes.length; i += 2) value[attributes[i]!] = attributes[i + 1]!
  }
  return value ?? ""
}

/** Adds a closed element to its parent: a second element of the same name makes an array. */
const attach = (parent: Frame, key: string, value: XmlValue): void => {
  parent.children ??= {}
  const children = parent.children
  if (!Object.hasOwn(children, key)) {
    children[key] = value
    return
  }
  const existing = children[key]!
  // Only this function makes arrays, and only mutable ones.
  if (Array.isArray(existing)) (existing as Array<XmlValue>).push(value)
  else children[key] = [existing, value]
}

const malformed = (reason: DocumentProblem, problem: string): DocumentOutcome => ({
  _tag: "Malformed",
  reason,
  problem
})

/** A markup declaration, anywhere: refused before anything could expand an entity. */
const declaration = (): DocumentOutcome => malformed("declaration", "DOCTYPE and entity declarations are refused")

const unsafe = (name: string): DocumentOutcome =>
  malformed("unsafe-name", `reserved name "${name}" (__proto__, constructor and prototype are refused)`)

/**
 * Reads a whole document into its root's name and value, in one pass with
 * the cursor (undeclared entity references let through and kept as
 * written), or says why not. A problem in a text that holds a markup
 * declaration anywhere is reported as `declaration`, whatever else is wrong.
 *
 * @internal
 */
export const readDocument = (text: string, maxDepth: number): DocumentOutcome => {
  const cursor = new XmlCursor(text, maxDepth, true)
  const frames: Array<Frame> = []
  let open = 0
  /** Text since the last element boundary, CDATA or processing instruction (comments do not end a run). */
  let pending = ""
  let root: DocumentOutcome | undefined
  let nextBang: ((from: number) => number) | undefined
  /** Whether `<!DOCTYPE` (or another declaration) appears between `start` and `end`: inside a comment, CDATA or instruction. */
  const declarationWithin = (start: number, end: number): boolean => {
    nextBang ??= forwardSearch(text, "<!")
    for (let at = nextBang(start); at !== -1 && at < end; at = nextBang(at + 2)) {
      DECLARATION_AT.lastIndex = at
      if (DECLARATION_AT.test(text)) return true
    }
    return false
  }
  const flush = (): void => {
    if (pending === "") return
    if (open > 0) {
      const value = textValue(pending)
      if (value !== "") frames[open - 1]!.text += value
    }
    pending = ""
  }

  while (true) {
    const token = cursor.next()
    if (cursor.textEnd > cursor.textStart && token !== "problem") {
      // Line ends are normalised run by run: a CR before a comment and an LF after it are two line ends.
      const raw = normalizeNewlines(text.slice(cursor.textStart, cursor.textEnd))
      pending = pending === "" ? raw : pending + raw
    }
    switch (token) {
      case "open": {
        flush()
        const name = localName(cursor.name)
        if (RESERVED.has(name)) return unsafe(name)
        if (!cursor.readAttributes(true)) break
        let attributes: Array<string> | undefined
        const positions = cursor.attributes
        for (let i = 0; i < positions.length; i += 4) {
          const qualified = text.slice(positions[i], positions[i + 1])
          if (RESERVED.has(localName(qualified))) return unsafe(localName(qualified))
          const key = attributeName(qualified)
          if (key === undefined) continue
          attributes ??= []
          attributes.push(`@${key}`, textValue(normalizeNewlines(text.slice(positions[i + 2], positions[i + 3]))))
        }
        const frame = frames[open]
        const key = SHADOWING.has(name) ? `__${name}` : name
        if (frame === undefined) frames.push({ key, children: undefined, text: "", attributes })
        else {
          frame.key = key
          frame.children = undefined
          frame.text = ""
          frame.attributes = attributes
        }
        open++
        continue
      }
      case "close": {
        flush()
        const frame = frames[--open]!
        const value = closedValue(frame)
        if (open > 0) attach(frames[open - 1]!, frame.key, value)
        else root = { _tag: "Parsed", root: frame.key, value }
        continue
      }
      case "cdata": {
        flush()
        if (declarationWithin(cursor.start, cursor.end)) return declaration()
        const content = text.slice(cursor.start, cursor.end)
        if (content !== "") frames[open - 1]!.text += decodeEntities(normalizeNewlines(content))
        continue
      }
      case "pi": {
        flush()
        const problem = xmlDeclarationProblem(text, cursor.start, cursor.end)
        if (problem !== undefined) return malformed("malformed-xml", problem)
        if (declarationWithin(cursor.start, cursor.end)) return declaration()
        continue
      }
      case "comment":
        if (declarationWithin(cursor.start, cursor.end)) return declaration()
        continue
      case "end":
        // The cursor ends only after the root closed, with nothing but comments and instructions after it.
        return root ?? malformed("no-root", "no root element")
    }
    // A problem, in the text or in a start tag's attributes.
    if (hasDeclaration(text)) return declaration()
    const kind = cursor.problemKind
    return malformed(
      kind === "too-deep" ? "too-deep" : kind === "no-root" ? "no-root" : "malformed-xml",
      cursor.problem
    )
  }
}
