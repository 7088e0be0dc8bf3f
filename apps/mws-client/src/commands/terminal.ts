/**
 * What the terminal offers the CLI: colour (whether a stream gets it, from
 * FORCE_COLOR, NO_COLOR, TERM and whether it is a terminal at all; the
 * styles the CLI paints with; text with its colour codes set aside) and
 * width (the terminal's columns, the printed width of text).
 *
 * @internal
 */

const env = process.env

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes to measure width
const ANSI = /\u001b\[[0-9;]*m/g

/** Text with its colour codes removed. @internal */
export const withoutColor = (text: string): string => text.replace(ANSI, "")

/** The printed width of a string, colour codes aside. @internal */
export const width = (text: string): number => withoutColor(text).length

/**
 * Whether a stream gets colour: FORCE_COLOR forces it; else a terminal, no
 * NO_COLOR, a TERM other than dumb. Decided per stream, so `mws ... 2>log`
 * keeps colour on the terminal's stdout and none in the log. @internal
 */
export const colorFor = (stream: { readonly isTTY?: boolean | undefined }): boolean =>
  env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0"
    ? true
    : env.NO_COLOR === undefined && stream.isTTY === true && env.TERM !== "dumb"

/** Whether either stream gets colour: text is styled then, and each print removes what its stream must not show. @internal */
export const colorEnabled = (): boolean => colorFor(process.stdout) || colorFor(process.stderr)

/** Text for a stream: its colour codes removed when that stream gets none. @internal */
export const forStream = (stream: { readonly isTTY?: boolean | undefined }, text: string): string =>
  colorFor(stream) ? text : withoutColor(text)

const paint =
  (open: number, close: number) =>
  (text: string): string =>
    colorEnabled() ? `\u001b[${open}m${text}\u001b[${close}m` : text

/** The CLI's styles (ANSI SGR codes), each leaving text plain when neither stream gets colour. @internal */
export const style = {
  bold: paint(1, 22),
  dim: paint(2, 22),
  red: paint(31, 39),
  green: paint(32, 39),
  yellow: paint(33, 39),
  blue: paint(34, 39),
  magenta: paint(35, 39),
  cyan: paint(36, 39)
}

/**
 * How wide a table on stdout may be: the terminal's width (`COLUMNS` when
 * set, as shells export it), or `undefined` (no limit) when stdout is not a
 * terminal, so that piped output keeps every value whole.
 *
 * @internal
 */
export const terminalWidth = (): number | undefined =>
  process.stdout.isTTY === true ? columnsOf(process.stdout) : undefined

/** The columns of a terminal stream: `COLUMNS` when set, else what the terminal says, else 80. @internal */
export const columnsOf = (stream: { readonly columns?: number | undefined }): number => {
  const fromEnv = Number(env.COLUMNS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  return stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80
}
