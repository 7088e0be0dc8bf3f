// #region schedule
import { Timeline } from "@mws-kit/backoff-policy"
import { Effect } from "effect"

/** Any effect that can fail. */
const task: Effect.Effect<void, Error> = Effect.fail(new Error("still down"))

export const retried = task.pipe(Effect.retry(Timeline.schedule())) // at once, then 1 s, 4 s, 10 s, 30 s
export const jittered = task.pipe(Effect.retry(Timeline.schedule({ jitter: "equal", immediateRetry: false })))

Timeline.make().delaysMs // [0, 1000, 4000, 10000, 30000]
Timeline.make({ immediateRetry: false }).delaysMs // [1000, 4000, 10000, 30000]
// #endregion schedule
