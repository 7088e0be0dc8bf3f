/**
 * The first look at a body: XML, an HTML page, JSON or plain text.
 *
 * @internal
 */
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
