import { Deferred, Effect } from "effect"
import type { ThrottleStoreUnavailable } from "../ThrottleError.ts"

/**
 * A request waiting for its turn on a bucket key.
 *
 * @internal
 */
export interface Waiter {
  readonly cost: number
  /** Done when the waiter gets the turn; failed when the store failed the call ahead of it. */
  readonly turn: Deferred.Deferred<void, ThrottleStoreUnavailable>
}

/**
 * What is queued ahead of a waiter: units and requests.
 *
 * @internal
 */
export interface Ahead {
  readonly cost: number
  readonly requests: number
}

/**
 * First-come-first-served queues, one per bucket key. The waiter at the
 * head of a queue holds the turn: it alone asks the store, sleeps and asks
 * again; the others wait for their turn in arrival order, so a later request
 * that needs fewer units never overtakes an earlier one. All methods are
 * synchronous: JavaScript runs one fiber step at a time, so a join or a leave
 * is atomic.
 *
 * @internal
 */
export class Lanes {
  private readonly queues = new Map<string, Array<Waiter>>()

  /** Queues a waiter; the first of its queue gets the turn at once. */
  join(key: string, cost: number): { readonly waiter: Waiter; readonly ahead: Ahead } {
    const waiter: Waiter = { cost, turn: Deferred.makeUnsafe<void, ThrottleStoreUnavailable>() }
    let queue = this.queues.get(key)
    if (queue === undefined) {
      queue = []
      this.queues.set(key, queue)
    }
    const ahead = sum(queue, queue.length)
    queue.push(waiter)
    if (queue.length === 1) Deferred.doneUnsafe(waiter.turn, Effect.void)
    return { waiter, ahead }
  }

  /** What is queued ahead of a waiter now. */
  aheadOf(key: string, waiter: Waiter): Ahead {
    const queue = this.queues.get(key) ?? []
    const index = queue.indexOf(waiter)
    return sum(queue, index < 0 ? queue.length : index)
  }

  /** Removes a waiter (granted, failed or interrupted); when it held the turn, the next one gets it. */
  leave(key: string, waiter: Waiter): void {
    const queue = this.queues.get(key)
    if (queue === undefined) return
    const index = queue.indexOf(waiter)
    if (index < 0) return
    queue.splice(index, 1)
    if (queue.length === 0) this.queues.delete(key)
    else if (index === 0) Deferred.doneUnsafe(queue[0]!.turn, Effect.void)
  }

  /**
   * Removes a waiter that held the turn when the store failed its call, and
   * fails every waiter queued behind it with the same error: the store would
   * keep them each waiting its own timeout in turn, one after the other.
   */
  failQueue(key: string, waiter: Waiter, error: ThrottleStoreUnavailable): void {
    const queue = this.queues.get(key)
    if (queue === undefined || queue[0] !== waiter) {
      this.leave(key, waiter)
      return
    }
    this.queues.delete(key)
    for (const queued of queue.slice(1)) Deferred.doneUnsafe(queued.turn, Effect.fail(error))
  }

  /** How many requests are queued on a key (including the one holding the turn). */
  size(key: string): number {
    return this.queues.get(key)?.length ?? 0
  }
}

const sum = (queue: ReadonlyArray<Waiter>, end: number): Ahead => {
  let cost = 0
  for (let index = 0; index < end; index++) cost += queue[index]!.cost
  return { cost, requests: end }
}
