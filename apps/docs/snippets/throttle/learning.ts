// #region learning
import { Throttle } from "@mws-kit/throttle"
import { Clock, Effect } from "effect"

const getReport = { sellerId: "A1EXAMPLESELLER", section: "Reports", operation: "GetReport" }

export const program = Effect.gen(function* () {
  const throttle = yield* Throttle.Throttle
  const now = yield* Clock.currentTimeMillis
  // A GetReport response carried quota headers: 2 requests left this hour, reset in 10 minutes.
  const read = yield* throttle.observeHeaders(getReport, {
    "x-mws-quota-max": "60.0",
    "x-mws-quota-remaining": "2.0",
    "x-mws-quota-resetsOn": new Date(now + 10 * 60_000).toISOString()
  })
  // read: { max: 60, remaining: 2, resetsAt: now + 600000 }
  const state = yield* throttle.inspect(getReport)
  // state.hourly: { used: 58, max: 60, resetsAt: now + 600000, blockedUntil: undefined }

  // QuotaExceeded: block the hourly quota until the reset the error names.
  yield* throttle.reportQuotaExceeded(getReport, new Date(now + 5 * 60_000))
  const refused = yield* throttle.acquire({ ...getReport, maxWait: "1 minute" }).pipe(Effect.flip)
  // refused: ThrottleWaitTooLong, limitedBy "hourly", waitMs 300000
  return { read, state, refused }
}).pipe(Effect.provide(Throttle.Throttle.layerMemory()))
// #endregion learning
