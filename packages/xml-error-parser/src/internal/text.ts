import { EXCERPT_CHARS } from "../Limits.ts"

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false })

/** A body as text, or why it is not text. @internal */
export type BodyText =
  | { readonly _tag: "Text"; readonly text: string; readonly bytes: number }
  | { readonly _tag: "Binary"; readonly excerpt: string; readonly bytes: number }

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes.subarray(0, 32), (byte) => byte.toString(16).padStart(2, "0")).join(" ")

/**
 * Turns a body (string, bytes, nothing) into text, dropping a byte-order
 * mark. Bytes that are not UTF-8, and text holding NUL characters, are
 * binary. Bodies over `maxBytes` are not decoded at all.
 *
 * @internal
 */
export const toText = (
  body: string | Uint8Array | null | undefined,
  maxBytes: number
): BodyText | { readonly _tag: "TooLarge"; readonly bytes: number; readonly head: string } => {
  if (body === null || body === undefined) return { _tag: "Text", text: "", bytes: 0 }
  if (typeof body === "string") {
    const bytes = Buffer.byteLength(body, "utf8")
    if (bytes > maxBytes) return { _tag: "TooLarge", bytes, head: body.slice(0, EXCERPT_CHARS) }
    const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body
    return text.includes("\u0000") ? { _tag: "Binary", excerpt: excerptOf(text), bytes } : { _tag: "Text", text, bytes }
  }
  if (body.length > maxBytes) {
    return { _tag: "TooLarge", bytes: body.length, head: `hex: ${hex(body)}` }
  }
  let text: string
  try {
    text = utf8.decode(body) // strips a UTF-8 byte-order mark (ignoreBOM: false)
  } catch {
    return { _tag: "Binary", excerpt: `hex: ${hex(body)}`, bytes: body.length }
  }
  return text.includes("\u0000")
    ? { _tag: "Binary", excerpt: `hex: ${hex(body)}`, bytes: body.length }
    : { _tag: "Text", text, bytes: body.length }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/**
 * The start of a body, safe to print and log: bounded, control characters
 * replaced, white space runs folded.
 *
 * @internal
 */
export const excerptOf = (text: string, length: number = EXCERPT_CHARS): string => {
  const head = text
    .slice(0, length * 2)
    .replace(CONTROL, "\uFFFD")
    .replace(/\s+/g, " ")
    .trim()
  return head.length > length ? `${head.slice(0, length)}…` : head
}
