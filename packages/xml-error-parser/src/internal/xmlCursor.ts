/**
 * The one pass over an XML text that both readers share (the error reader and
 * `XmlDocument`): it hands out the document's tokens in order and checks on
 * the way that the text is well-formed XML 1.0, with the character rules of
 * `xmlChars.ts`. A reader asks for the next token and acts on it; nothing
 * here builds a tree or an object keyed by names.
 *
 * @internal
 */
import { forwardSearch, isXmlSpace, nameEnd, referencesProblem } from "./xmlChars.ts"

/**
 * A token of {@link XmlCursor.next}, with the fields that describe it:
 *
 * - `cdata`: a CDATA section's content, `start` to `end`; `depth` elements open;
 * - `comment`: a comment's content, `start` to `end`;
 * - `pi`: a processing instruction (the XML declaration too), `start` to `end` of what follows `<?`;
 * - `open`: a start tag, `name` (qualified), `depth` its ancestors (0 for the root); its attributes come next;
 * - `close`: an end tag, or the end of an empty-element tag: `name`, `depth` as at its start, `start` where
 *   its content ends;
 * - `end`: the end of a well-formed document;
 * - `problem`: what is wrong, in `problem` and `problemKind`; the reading stops.
 *
 * @internal
 */
export type Token = "cdata" | "comment" | "pi" | "open" | "close" | "end" | "problem"

/**
 * What kind of problem stopped the reading: a broken rule of XML (a markup
 * declaration, `<!DOCTYPE`, included), no root or more than one, or an
 * element deeper than the cap.
 *
 * @internal
 */
export type ProblemKind = "malformed" | "no-root" | "too-deep"

/** The attributes of a cursor that never recorded any (the error reader's): no array allocated per reading. */
const NO_ATTRIBUTES: Array<number> = []

/** How many attribute names a tag keeps in a list before it switches to a set (MWS sends one, `xmlns`). */
const ATTRIBUTE_LIST_MAX = 8

/**
 * A cursor over one text. Each {@link next} returns a token and sets the
 * fields that describe it; a start tag's attributes are read by
 * {@link readAttributes} (or by the following `next`, unrecorded). The forward
 * searches for `<`, `&` and `]]>` are shared by the whole reading, so no
 * search scans the same text twice and the time is linear in the input.
 *
 * @internal
 */
export class XmlCursor {
  /**
   * Every token but `problem`: the text inside the root just before it, raw
   * (references checked, not decoded), from `textStart` to `textEnd` (empty
   * when they are equal), with `textDepth` elements open around it.
   */
  textStart = 0
  textEnd = 0
  textDepth = 0
  /** `cdata`, `comment`, `pi`: where the content starts; `close`: where the element's content ends. */
  start = 0
  /** `cdata`, `comment`, `pi`: where the content ends. */
  end = 0
  /** `open`, `close`: the element's qualified name. */
  name = ""
  /** `open`, `close`: how many elements enclose it; `cdata`: how many are open. */
  depth = 0
  /** After {@link readAttributes}: where the element's content starts (after its `>`). */
  contentStart = 0
  /** `problem`: what is wrong, and its kind. */
  problem = ""
  problemKind: ProblemKind = "malformed"
  /** After `readAttributes(true)`: each attribute's name start, name end, value start and value end. */
  attributes: Array<number> = NO_ATTRIBUTES

  private readonly text: string
  private readonly n: number
  private readonly maxDepth: number
  /** Whether an undeclared entity reference (`&nbsp;`) is let through, to be kept as written. */
  private readonly undeclared: boolean
  /** Where the document starts (after a byte-order mark, which is not part of it). */
  private readonly documentStart: number
  private i: number
  private readonly stack: Array<string> = []
  private rootSeen = false
  /** What the last token left to do: nothing, its start tag's attributes, or (an empty-element tag) its close. */
  private pending: "none" | "attributes" | "close" = "none"
  private readonly nextLt: (from: number) => number
  private readonly nextAmp: (from: number) => number
  private readonly nextCdataEnd: (from: number) => number

  constructor(text: string, maxDepth: number, undeclaredEntities = false) {
    this.text = text
    this.n = text.length
    this.maxDepth = maxDepth
    this.undeclared = undeclaredEntities
    this.documentStart = text.charCodeAt(0) === 0xfeff ? 1 : 0
    this.i = this.documentStart
    this.nextLt = forwardSearch(text, "<")
    this.nextAmp = forwardSearch(text, "&")
    this.nextCdataEnd = forwardSearch(text, "]]>")
  }

  /** The name of the open element `index` levels below the root (0: the root). */
  openName(index: number): string | undefined {
    return this.stack[index]
  }

  private fail(problem: string, kind: ProblemKind = "malformed"): Token {
    this.problem = problem
    this.problemKind = kind
    this.i = this.n
    return "problem"
  }

  /** {@link fail}, for the attribute reader: `false`. */
  private refuse(problem: string): false {
    this.fail(problem)
    return false
  }

  /** The next token. */
  next(): Token {
    if (this.pending === "attributes" && !this.readAttributes(false)) return "problem"
    if (this.pending === "close") {
      this.pending = "none"
      this.textStart = this.textEnd = this.contentStart
      this.start = this.contentStart
      return "close"
    }
    const { text, n } = this
    const i = this.i
    this.textStart = this.textEnd = i
    if (i >= n) return this.finish()
    const lt = this.nextLt(i)
    const textEnd = lt === -1 ? n : lt
    if (textEnd > i) {
      if (this.stack.length === 0) {
        for (let at = i; at < textEnd; at++) {
          if (!isXmlSpace(text.charCodeAt(at))) return this.fail(`text outside the root element at offset ${at}`)
        }
      } else {
        const problem = referencesProblem(text, i, textEnd, this.nextAmp, this.undeclared)
        if (problem !== undefined) return this.fail(problem)
        const cdataEnd = this.nextCdataEnd(i)
        if (cdataEnd !== -1 && cdataEnd < textEnd) return this.fail(`"]]>" in text at offset ${cdataEnd}`)
        this.textEnd = textEnd
        this.textDepth = this.stack.length
      }
    }
    if (lt === -1) return this.finish()
    const next = text.charCodeAt(lt + 1)
    if (next === 33 /* ! */) return this.bang(lt)
    if (next === 63 /* ? */) return this.instruction(lt)
    if (next === 47 /* / */) return this.endTag(lt)
    return this.startTag(lt)
  }

  /** At the end of the text: every element closed, one root seen. */
  private finish(): Token {
    const open = this.stack.length
    if (open > 0) return this.fail(`unclosed <${this.stack[open - 1]}>`)
    if (!this.rootSeen) return this.fail("no root element", "no-root")
    return "end"
  }

  /** `<!`: a comment, a CDATA section, or a markup declaration (refused). */
  private bang(lt: number): Token {
    const text = this.text
    if (text.startsWith("<!--", lt)) {
      const end = text.indexOf("--", lt + 4)
      if (end === -1 || end + 2 >= this.n) return this.fail(`unclosed comment at offset ${lt}`)
      if (text.charCodeAt(end + 2) !== 62) return this.fail(`"--" inside a comment at offset ${end}`)
      return this.content(lt + 4, end, end + 3, "comment")
    }
    if (text.startsWith("<![CDATA[", lt)) {
      if (this.stack.length === 0) return this.fail("CDATA outside the root element")
      const end = this.nextCdataEnd(lt + 9)
      if (end === -1) return this.fail(`unclosed CDATA section at offset ${lt}`)
      this.depth = this.stack.length
      return this.content(lt + 9, end, end + 3, "cdata")
    }
    return this.fail("markup declaration")
  }

  /** `<?`: a processing instruction, with a target; `<?xml` only at the very start. */
  private instruction(lt: number): Token {
    const text = this.text
    const end = text.indexOf("?>", lt + 2)
    if (end === -1) return this.fail(`unclosed processing instruction at offset ${lt}`)
    const targetEnd = nameEnd(text, lt + 2, end)
    if (targetEnd === lt + 2) return this.fail(`processing instruction without a target at offset ${lt}`)
    if (
      targetEnd - lt - 2 === 3 &&
      text.slice(lt + 2, targetEnd).toLowerCase() === "xml" &&
      lt !== this.documentStart
    ) {
      return this.fail("an XML declaration not at the very start")
    }
    return this.content(lt + 2, end, end + 2, "pi")
  }

  /** A token with content from `start` to `end`; the reading goes on at `next`. */
  private content(start: number, end: number, next: number, token: "cdata" | "comment" | "pi"): Token {
    this.start = start
    this.end = end
    this.i = next
    return token
  }

  /** `</name>`: it closes the innermost open element, by the same qualified name. */
  private endTag(lt: number): Token {
    const { text, n } = this
    const nameStart = lt + 2
    const end = nameEnd(text, nameStart, n)
    if (end === nameStart) return this.fail(`invalid closing tag at offset ${lt}`)
    let gt = end
    while (gt < n && isXmlSpace(text.charCodeAt(gt))) gt++
    if (text.charCodeAt(gt) !== 62) return this.fail(`closing tag not closed by ">" at offset ${lt}`)
    const open = this.stack.pop()
    const closing = text.slice(nameStart, end)
    if (open !== closing) {
      return this.fail(
        open === undefined ? `closing tag </${closing}> opened nowhere` : `mismatched closing tag </${closing}>`
      )
    }
    this.name = closing
    this.depth = this.stack.length
    this.start = lt
    this.i = gt + 1
    return "close"
  }

  /** `<name`: its name, its depth and the one-root rule; its attributes come next. */
  private startTag(lt: number): Token {
    const { text, n } = this
    const nameStart = lt + 1
    const afterName = nameEnd(text, nameStart, n)
    if (afterName === nameStart) {
      return this.fail(
        nameStart < n && /\s/.test(text[nameStart]!) ? "white space before a tag name" : `invalid tag at offset ${lt}`
      )
    }
    const depth = this.stack.length
    if (depth >= this.maxDepth) return this.fail(`nested deeper than ${this.maxDepth} elements`, "too-deep")
    if (depth === 0) {
      if (this.rootSeen) return this.fail("more than one root element", "no-root")
      this.rootSeen = true
    }
    this.name = text.slice(nameStart, afterName)
    this.depth = depth
    this.i = afterName
    this.pending = "attributes"
    return "open"
  }

  /**
   * Reads the attributes of the start tag just returned, to its `>`: each is
   * white space, a name, `=`, and a quoted value without `<` and with
   * well-formed references; no name twice. With `record`, their positions go
   * to {@link attributes}. `false` when one is broken (the problem is set).
   */
  readAttributes(record: boolean): boolean {
    this.pending = "none"
    const { text, n } = this
    let recorded = this.attributes
    if (record) {
      if (recorded === NO_ATTRIBUTES) recorded = this.attributes = []
      recorded.length = 0
    }
    let i = this.i
    let names: Array<string> | Set<string> | undefined
    while (true) {
      const spaced = i < n && isXmlSpace(text.charCodeAt(i))
      while (i < n && isXmlSpace(text.charCodeAt(i))) i++
      if (i >= n) return this.refuse("unclosed tag")
      const code = text.charCodeAt(i)
      if (code === 62 /* > */) return this.opened(i + 1, false)
      if (code === 47 /* / */) {
        return text.charCodeAt(i + 1) === 62
          ? this.opened(i + 2, true)
          : this.refuse(`"/" not followed by ">" at offset ${i}`)
      }
      const after = nameEnd(text, i, n)
      if (after === i) return this.refuse(`invalid character in a tag at offset ${i}`)
      if (!spaced) return this.refuse(`no white space before the attribute at offset ${i}`)
      const name = text.slice(i, after)
      if (names === undefined) names = [name]
      else if (Array.isArray(names) ? names.includes(name) : names.has(name)) {
        return this.refuse(`attribute "${name}" given twice`)
      } else if (!Array.isArray(names)) names.add(name)
      else if (names.length < ATTRIBUTE_LIST_MAX) names.push(name)
      else names = new Set([...names, name])
      const nameStart = i
      i = after
      while (i < n && isXmlSpace(text.charCodeAt(i))) i++
      if (text.charCodeAt(i) !== 61 /* = */) return this.refuse(`attribute "${name}" without a value`)
      i++
      while (i < n && isXmlSpace(text.charCodeAt(i))) i++
      const quote = text.charCodeAt(i)
      if (quote !== 34 && quote !== 39) return this.refuse(`attribute "${name}" has an unquoted value`)
      const close = text.indexOf(quote === 34 ? '"' : "'", i + 1)
      if (close === -1) return this.refuse("unclosed attribute value")
      const lt = this.nextLt(i + 1)
      if (lt !== -1 && lt < close) return this.refuse(`"<" in the value of attribute "${name}"`)
      const references = referencesProblem(text, i + 1, close, this.nextAmp, this.undeclared)
      if (references !== undefined) return this.refuse(references)
      if (record) recorded.push(nameStart, after, i + 1, close)
      i = close + 1
    }
  }

  /** The start tag ends at `contentStart`: the element is open, or (empty-element tag) closes next. */
  private opened(contentStart: number, selfClosing: boolean): boolean {
    this.contentStart = contentStart
    this.i = contentStart
    if (selfClosing) this.pending = "close"
    else this.stack.push(this.name)
    return true
  }
}
