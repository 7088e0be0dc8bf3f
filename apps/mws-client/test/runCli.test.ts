import { assert, describe, it } from "@effect/vitest"
import { Cause, Exit } from "effect"
import { CliExit } from "../src/commands/output.ts"
import { exitCodeOf, signalExitCode } from "../src/internal/runCli.ts"

describe("runCli exit codes", () => {
  it("0 on success, the CliExit's own code on a printed failure, 1 on anything else", () => {
    assert.strictEqual(exitCodeOf(Exit.succeed(undefined), undefined), 0)
    assert.strictEqual(exitCodeOf(Exit.fail(new CliExit({ code: 4 })), undefined), 4)
    assert.strictEqual(exitCodeOf(Exit.die(new Error("a bug")), undefined), 1)
  })

  it("interrupted: 130 for SIGINT, 143 for SIGTERM (128 + the signal's number)", () => {
    const interrupted = Exit.failCause(Cause.interrupt(1))
    assert.strictEqual(exitCodeOf(interrupted, "SIGINT"), 130)
    assert.strictEqual(exitCodeOf(interrupted, "SIGTERM"), 143)
    assert.strictEqual(signalExitCode("SIGTERM"), 143)
  })
})
