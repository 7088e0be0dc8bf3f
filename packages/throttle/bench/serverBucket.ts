/**
 * The judge of the benchmark: a simulated MWS server bucket, written apart
 * from the throttle (a token counter, not the throttle's "full at" instant),
 * so a shared mistake cannot hide a rejection. It sees each request at the
 * instant it arrives, on its own clock, and rejects it when fewer than one
 * token is left, as MWS answers RequestThrottled.
 */
export class ServerBucket {
  /**
   * Float rounding tolerance in tokens (a billionth of a request): counting
   * in fractions accumulates rounding error, and a request arriving exactly
   * when the token is due must not be rejected for 0.9999999999 tokens. It
   * forgives no clock skew and no early request.
   */
  static readonly ROUNDING = 1e-9

  private tokens: number
  private last: number | undefined
  accepted = 0
  rejected = 0

  readonly capacity: number
  readonly intervalMs: number

  constructor(capacity: number, intervalMs: number) {
    this.capacity = capacity
    this.intervalMs = intervalMs
    this.tokens = capacity
  }

  /** One request arriving at `at` (ms on the server's clock); true when accepted. */
  receive(at: number): boolean {
    if (this.last !== undefined) {
      this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, at - this.last) / this.intervalMs)
    }
    this.last = this.last === undefined ? at : Math.max(this.last, at)
    if (this.tokens >= 1 - ServerBucket.ROUNDING) {
      this.tokens -= 1
      this.accepted++
      return true
    }
    this.rejected++
    return false
  }
}
