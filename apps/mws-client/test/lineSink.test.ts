/**
 * Exports write with backpressure and report write errors (issue 13).
 */
import { Writable } from "node:stream"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Stream } from "effect"
import * as LineSink from "../src/commands/lineSink.ts"

/** A slow reader: takes a chunk every few milliseconds, never holding more than its small buffer. */
const slowReader = (highWaterMark: number) => {
  let received = 0
  let maxBuffered = 0
  const out = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      received += chunk.length
      setTimeout(callback, 1)
    }
  })
  const watch = () => {
    maxBuffered = Math.max(maxBuffered, out.writableLength)
  }
  const original = out.write.bind(out)
  out.write = ((chunk: string) => {
    const result = original(chunk)
    watch()
    return result
  }) as typeof out.write
  return { out, received: () => received, maxBuffered: () => maxBuffered }
}

describe("lineSink", () => {
  it.live("stdout: waits for a slow reader instead of buffering everything", () =>
    Effect.gen(function* () {
      const reader = slowReader(1_024)
      const line = `${"x".repeat(99)}\n`
      yield* LineSink.toStdout(Stream.fromIterable(Array.from({ length: 500 }, () => line)), reader.out)
      yield* Effect.promise(() => new Promise<void>((resolve) => reader.out.end(resolve)))
      assert.strictEqual(reader.received(), 500 * 100)
      // Never more than the buffer plus the line that filled it.
      assert.isAtMost(reader.maxBuffered(), 1_024 + 100)
    })
  )

  it.live("stdout: a reader that went away (EPIPE) ends the export quietly", () =>
    Effect.gen(function* () {
      const out = new Writable({
        write(_chunk, _encoding, callback) {
          const error = Object.assign(new Error("write EPIPE"), { code: "EPIPE" })
          callback(error)
        }
      })
      const exit = yield* Effect.exit(LineSink.toStdout(Stream.fromIterable(["a\n", "b\n", "c\n"]), out))
      assert.isTrue(Exit.isSuccess(exit))
    })
  )

  it.live("stdout: another write error is a typed OutputWriteError", () =>
    Effect.gen(function* () {
      const out = new Writable({
        write(_chunk, _encoding, callback) {
          callback(Object.assign(new Error("no space left on device"), { code: "ENOSPC" }))
        }
      })
      const exit = yield* Effect.exit(LineSink.toStdout(Stream.fromIterable(["a\n", "b\n"]), out))
      assert.isTrue(Exit.isFailure(exit))
      assert.match(String(exit), /OutputWriteError/)
      assert.match(String(exit), /ENOSPC/)
    })
  )
})
