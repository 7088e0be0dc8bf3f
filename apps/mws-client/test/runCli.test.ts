import { assert, describe, it } from "@effect/vitest"
import { Cause, Exit } from "effect"
import { CliExit } from "../src/commands/cliExit.ts"
import { exitCodeOf, signalExitCode, unexpectedFailure, wantsDebug } from "../src/internal/runCli.ts"

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

describe("a defect (a bug)", () => {
  const boom = Cause.die(new TypeError("cannot read properties of undefined"))

  it("prints its message and a line saying it is a bug; the stack only when asked for", () => {
    const short = unexpectedFailure(boom, false)
    assert.include(short, "mws: unexpected failure (a bug): TypeError: cannot read properties of undefined")
    assert.include(short, "--log-level debug")
    assert.notInclude(short, "    at ")
    const verbose = unexpectedFailure(boom, true)
    assert.include(verbose, "(a bug)")
    assert.include(verbose, "    at ")
  })

  it("--log-level debug (either spelling) asks for the stack; info does not", () => {
    assert.isTrue(wantsDebug(["--log-level", "debug", "call"]))
    assert.isTrue(wantsDebug(["--log-level=Debug"]))
    assert.isTrue(wantsDebug(["--log-level", "trace"]))
    assert.isFalse(wantsDebug(["--log-level", "info"]))
    assert.isFalse(wantsDebug(["call", "Orders"]))
  })
})
