// #region max-wait
import { Throttle } from "@mws-kit/throttle"
import { Effect } from "effect"

const submitFeed = { sellerId: "A1EXAMPLESELLER", section: "Feeds", operation: "SubmitFeed" }

export const program = Effect.gen(function* () {
  const throttle = yield* Throttle.Throttle
  // MWS answered RequestThrottled: another process spent the bucket. The next unit is 2 minutes away.
  yield* throttle.reportThrottled(submitFeed)
  return yield* throttle.acquire({ ...submitFeed, maxWait: "10 seconds" }).pipe(
    Effect.as("sent"),
    Effect.catchTag("ThrottleWaitTooLong", (error) =>
      // Fails at once, taking nothing from the bucket.
      Effect.succeed(`${error.operation} is limited by its ${error.limitedBy} quota until ${error.allowedAt}`)
    )
  )
}).pipe(Effect.provide(Throttle.Throttle.layerMemory()))
// "SubmitFeed is limited by its restore quota until <now + 2 minutes>"
// #endregion max-wait
