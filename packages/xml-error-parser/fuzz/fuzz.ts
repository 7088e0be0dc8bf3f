/**
 * Fuzzes the parser with a million generated responses (hostile text, bytes,
 * mutations of valid bodies, odd headers and statuses). A case fails if
 * parsing throws, returns something other than a typed value, loses the HTTP
 * status or the header request id, or takes longer than the bound. Any
 * failure is printed with its input (and the seed to replay it); the exit
 * code is non-zero.
 *
 *   pnpm --filter @mws-kit/xml-error-parser fuzz [--runs 1000000] [--seed 42]
 */
import { MwsError, UnparseableErrorBody } from "@mws-kit/error-codes"
import { Result } from "effect"
import fc from "fast-check"
import { ErrorResponse, ItemErrors, ResponseHeaders } from "../src/index.ts"
import { anyResponse } from "../test/arbitraries.ts"

/** Cases per run unless `--runs` says otherwise: the issue asks for at least a million. */
const DEFAULT_RUNS = 1_000_000
/** Slowest acceptable case, in milliseconds (typical cases take tens of microseconds). */
const MAX_MS_PER_CASE = 50

const option = (name: string): number | undefined => {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? undefined : Number(process.argv[at + 1])
}

const runs = option("runs") ?? DEFAULT_RUNS
const seed = option("seed") ?? Date.now() % 2 ** 31
let slowest = 0
let successes = 0
let typedFailures = 0

const timed = (input: ErrorResponse.ResponseInput) => {
  const started = performance.now()
  const result = ErrorResponse.parse(input)
  const items = ItemErrors.fromSuccessBody(input)
  return { result, items, elapsed: performance.now() - started }
}

/** A case over the bound is timed twice more: a garbage-collection pause is not a slow input. */
const settledTime = (input: ErrorResponse.ResponseInput, first: number): number =>
  first < MAX_MS_PER_CASE ? first : Math.min(first, timed(input).elapsed, timed(input).elapsed)

const property = fc.property(anyResponse, (input) => {
  const { result, items, elapsed: first } = timed(input)
  const elapsed = settledTime(input, first)
  slowest = Math.max(slowest, elapsed)
  const error = Result.isSuccess(result) ? result.success : result.failure
  if (Result.isSuccess(result)) successes++
  else typedFailures++
  const typed = error instanceof MwsError.MwsError || error instanceof UnparseableErrorBody.UnparseableErrorBody
  const headerId = ResponseHeaders.requestId(ResponseHeaders.normalize(input.headers))
  return (
    typed &&
    error.httpStatus === input.status &&
    (headerId === undefined || error.requestId === headerId) &&
    (Result.isSuccess(items) || items.failure instanceof UnparseableErrorBody.UnparseableErrorBody) &&
    elapsed < MAX_MS_PER_CASE &&
    ({} as Record<string, unknown>).polluted === undefined
  )
})

const started = performance.now()
const details = fc.check(property, { numRuns: runs, seed, endOnFailure: true })
const seconds = (performance.now() - started) / 1000
console.log(`fuzz: ${details.numRuns} cases in ${seconds.toFixed(1)} s (seed ${seed})`)
console.log(`  parsed as MwsError: ${successes}, typed UnparseableErrorBody: ${typedFailures}`)
console.log(`  slowest case: ${slowest.toFixed(2)} ms (bound ${MAX_MS_PER_CASE} ms)`)
if (details.failed) {
  console.error("FAILED on input:", JSON.stringify(details.counterexample, null, 2))
  if (details.errorInstance) console.error(details.errorInstance)
  console.error(`replay: --seed ${seed} (path ${details.counterexamplePath})`)
  process.exitCode = 1
} else if (details.numRuns < runs) {
  console.error(`only ${details.numRuns} of ${runs} cases ran`)
  process.exitCode = 1
} else {
  console.log(`${details.numRuns} passed, 0 failed`)
}
