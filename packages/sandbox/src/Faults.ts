/**
 * Faults the sandbox can inject, per operation: scripted ("the next two
 * ListOrders calls: 500") or by probability ("10% of all calls: 503").
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The largest body a `huge-body` or `huge-error` fault sends: 4 GiB, more
 * than any client should read, and still finite.
 *
 * @category constants
 * @since 0.2.0
 */
export const MAX_HUGE_MIB = 4_096

/**
 * A fault:
 * - `internal-error`: 500 InternalError (Type Receiver);
 * - `service-unavailable`: 503 ServiceUnavailable (Type Receiver);
 * - `request-throttled`: 503 RequestThrottled as recorded (empty Type, no
 *   quota headers), whatever the bucket holds;
 * - `reset`: the connection is destroyed without an answer;
 * - `reset-mid-body`: the answer's status and headers (with its RequestId)
 *   arrive, then the connection is destroyed halfway through the body;
 * - `delay`: the answer comes `ms` milliseconds late (then as usual);
 * - `truncated`: a 500 error body cut in the middle;
 * - `html-502`, `html-503`: a load balancer's HTML page;
 * - `empty`: a 503 with no body at all;
 * - `huge-body`: a 200 whose body is `mib` MiB (the usual answer padded with
 *   whitespace, streamed): what a client that buffers whole bodies chokes on;
 * - `huge-error`: a 500 whose body is `mib` MiB.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Fault = Schema.Union([
  Schema.Struct({
    kind: Schema.Literals([
      "internal-error",
      "service-unavailable",
      "request-throttled",
      "reset",
      "reset-mid-body",
      "truncated",
      "html-502",
      "html-503",
      "empty"
    ])
  }),
  Schema.Struct({
    kind: Schema.Literal("delay"),
    ms: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 600_000 }))
  }),
  Schema.Struct({
    kind: Schema.Literals(["huge-body", "huge-error"]),
    mib: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: MAX_HUGE_MIB }))
  })
])

/**
 * A fault.
 *
 * @category models
 * @since 0.1.0
 */
export type Fault = typeof Fault.Type

/**
 * Every fault kind.
 *
 * @category constants
 * @since 0.1.0
 */
export const KINDS = [
  "internal-error",
  "service-unavailable",
  "request-throttled",
  "reset",
  "reset-mid-body",
  "delay",
  "truncated",
  "html-502",
  "html-503",
  "empty",
  "huge-body",
  "huge-error"
] as const

/**
 * The operation name that matches every operation.
 *
 * @category constants
 * @since 0.1.0
 */
export const ANY_OPERATION = "*"

/**
 * Parses a fault written as text, as the CLI and the admin route take it:
 * `internal-error`, `reset`, `delay:2000`, `huge-body:200`, ... Returns `undefined` for
 * anything else.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parse = (text: string): Fault | undefined => {
  const [kind, argument] = text.trim().split(":", 2)
  if (kind === "delay") {
    const ms = Number(argument)
    return Number.isInteger(ms) && ms >= 0 && ms <= 600_000 ? { kind: "delay", ms } : undefined
  }
  if (kind === "huge-body" || kind === "huge-error") {
    const mib = Number(argument)
    return Number.isInteger(mib) && mib >= 1 && mib <= MAX_HUGE_MIB ? { kind, mib } : undefined
  }
  return KINDS.includes(kind as (typeof KINDS)[number]) && argument === undefined ? ({ kind } as Fault) : undefined
}

/**
 * Mutable fault state: scripted queues per operation, then probabilities.
 * The sandbox owns one; tests reach it through the sandbox's methods.
 *
 * @category models
 * @since 0.1.0
 */
export class FaultPlan {
  private readonly scripted = new Map<string, Array<Fault>>()
  private readonly random = new Map<string, Array<{ readonly fault: Fault; readonly probability: number }>>()

  private readonly nextRandom: () => number

  constructor(nextRandom: () => number = Math.random) {
    this.nextRandom = nextRandom
  }

  /** Queues faults for the next calls of an operation (or of any operation with `"*"`). */
  script(operation: string, faults: ReadonlyArray<Fault>): void {
    const queue = this.scripted.get(operation) ?? []
    queue.push(...faults)
    this.scripted.set(operation, queue)
  }

  /** Makes a fault happen with a probability (0 to 1) on every call of an operation. */
  sometimes(operation: string, fault: Fault, probability: number): void {
    if (!(probability >= 0 && probability <= 1))
      throw new RangeError(`probability must be within 0..1, got ${probability}`)
    const list = this.random.get(operation) ?? []
    list.push({ fault, probability })
    this.random.set(operation, list)
  }

  /** Removes every fault. */
  clear(): void {
    this.scripted.clear()
    this.random.clear()
  }

  /** Scripted faults still waiting, per operation. */
  pending(): Readonly<Record<string, ReadonlyArray<Fault>>> {
    return Object.fromEntries([...this.scripted].filter(([, queue]) => queue.length > 0))
  }

  /** The fault for this call, if any: the operation's script first, then `"*"`'s, then the probabilities. */
  next(operation: string): Fault | undefined {
    for (const key of [operation, ANY_OPERATION]) {
      const queue = this.scripted.get(key)
      if (queue !== undefined && queue.length > 0) return queue.shift()
    }
    for (const key of [operation, ANY_OPERATION]) {
      for (const { fault, probability } of this.random.get(key) ?? []) {
        if (this.nextRandom() < probability) return fault
      }
    }
    return undefined
  }
}
