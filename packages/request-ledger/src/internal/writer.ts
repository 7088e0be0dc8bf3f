/**
 * The ledger's background writer: a bounded buffer that `record` appends to
 * in constant time, drained in batches by one fiber. A batch stays in the
 * buffer until the store has committed it, so a failing store never loses an
 * entry; `flush` and sync-mode records wait for their entries' commit.
 *
 * Sequence numbers: every enqueued entry gets the next number; `committed`
 * counts entries the store has committed, in order (batches are taken from
 * the head). A waiter for sequence n is done once `committed >= n`.
 *
 * @internal
 */
import { Cause, Duration, Effect, type Exit, Fiber, Option } from "effect"
import type { LedgerEntry } from "../LedgerEntry.ts"
import { LedgerStoreError, type StoreKind } from "../LedgerError.ts"
import { bounded, noAnswerError } from "./bounded.ts"

/**
 * Batches written at once. Two keep the store busy: while one is being
 * committed, the next is already on its way. Otherwise the SQLite writer
 * thread waits, after each batch, for the next one to be built and copied to
 * it (a few milliseconds per 1,000 entries, against roughly 30 ms of
 * inserting them on the development machine).
 *
 * @internal
 */
export const WRITES_IN_FLIGHT = 2

/** @internal */
export interface WriterOptions {
  readonly store: StoreKind
  readonly batchSize: number
  readonly flushIntervalMillis: number
  readonly maxBuffered: number
  readonly retryBaseMillis: number
  readonly retryMaxMillis: number
  readonly shutdownAttempts: number
  /** The most one `write` may take; past it the write counts as failed (`unavailable`). */
  readonly writeTimeoutMillis: number
  readonly write: (batch: ReadonlyArray<LedgerEntry>) => Effect.Effect<void, LedgerStoreError>
}

interface Waiter {
  readonly sequence: number
  readonly resume: (effect: Effect.Effect<void, LedgerStoreError>) => void
}

type WaitMode = "any" | "full" | "close"

/** @internal */
export class Writer {
  readonly options: WriterOptions
  private buffer: Array<LedgerEntry> = []
  private head = 0
  /** Entries enqueued so far (the last sequence number given out). */
  enqueued = 0
  /** Entries the store has committed so far. */
  committed = 0
  closing = false
  /** The last store failure while it lasts; cleared by a successful write. */
  lastError: LedgerStoreError | undefined = undefined
  /** Whether a "buffer full" episode has been logged. */
  fullLogged = false
  private waiters: Array<Waiter> = []
  private wake: ((effect: Effect.Effect<void>) => void) | undefined = undefined
  private waitMode: WaitMode = "any"

  constructor(options: WriterOptions) {
    this.options = options
  }

  /** The entries enqueued and not yet committed, oldest first (what a close spills). */
  uncommitted(): ReadonlyArray<LedgerEntry> {
    return this.buffer.slice(this.head, this.head + this.pending)
  }

  /**
   * One bounded write: a store that does not answer within the write timeout
   * fails the write with an `unavailable` error (the write itself is
   * abandoned in the background; writes are idempotent, so a late commit is
   * harmless).
   */
  private boundedWrite(batch: ReadonlyArray<LedgerEntry>): Effect.Effect<void, LedgerStoreError> {
    const { store, writeTimeoutMillis } = this.options
    return bounded(this.options.write(batch), writeTimeoutMillis, noAnswerError(store, "write", writeTimeoutMillis))
  }

  /** Entries enqueued and not yet committed. */
  get pending(): number {
    return this.enqueued - this.committed
  }

  /** Appends an entry; `false` when the buffer is full. Constant time. */
  offer(entry: LedgerEntry): boolean {
    if (this.enqueued - this.committed >= this.options.maxBuffered) return false
    this.buffer.push(entry)
    this.enqueued++
    if (this.wake !== undefined) {
      if (this.waitMode === "any" || (this.waitMode === "full" && this.pending >= this.options.batchSize)) {
        this.signal()
      }
    }
    return true
  }

  /** Waits until everything enqueued up to `sequence` is committed, or a write attempt fails. */
  awaitCommit(sequence: number): Effect.Effect<void, LedgerStoreError> {
    if (this.committed >= sequence) return Effect.void
    return Effect.callback<void, LedgerStoreError>((resume) => {
      const waiter: Waiter = { sequence, resume }
      this.waiters.push(waiter)
      if (this.wake !== undefined && this.waitMode !== "close") this.signal()
      return Effect.sync(() => {
        const index = this.waiters.indexOf(waiter)
        if (index !== -1) this.waiters.splice(index, 1)
      })
    })
  }

  /** Starts closing: the writer drains what is left, then stops. */
  close(): void {
    this.closing = true
    if (this.wake !== undefined) this.signal()
  }

  private signal(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.(Effect.void)
  }

  private waitForSignal(mode: WaitMode): Effect.Effect<void> {
    return Effect.callback<void>((resume) => {
      this.waitMode = mode
      this.wake = resume
      return Effect.sync(() => {
        if (this.wake === resume) this.wake = undefined
      })
    })
  }

  private commit(count: number): void {
    this.head += count
    this.committed += count
    if (this.head >= 4096 && this.head * 2 >= this.buffer.length) {
      this.buffer = this.buffer.slice(this.head)
      this.head = 0
    }
    this.lastError = undefined
    this.fullLogged = false
    let done = 0
    while (done < this.waiters.length && this.waiters[done]!.sequence <= this.committed) done++
    if (done > 0) {
      for (const waiter of this.waiters.splice(0, done)) waiter.resume(Effect.void)
    }
  }

  private failWaiters(error: LedgerStoreError): void {
    const waiters = this.waiters
    this.waiters = []
    for (const waiter of waiters) waiter.resume(Effect.fail(error))
  }

  private backoff(failures: number): number {
    const { retryBaseMillis, retryMaxMillis } = this.options
    return Math.min(retryMaxMillis, retryBaseMillis * 2 ** Math.min(failures - 1, 30))
  }

  private writeError(exit: Exit.Exit<void, LedgerStoreError>): LedgerStoreError | undefined {
    if (exit._tag === "Success") return undefined
    // A defect in a store must not stop the writer: it counts as a failed write.
    return Option.getOrElse(
      Cause.findErrorOption(exit.cause),
      () =>
        new LedgerStoreError({
          store: this.options.store,
          operation: "write",
          failure: "failed",
          detail: `unexpected store failure: ${Cause.pretty(exit.cause).split("\n")[0]}`
        })
    )
  }

  /**
   * The writer fiber's body: runs until closed and drained (or given up at
   * shutdown). Up to {@link WRITES_IN_FLIGHT} batches are written at once, so
   * the store never waits while the next batch is prepared; they are
   * committed in order. When one fails, the others are let finish and
   * everything after the last committed entry is written again (stores
   * skip entries they already hold).
   */
  readonly run: Effect.Effect<{ readonly unwritten: number; readonly lastError: LedgerStoreError | undefined }> =
    Effect.suspend(() => {
      let failures = 0
      const self = this
      const inFlight: Array<{
        readonly size: number
        readonly fiber: Fiber.Fiber<Exit.Exit<void, LedgerStoreError>>
      }> = []
      let sent = 0 // entries after the head that are in flight
      return Effect.gen(function* () {
        while (true) {
          if (inFlight.length === 0) {
            if (self.pending === 0) {
              if (self.closing) return { unwritten: 0, lastError: undefined }
              yield* self.waitForSignal("any")
              continue
            }
            if (!self.closing && failures === 0 && self.waiters.length === 0 && self.pending < self.options.batchSize) {
              // Let a batch fill up, for at most the flush interval (not after a
              // failure: the backoff already waited).
              yield* Effect.timeoutOption(self.waitForSignal("full"), Duration.millis(self.options.flushIntervalMillis))
            }
          }
          // Send: the first batch whatever its size; a second one only when it
          // is full, or someone waits, or the ledger closes.
          while (inFlight.length < WRITES_IN_FLIGHT) {
            const unsent = self.pending - sent
            if (unsent === 0) break
            const urgent = self.closing || self.waiters.length > 0
            if (inFlight.length > 0 && unsent < self.options.batchSize && !urgent) break
            const size = Math.min(unsent, self.options.batchSize)
            const from = self.head + sent
            const batch = self.buffer.slice(from, from + size)
            const fiber = yield* Effect.forkChild(Effect.exit(self.boundedWrite(batch)))
            inFlight.push({ size, fiber })
            sent += size
          }
          const oldest = inFlight.shift()!
          const error = self.writeError(yield* Fiber.join(oldest.fiber))
          if (error === undefined) {
            sent -= oldest.size
            failures = 0
            self.commit(oldest.size)
            continue
          }
          // Let the other writes finish, then start again after the last commit.
          for (const rest of inFlight.splice(0)) yield* Fiber.join(rest.fiber)
          sent = 0
          failures++
          self.lastError = error
          self.failWaiters(error)
          if (self.closing) {
            if (failures >= self.options.shutdownAttempts) {
              return { unwritten: self.pending, lastError: error }
            }
            continue
          }
          yield* Effect.logWarning(
            `request-ledger: store write failed (attempt ${failures}), ${self.pending} entries kept in the buffer and retried: ${error.message}`
          )
          // Back off; only closing cuts the wait short.
          yield* Effect.timeoutOption(self.waitForSignal("close"), Duration.millis(self.backoff(failures)))
        }
      })
    })
}
