/**
 * The character rules of XML 1.0 the error reader checks as it goes: white
 * space, names, and references (`&lt;`, `&#65;`). Each works on a position
 * in the text, without slicing it, so that checking costs no allocation.
 *
 * @internal
 */

/** XML's white space (production S): space, tab, line feed, carriage return. Nothing else. @internal */
export const isXmlSpace = (code: number): boolean => code === 32 || code === 10 || code === 9 || code === 13

/** Name characters beyond ASCII, as fast-xml-parser's `isName` reads them (XML 1.0's NameStartChar, BMP only). */
const NAME_START_WIDE =
  /[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/
const NAME_WIDE =
  /[\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/

/** Whether the character at `at` may start a name: a letter, `_` or `:`. @internal */
export const isNameStart = (text: string, at: number): boolean => {
  const code = text.charCodeAt(at)
  if (code < 128) {
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 58
  }
  return NAME_START_WIDE.test(text[at]!)
}

/** Whether the character at `at` may continue a name: a name start, a digit, `-` or `.`. @internal */
export const isNameChar = (text: string, at: number): boolean => {
  const code = text.charCodeAt(at)
  if (code < 128) {
    return (
      (code >= 97 && code <= 122) ||
      (code >= 65 && code <= 90) ||
      (code >= 48 && code <= 57) ||
      code === 95 ||
      code === 58 ||
      code === 45 ||
      code === 46
    )
  }
  return NAME_WIDE.test(text[at]!)
}

/** The end of the name that starts at `at` (`at` itself when no name starts there). @internal */
export const nameEnd = (text: string, at: number, end: number): number => {
  if (at >= end || !isNameStart(text, at)) return at
  let i = at + 1
  while (i < end && isNameChar(text, i)) i++
  return i
}

/** Whether a code point may appear in an XML document (production Char). */
const isXmlChar = (code: number): boolean =>
  code === 9 ||
  code === 10 ||
  code === 13 ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0x10000 && code <= 0x10ffff)

/** The five entities XML predefines; any other is undeclared (and DTDs are refused). */
const PREDEFINED = new Set(["lt", "gt", "amp", "apos", "quot"])

/**
 * The undeclared entity names a lenient reading lets through: names of up to
 * 20 ASCII letters, digits and `_`, which is what fast-xml-parser's validator
 * accepts (and so what MWS clients built on it passed on), narrowed to XML
 * names (not starting with a digit).
 */
const LENIENT_ENTITY_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,19}$/

/**
 * The longest reference looked for, between `&` and `;`: 32 characters,
 * room for any predefined entity, any character reference with leading
 * zeros, and fast-xml-parser's own 20-character entity names. A longer run
 * is reported as a bare `&`; the bound keeps a body of bare `&`s linear.
 */
const MAX_REFERENCE_LENGTH = 32

/**
 * Checks the reference that starts with the `&` at `at`, within `end`:
 * returns the position after its `;`, or the problem. Well formed are the
 * five predefined entities and character references to characters XML
 * allows (`&#65;`, `&#x41;`); an undeclared entity (`&nbsp;`) is not, unless
 * `undeclared` lets it through (kept as written by the reader that asks; its
 * name then ASCII, see {@link LENIENT_ENTITY_NAME}).
 *
 * @internal
 */
export const checkReference = (text: string, at: number, end: number, undeclared = false): number | string => {
  // Looked for within the longest reference only: a body of bare "&"s costs linear time, not quadratic.
  const limit = Math.min(end, at + MAX_REFERENCE_LENGTH + 3)
  let semicolon = at + 1
  while (semicolon < limit && text.charCodeAt(semicolon) !== 59 /* ; */) semicolon++
  if (semicolon >= limit) return `a bare "&" (write &amp;) at offset ${at}`
  if (text.charCodeAt(at + 1) === 35 /* # */) {
    const hex = text.charCodeAt(at + 2) === 120 /* x */
    const digits = text.slice(at + (hex ? 3 : 2), semicolon)
    const valid = digits.length > 0 && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)
    const code = valid ? Number.parseInt(digits, hex ? 16 : 10) : -1
    return isXmlChar(code)
      ? semicolon + 1
      : `character reference "${text.slice(at, semicolon + 1)}" is not a character XML allows`
  }
  const name = text.slice(at + 1, semicolon)
  if (PREDEFINED.has(name)) return semicolon + 1
  if (nameEnd(name, 0, name.length) !== name.length || name.length === 0)
    return `a bare "&" (write &amp;) at offset ${at}`
  return undeclared && LENIENT_ENTITY_NAME.test(name)
    ? semicolon + 1
    : `undeclared entity reference "&${name};" (XML predefines only &lt; &gt; &amp; &apos; &quot;)`
}

/**
 * Finds the next occurrence of `pattern` at or after a position, for
 * positions that only move forward: the text is searched again only once the
 * last find is passed, so a reader that asks at each of many positions pays
 * for one pass in all (a search from every position would be quadratic).
 *
 * @internal
 */
export const forwardSearch = (text: string, pattern: string): ((from: number) => number) => {
  let found = text.indexOf(pattern)
  return (from) => {
    if (found !== -1 && found < from) found = text.indexOf(pattern, from)
    return found
  }
}

/**
 * Checks every reference between `from` and `end`: `undefined` when each is
 * well formed, else the first problem. `nextAmp` finds the next `&` (a
 * {@link forwardSearch} over the same text); `undeclared` as in
 * {@link checkReference}.
 *
 * @internal
 */
export const referencesProblem = (
  text: string,
  from: number,
  end: number,
  nextAmp: (from: number) => number,
  undeclared = false
): string | undefined => {
  let amp = nextAmp(from)
  while (amp !== -1 && amp < end) {
    const after = checkReference(text, amp, end, undeclared)
    if (typeof after === "string") return after
    amp = nextAmp(after)
  }
  return undefined
}

/** A name without its namespace prefix: what follows the first `:` (as fast-xml-parser's `removeNSPrefix` reads element names). @internal */
export const localName = (qualified: string): string => {
  const colon = qualified.indexOf(":")
  return colon === -1 ? qualified : qualified.slice(colon + 1)
}

/** The text with every CR LF and lone CR turned into LF, as XML reads line ends (XML 1.0, section 2.11). @internal */
export const normalizeNewlines = (text: string): string => (text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text)

/**
 * The XML declaration's content after `<?xml` (XML 1.0 production XMLDecl):
 * `version`, then optionally `encoding` and `standalone`, in that order,
 * spaced and quoted. Anchored at both ends and without nested repetition,
 * so it runs in linear time.
 */
const XML_DECLARATION =
  /^[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"[A-Za-z][\w.-]*"|'[A-Za-z][\w.-]*'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*$/

/**
 * Whether the processing instruction from `start` (after `<?`) to `end`
 * (before `?>`) is an XML declaration that breaks its grammar: `undefined`
 * when it is no declaration or a good one, else the problem.
 *
 * @internal
 */
export const xmlDeclarationProblem = (text: string, start: number, end: number): string | undefined =>
  end - start >= 3 && text.startsWith("xml", start) && nameEnd(text, start, end) === start + 3
    ? XML_DECLARATION.test(text.slice(start + 3, end))
      ? undefined
      : `malformed XML declaration "${text.slice(start - 2, Math.min(end + 2, start + 60))}"`
    : undefined
