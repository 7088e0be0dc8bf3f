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
import { createWriteStream } from "node:fs"
import type { Writable } from "node:stream"
import { Effect, Schema, Stream } from "effect"

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

/** The reader went away (EPIPE): not an error for a command line tool. */
class ReaderClosed {
  readonly _tag = "ReaderClosed"
}

const reasonOf = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException
  return e?.code === undefined ? String(e?.message ?? error) : `${e.code}: ${e.message}`
}

/** One write; waits for `drain` when the stream's buffer is full. */
const writeLine = (out: Writable, line: string, target: string): Effect.Effect<void, OutputWriteError | ReaderClosed> =>
  Effect.callback<void, OutputWriteError | ReaderClosed>((resume) => {
    let done = false
    const finish = (effect: Effect.Effect<void, OutputWriteError | ReaderClosed>) => {
      if (done) return
      done = true
      out.off("drain", onDrain)
      out.off("error", onError)
      resume(effect)
    }
    const onDrain = () => finish(Effect.void)
    const onError = (error: unknown) =>
      finish(
        (error as NodeJS.ErrnoException)?.code === "EPIPE"
          ? Effect.fail(new ReaderClosed())
          : Effect.fail(new OutputWriteError({ target, reason: reasonOf(error) }))
      )
    out.on("error", onError)
    if (out.write(line)) finish(Effect.void)
    else out.on("drain", onDrain)
    return Effect.sync(() => {
      out.off("drain", onDrain)
      out.off("error", onError)
    })
  })

/** Ends a file stream and waits until it is flushed and closed. */
const closeFile = (out: Writable, target: string): Effect.Effect<void, OutputWriteError> =>
  Effect.callback<void, OutputWriteError>((resume) => {
    const onError = (error: unknown) => resume(Effect.fail(new OutputWriteError({ target, reason: reasonOf(error) })))
    out.once("error", onError)
    out.once("close", () => {
      out.off("error", onError)
      resume(Effect.void)
    })
    out.end()
  })

/**
 * Writes every line to `path` (created or truncated). Fails with
 * {@link OutputWriteError} when the file cannot be opened, written or
 * closed; the count is of lines written and closed.
 *
 * @internal
 */
export const toFile = <E>(lines: Stream.Stream<string, E>, path: string): Effect.Effect<number, E | OutputWriteError> =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const out = createWriteStream(path)
      // Until the first write listens, keep an open error (ENOENT, EACCES) from being unhandled.
      let openError: unknown
      out.on("error", (error) => {
        openError ??= error
      })
      return { out, openError: () => openError }
    }),
    ({ out, openError }) =>
      Effect.gen(function* () {
        let count = 0
        yield* Stream.runForEach(lines, (line) =>
          Effect.suspend(() => {
            const failed = openError()
            if (failed !== undefined)
              return Effect.fail(new OutputWriteError({ target: path, reason: reasonOf(failed) }))
            count++
            return writeLine(out, line, path)
          })
        )
        const failed = openError()
        if (failed !== undefined) return yield* new OutputWriteError({ target: path, reason: reasonOf(failed) })
        yield* closeFile(out, path)
        return count
      }).pipe(
        Effect.catchTag("ReaderClosed", () => Effect.die(new Error("a file never closes its reader"))),
        Effect.mapError((error) => error as E | OutputWriteError)
      ),
    ({ out }) => Effect.sync(() => out.destroyed || out.destroy())
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
  out: Writable = process.stdout
): Effect.Effect<void, E | OutputWriteError> =>
  Stream.runForEach(lines, (line) => writeLine(out, line, "stdout")).pipe(
    Effect.catchTag("ReaderClosed", () => Effect.void),
    Effect.mapError((error) => error as E | OutputWriteError)
  )
