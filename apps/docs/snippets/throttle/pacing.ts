// #region pacing
import { Throttle } from "@mws-kit/throttle"
import { Effect } from "effect"

const seller = { sellerId: "A1EXAMPLESELLER", developerId: "1234-5678-9012" }

export const program = Effect.gen(function* () {
  const throttle = yield* Throttle.Throttle
  // Eight ListOrders pages requested at once. ListOrders allows 6 at once, then one a minute.
  const permits = yield* Effect.forEach(
    Array.from({ length: 8 }, () => ({ ...seller, section: "Orders", operation: "ListOrders" })),
    (request) => throttle.acquire(request),
    { concurrency: "unbounded" }
  )
  // Per-item operations cost one unit per item: GetMatchingProduct holds 20, two restored a second.
  const asins = ["B00EXAMPLE1", "B00EXAMPLE2", "B00EXAMPLE3"]
  const products = yield* throttle.acquire({
    ...seller,
    section: "Products",
    operation: "GetMatchingProduct",
    items: asins.length
  })
  return { waits: permits.map((permit) => permit.waitedMs), productsCost: products.cost, left: products.tokens }
})

export const ThrottleLive = Throttle.Throttle.layerMemory({ maxWait: "5 minutes" })

export const main = program.pipe(Effect.provide(ThrottleLive))
// waits: [0, 0, 0, 0, 0, 0, 60000, 120000]; productsCost 3, left 17
// #endregion pacing

/** A stand-in for the request itself. */
const sendListOrders: Effect.Effect<string> = Effect.succeed("<ListOrdersResponse/>")

// #region with-permit

export const paced = sendListOrders.pipe(Throttle.withPermit({ ...seller, section: "Orders", operation: "ListOrders" }))
// #endregion with-permit
