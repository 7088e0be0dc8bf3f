/**
 * Aligned tables for the terminal: a header row, a rule, the rows; numeric
 * columns to the right, and the widest text columns cut to fit a width
 * (the terminal's, from `terminalWidth`).
 *
 * @internal
 */
import { style, width, withoutColor } from "./terminal.ts"

const pad = (text: string, size: number, right = false) => {
  const fill = " ".repeat(Math.max(0, size - width(text)))
  return right ? fill + text : text + fill
}

/** The narrowest a shrunk column gets: 6 columns, room for a few characters and the ellipsis. @internal */
export const MIN_COLUMN_WIDTH = 6

/** Text cut to a printed width, ending in an ellipsis when cut (its colour dropped then). */
const truncate = (text: string, size: number): string => {
  if (width(text) <= size) return text
  return `${withoutColor(text).slice(0, Math.max(0, size - 1))}…`
}

/** Column widths shrunk, widest first, until the row fits `maxWidth` (numeric columns are never cut). */
const fitWidths = (widths: Array<number>, numeric: ReadonlyArray<boolean>, maxWidth: number): Array<number> => {
  const fitted = [...widths]
  const total = () => fitted.reduce((sum, w) => sum + w, 0) + 2 * (fitted.length - 1)
  while (total() > maxWidth) {
    let widest = -1
    fitted.forEach((w, i) => {
      if (!numeric[i] && w > MIN_COLUMN_WIDTH && (widest < 0 || w > fitted[widest]!)) widest = i
    })
    if (widest < 0) break
    fitted[widest]! -= 1
  }
  return fitted
}

/**
 * An aligned table: a header row, a rule, the rows. Numeric columns align
 * right. With `maxWidth`, the widest text columns are cut (with an ellipsis)
 * until a row fits; `--wide` and `--json` show whole values.
 *
 * @internal
 */
export const table = (
  headers: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  maxWidth?: number | undefined
): string => {
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === "number"))
  const natural = headers.map((header, i) =>
    rows.reduce((widest, row) => Math.max(widest, width(String(row[i] ?? ""))), width(header))
  )
  const widths = maxWidth === undefined ? natural : fitWidths(natural, numeric, maxWidth)
  const line = (row: ReadonlyArray<string | number>) =>
    row
      .map((cell, i) => pad(truncate(String(cell), widths[i]!), widths[i]!, numeric[i]))
      .join("  ")
      .trimEnd()
  return [style.bold(line(headers)), style.dim(widths.map((w) => "-".repeat(w)).join("  ")), ...rows.map(line)].join(
    "\n"
  )
}
