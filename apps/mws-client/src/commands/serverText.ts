/**
 * Text from the server made safe to print on a terminal: one value
 * (`printable`), or a whole parsed document as indented lines (`tree`).
 *
 * @internal
 */
import { style } from "./terminal.ts"

const UNPRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences (CSI, OSC, others) and control characters
  /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-_]?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/**
 * Text from the server (a Message, a Code, a document's values, a ledger
 * field) made safe to print on a terminal: escape sequences (CSI, OSC: a
 * Message could retitle the window or repaint the screen) and control
 * characters are removed; tabs and newlines stay. @internal
 */
export const printable = (text: string): string => text.replace(UNPRINTABLE, "")

/**
 * A parsed XML tree as indented `Name: value` lines, appended to `lines`
 * (never spread into a call's arguments: a page of 250,000 elements would
 * overflow the stack). @internal
 */
export const tree = (value: unknown, indent = "", lines: Array<string> = []): Array<string> => {
  if (typeof value === "string") {
    lines.push(`${indent}${printable(value)}`)
    return lines
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item === "string") lines.push(`${indent}- ${printable(item)}`)
      else {
        lines.push(`${indent}- ${style.dim(`#${index + 1}`)}`)
        tree(item, `${indent}  `, lines)
      }
    })
    return lines
  }
  if (typeof value === "object" && value !== null) {
    for (const [name, child] of Object.entries(value)) {
      if (typeof child === "string") lines.push(`${indent}${style.cyan(printable(name))}: ${printable(child)}`)
      else {
        lines.push(`${indent}${style.cyan(printable(name))}:`)
        tree(child, `${indent}  `, lines)
      }
    }
  }
  return lines
}
