/**
 * The rules of XML 1.0 the package's readers enforce and fast-xml-parser's
 * validator does not, each with a check, independent of the readers, that a
 * text does break it: what the differential tests accept as a reason for the
 * readers to refuse a text the validator lets through.
 */

/** One rule: the problem a reader reports for it, and whether the text shows it. */
export interface StricterRule {
  readonly problem: RegExp
  readonly present: (text: string, problem: string) => boolean
}

const PREDEFINED = /^&(lt|gt|amp|apos|quot);$/

/** XML 1.0's NameStartChar and NameChar (their BMP part, as fast-xml-parser reads names). */
const NAME_START =
  ":A-Za-z_\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD"
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`

/** A name after every "<?". */
const NAME_START_AFTER_PI = new RegExp(`^(?:[^<]|<(?!\\?)|<\\?[${NAME_START}])*$`)

/**
 * A reference at the start: an entity name or a character reference, within
 * the readers' bound (33 characters between `&` and `;`).
 */
const REFERENCE = new RegExp(`^&([${NAME_START}][${NAME_CHAR}]{0,32}|#[0-9]{1,32}|#x[0-9a-fA-F]{1,31});`)

/** An end tag's name and the first character after it and any white space. */
const END_TAG = new RegExp(`^<\\/[${NAME_START}][${NAME_CHAR}]*[ \\t\\r\\n]*([\\s\\S]?)`)

const escapeRegExp = (name: string): string => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * The rules, for a text whose root element is named `root` (its local name),
 * with `parse` (fast-xml-parser's parser) to count root elements.
 */
export const stricterRules = (
  root: string,
  parse: (text: string) => Record<string, unknown>
): ReadonlyArray<StricterRule> => {
  const name = escapeRegExp(root)
  const opened = new RegExp(`<([^\\s<>/:]+:)?${name}[\\s>/]`)
  // A start tag's attributes may hold ">" in their quoted values.
  const closed = new RegExp(
    `<\\/([^\\s<>/:]+:)?${name}\\s*>|<([^\\s<>/:]+:)?${name}(\\s(?:[^>"']|"[^"]*"|'[^']*')*)?\\/>`
  )
  return [
    {
      problem: /^undeclared entity reference "(&[^"]+;)"/,
      present: (text, problem) => {
        const reference = /"(&[^"]+;)"/.exec(problem)![1]!
        return text.includes(reference) && !PREDEFINED.test(reference)
      }
    },
    {
      problem: /^character reference "(&#[\s\S]*;)" is not a character XML allows/,
      present: (text, problem) => {
        const reference = /"(&#[\s\S]*;)" is not/.exec(problem)![1]!
        const digits = reference.slice(reference[2] === "x" ? 3 : 2, -1)
        const code = /^(x[0-9a-fA-F]+|[0-9]+)$/.test(reference.slice(2, -1))
          ? Number.parseInt(digits, reference[2] === "x" ? 16 : 10)
          : Number.NaN
        // XML 1.0's Char production, as a class of code points.
        const allowed =
          Number.isInteger(code) &&
          code <= 0x10ffff &&
          /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]$/u.test(String.fromCodePoint(code))
        return text.includes(reference) && !allowed
      }
    },
    {
      problem: /^a bare "&" \(write &amp;\) at offset (\d+)/,
      present: (text, problem) => {
        const at = Number(/offset (\d+)/.exec(problem)![1])
        return text[at] === "&" && !REFERENCE.test(text.slice(at, at + 40))
      }
    },
    { problem: /^"<" in the value of attribute/, present: (text) => /=\s*("[^"]*<|'[^']*<)/.test(text) },
    { problem: /^"\]\]>" in text/, present: (text) => text.includes("]]>") },
    { problem: /^"--" inside a comment/, present: (text) => /<!--(?:(?!-->)[\s\S])*--[^>]/.test(text) },
    {
      problem: /^unclosed comment at offset (\d+)/,
      present: (text, problem) => {
        const at = Number(/offset (\d+)/.exec(problem)![1])
        return text.startsWith("<!--", at) && !text.includes("-->", at + 4)
      }
    },
    {
      problem: /^unclosed CDATA section at offset (\d+)/,
      present: (text, problem) => {
        const at = Number(/offset (\d+)/.exec(problem)![1])
        return text.startsWith("<![CDATA[", at) && !text.includes("]]>", at + 9)
      }
    },
    { problem: /^CDATA outside the root element/, present: (text) => text.includes("<![CDATA[") },
    { problem: /^white space before a tag name/, present: (text) => /<\/?\s/.test(text) },
    { problem: /^an XML declaration not at the very start/, present: (text) => /.<\?xml/is.test(text) },
    {
      problem: /^processing instruction without a target/,
      present: (text) => /<\?(?!\p{L}|[_:])/u.test(text) || !NAME_START_AFTER_PI.test(text)
    },
    {
      problem: /^malformed XML declaration/,
      present: (text) => {
        const declaration = /^\uFEFF?<\?xml([\s\S]*?)\?>/.exec(text)
        const S = "[ \\t\\r\\n]"
        const pseudo = (name: string, value: string) => `${S}+${name}${S}*=${S}*("${value}"|'${value}')`
        const grammar = new RegExp(
          `^${pseudo("version", "1\\.[0-9]+")}(${pseudo("encoding", "[A-Za-z][A-Za-z0-9._-]*")})?(${pseudo("standalone", "(yes|no)")})?${S}*$`
        )
        return declaration !== null && !grammar.test(declaration[1]!)
      }
    },
    {
      problem: /^unclosed processing instruction at offset (\d+)/,
      present: (text, problem) => {
        const at = Number(/offset (\d+)/.exec(problem)![1])
        return text.startsWith("<?", at) && !text.includes("?>", at + 2)
      }
    },
    // The validator takes a text that ends in "<a/" as closed.
    {
      problem: /^"\/" not followed by ">" at offset (\d+)/,
      present: (text, problem) => {
        const at = Number(/offset (\d+)/.exec(problem)![1])
        return text[at] === "/" && text[at + 1] !== ">"
      }
    },
    // fast-xml-parser reads </Detail/> as a self-closing tag of nothing, and skips attributes in an end tag.
    {
      problem: /^closing tag not closed by ">" at offset (\d+)/,
      present: (text, problem) => {
        const at = Number(/offset (\d+)/.exec(problem)![1])
        const end = END_TAG.exec(text.slice(at))
        return end !== null && end[1] !== ">"
      }
    },
    // fast-xml-parser skips a stray "=" after an attribute's value (<Other a="1"=/>).
    {
      problem: /^no white space before the attribute/,
      present: (text) => /=\s*("[^"]*"|'[^']*')[^\s/>]/.test(text)
    },
    // Text after the root that is not white space (fast-xml-parser lets a trailing "&" through).
    // fast-xml-parser also takes text after a self-closed root (<Root/> junk).
    {
      problem: /^text outside the root element at offset (\d+)/,
      present: (text, problem) => {
        const at = Number(/offset (\d+)/.exec(problem)![1])
        const before = text.slice(0, at)
        return !/[ \t\n\r]/.test(text[at]!) && (!opened.test(before) || closed.test(before))
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
    // DOCTYPE and other declarations (refused by every reader here; fast-xml-parser skips them).
    { problem: /^markup declaration/, present: (text) => /<!(?!--|\[CDATA\[)/.test(text) },
    {
      problem: /^more than one root element/,
      present: (text) => {
        try {
          // Two roots of different names are two keys; of the same name, an array.
          const roots = Object.values(parse(text))
          return roots.length > 1 || Array.isArray(roots[0])
        } catch {
          // fast-xml-parser's parser refuses reserved names (<constructor/>): look after the root's end instead.
          const end = closed.exec(text)
          return end !== null && /<[^!?/]/.test(text.slice(end.index + end[0].length))
        }
      }
    }
  ]
}
