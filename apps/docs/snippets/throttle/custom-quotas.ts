// #region catalog
import { MwsQuotas, QuotaCatalog, Throttle } from "@mws-kit/throttle"
import { Effect } from "effect"

export const catalog = QuotaCatalog.extend(MwsQuotas.catalog, [
  // A raised quota: an entry with the same section and operation replaces the built-in one.
  { ...QuotaCatalog.lookup(MwsQuotas.catalog, "Feeds", "SubmitFeed")!, maxQuota: 30, source: "our account manager" },
  // Another API of the same shape.
  {
    section: "Widgets",
    operation: "ListWidgets",
    bucket: "Widgets/ListWidgets",
    maxQuota: 10,
    restore: { amount: 1, everyMs: 1000 },
    per: "request",
    hourlyQuota: 1000,
    source: "Widgets API guide"
  }
])

export const WidgetsThrottle = Throttle.Throttle.layerMemory({ catalog })
// #endregion catalog

export const program = Effect.gen(function* () {
  const throttle = yield* Throttle.Throttle
  const widgets = { sellerId: "A1EXAMPLESELLER", section: "Widgets", operation: "ListWidgets" }
  const permits = yield* Effect.forEach(
    Array.from({ length: 11 }, () => widgets),
    (r) => throttle.acquire(r),
    {
      concurrency: "unbounded"
    }
  )
  const unknown = yield* throttle.acquire({ ...widgets, operation: "DeleteWidget" }).pipe(Effect.flip)
  return { waits: permits.map((p) => p.waitedMs), unknown }
}).pipe(Effect.provide(WidgetsThrottle))
