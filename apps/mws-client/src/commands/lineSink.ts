/**
 * Writes a stream of lines to a file or to stdout the way a long export
 * must: one line at a time with backpressure (a write that the OS buffer
 * cannot take waits for `drain`, so memory stays flat whatever the size),
 * write errors as a typed failure with the path and the reason (a bad path, a
 * full disk), and a file reported done only once it is flushed and closed. A
 * reader that closes stdout early (`| head -1`) ends the export quietly.
 *
 * @internal
 */
import type { Writable as NodeWritable } from "node:stream"
import { Effect, Schema, Stream } from "effect"
import * as Writable from "../internal/writable.ts"

/**
 * An export could not write its output. `target` is the file's path or
 * `stdout`; `reason` the system's code (`ENOSPC`, `ENOENT`, `EACCES`...) and
 * message.
 *
 * @internal
 */
export class OutputWriteError extends Schema.TaggedError<OutputWriteError>()("OutputWriteError", {
  target: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot write ${this.target}: ${this.reason}`
  }
}

/** What a write error says: the system's code and message. */
const reasonOf = (error: NodeJS.ErrnoException): string =>
  error.code === undefined ? String(error.message ?? error) : `${error.code}: ${error.message}`

/** The typed error for a system error on `target`. */
const asOutputError =
  (target: string) =>
  (error: unknown): OutputWriteError =>
    new OutputWriteError({ target, reason: reasonOf(error as NodeJS.ErrnoException) })

/**
 * Writes every line to `path` (created or truncated). Fails with
 * {@link OutputWriteError} when the file cannot be opened, written or
 * closed; the count is of lines written and closed.
 *
 * @internal
 */
export const toFile = <E>(lines: Stream.Stream<string, E>, path: string): Effect.Effect<number, E | OutputWriteError> =>
  Writable.toFile(lines, path).pipe(
    Effect.mapError((error) => (isSystemError(error) ? asOutputError(path)(error) : (error as E)))
  )

/**
 * Writes every line to stdout with backpressure. A closed reader (EPIPE,
 * `| head -1`) ends it quietly; other write errors fail with
 * {@link OutputWriteError}.
 *
 * @internal
 */
export const toStdout = <E>(
  lines: Stream.Stream<string, E>,
  out: NodeWritable = process.stdout
): Effect.Effect<void, E | OutputWriteError> =>
  Stream.runForEach(
    lines,
    (line): Effect.Effect<void, OutputWriteError | typeof READER_CLOSED> =>
      Writable.write(out, line).pipe(
        Effect.mapError((error) => (error.code === "EPIPE" ? READER_CLOSED : asOutputError("stdout")(error)))
      )
  ).pipe(Effect.catch((error) => (error === READER_CLOSED ? Effect.void : Effect.fail(error))))

/** The reader went away (EPIPE): ends the stream, not an error for a command line tool. */
const READER_CLOSED = Symbol("ReaderClosed")

/** Whether a failure is a system error (a Node error with a code) rather than the stream's own. */
const isSystemError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string"
