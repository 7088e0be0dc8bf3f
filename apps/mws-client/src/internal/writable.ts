/**
 * Writing a stream of chunks to a Node `Writable` the way large outputs
 * must: each write waits for `drain` when the buffer is full (memory stays
 * flat whatever the size), a write error fails the effect with the system's
 * error (ENOSPC, EACCES, EPIPE...), and a file counts as written only once it
 * is flushed and closed. Used by exports (`mws ledger export`) and by
 * downloads streamed to a file.
 *
 * @internal
 */
import { createWriteStream } from "node:fs"
import type { Writable } from "node:stream"
import { Effect, Stream } from "effect"

/** A write error as Node reports it. @internal */
export type WriteFailure = NodeJS.ErrnoException

/** One write; waits for `drain` when the stream's buffer is full. @internal */
export const write = (out: Writable, chunk: string | Uint8Array): Effect.Effect<void, WriteFailure> =>
  Effect.callback<void, WriteFailure>((resume) => {
    let done = false
    const finish = (effect: Effect.Effect<void, WriteFailure>) => {
      if (done) return
      done = true
      out.off("drain", onDrain)
      out.off("error", onError)
      resume(effect)
    }
    const onDrain = () => finish(Effect.void)
    const onError = (error: WriteFailure) => finish(Effect.fail(error))
    out.on("error", onError)
    if (out.write(chunk)) finish(Effect.void)
    else out.on("drain", onDrain)
    return Effect.sync(() => {
      out.off("drain", onDrain)
      out.off("error", onError)
    })
  })

/** Ends a file stream and waits until it is flushed and closed. */
const close = (out: Writable): Effect.Effect<void, WriteFailure> =>
  Effect.callback<void, WriteFailure>((resume) => {
    const onError = (error: WriteFailure) => resume(Effect.fail(error))
    out.once("error", onError)
    out.once("close", () => {
      out.off("error", onError)
      resume(Effect.void)
    })
    out.end()
  })

/**
 * Writes every chunk to `path` (created or truncated), calling `onChunk`
 * before each write; succeeds with the number of chunks once the file is
 * flushed and closed. A file that cannot be opened, written or closed fails
 * with the system's error; the file is then left as far as it got.
 *
 * @internal
 */
export const toFile = <A extends string | Uint8Array, E>(
  chunks: Stream.Stream<A, E>,
  path: string,
  onChunk?: (chunk: A) => void
): Effect.Effect<number, E | WriteFailure> =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const out = createWriteStream(path)
      // Until a write listens, keep an open error (ENOENT, EACCES) from going unhandled.
      let openError: WriteFailure | undefined
      out.on("error", (error) => {
        openError ??= error
      })
      return { out, openError: () => openError }
    }),
    ({ out, openError }) =>
      Effect.gen(function* () {
        let count = 0
        yield* Stream.runForEach(chunks, (chunk) =>
          Effect.suspend(() => {
            const failed = openError()
            if (failed !== undefined) return Effect.fail(failed)
            count++
            onChunk?.(chunk)
            return write(out, chunk)
          })
        )
        const failed = openError()
        if (failed !== undefined) return yield* Effect.fail(failed)
        yield* close(out)
        return count
      }),
    ({ out }) => Effect.sync(() => out.destroyed || out.destroy())
  )
