/**
 * A quota catalog: for each (section, operation), the leaky bucket MWS
 * applies to it (maximum request quota, restore rate, whether restore is per
 * request or per item, the hourly quota) and the bucket it shares with other
 * operations. Catalogs are immutable values; extending one returns a new
 * catalog that knows the added or changed entries.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The operation every MWS section offers, with one quota for all of them.
 *
 * @category constants
 * @since 0.1.0
 */
export const GET_SERVICE_STATUS = "GetServiceStatus"

/**
 * One hour in milliseconds: the period of an hourly request quota (DOCS
 * dev_guide/DG_Throttling.md, "Hourly request quota").
 *
 * @category constants
 * @since 0.1.0
 */
export const HOUR_MS = 3_600_000

/**
 * How fast a bucket refills: `amount` units (requests or items) every
 * `everyMs` milliseconds, as the docs state it ("one request every two
 * seconds" is `{ amount: 1, everyMs: 2000 }`, "ten items every second" is
 * `{ amount: 10, everyMs: 1000 }`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Restore {
  readonly amount: number
  readonly everyMs: number
}

/**
 * What one unit of a bucket is: a request, or an item of a request that
 * sends a list (the Products per-item operations).
 *
 * @category models
 * @since 0.1.0
 */
export type Per = "request" | "item"

/**
 * The throttling of one operation.
 *
 * @category models
 * @since 0.1.0
 */
export interface QuotaEntry<Section extends string = string, Operation extends string = string> {
  /** The API section, as in the request path (`Orders`, `Products`, `FulfillmentInventory`...). */
  readonly section: Section
  /** The `Action` exactly as sent. */
  readonly operation: Operation
  /**
   * The bucket's id. Operations that share a quota share the id
   * (`"Orders/ListOrders"` for ListOrders and ListOrdersByNextToken).
   */
  readonly bucket: string
  /** The maximum request quota (the burst): how many units the bucket holds. */
  readonly maxQuota: number
  /** The restore rate. */
  readonly restore: Restore
  /** Whether the bucket counts requests or items. */
  readonly per: Per
  /** Requests allowed per hour, where the docs state one. */
  readonly hourlyQuota?: number
  /** Where the numbers come from (a doc page). */
  readonly source: string
}

const Positive = Schema.Finite.check(Schema.isGreaterThan(0))
const PositiveInt = Schema.Int.check(Schema.isGreaterThan(0))

/**
 * The schema of a catalog entry, used to validate entries registered at run
 * time (a JavaScript caller, a JSON file).
 *
 * @category schemas
 * @since 0.1.0
 */
export const QuotaEntrySchema = Schema.Struct({
  section: Schema.NonEmptyString,
  operation: Schema.NonEmptyString,
  bucket: Schema.NonEmptyString,
  maxQuota: PositiveInt,
  restore: Schema.Struct({ amount: Positive, everyMs: Positive }),
  per: Schema.Literals(["request", "item"]),
  hourlyQuota: Schema.optionalKey(PositiveInt),
  source: Schema.String
})

/**
 * An immutable quota catalog. `Entry` is the union of its entries, so the
 * sections and operations it knows are types ({@link SectionOf},
 * {@link OperationOf}).
 *
 * @category models
 * @since 0.1.0
 */
export interface QuotaCatalog<Entry extends QuotaEntry = QuotaEntry> {
  /** Every entry, in registration order (a later entry for the same section and operation replaces the earlier). */
  readonly entries: ReadonlyArray<Entry>
  /** @internal */
  readonly byKey: ReadonlyMap<string, Entry>
}

/**
 * The sections a catalog knows.
 *
 * @category models
 * @since 0.1.0
 */
export type SectionOf<C extends QuotaCatalog> = C["entries"][number]["section"]

/**
 * The operations a catalog knows in a section (GetServiceStatus resolves in
 * every section, see {@link lookup}).
 *
 * @category models
 * @since 0.1.0
 */
export type OperationOf<C extends QuotaCatalog, Section extends string = SectionOf<C>> =
  | Extract<C["entries"][number], { readonly section: Section }>["operation"]
  | typeof GET_SERVICE_STATUS

const keyOf = (section: string, operation: string) => `${section}\u0000${operation}`

const quotaOf = (entry: QuotaEntry) =>
  `${entry.maxQuota}|${entry.restore.amount}|${entry.restore.everyMs}|${entry.per}|${entry.hourlyQuota ?? "-"}`

/**
 * Builds a catalog from entries. Each entry is validated; an invalid one
 * throws at once with the entry and the reason, because a broken catalog is a
 * programming error best found at start-up. A later entry for the same
 * section and operation replaces the earlier one.
 *
 * @example
 * ```ts
 * import { QuotaCatalog } from "@mws-kit/throttle"
 *
 * const widgets = QuotaCatalog.make([
 *   { section: "Widgets", operation: "ListWidgets", bucket: "Widgets/ListWidgets", maxQuota: 10,
 *     restore: { amount: 1, everyMs: 1000 }, per: "request", source: "Widgets API guide" }
 * ])
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <const Entries extends ReadonlyArray<QuotaEntry>>(
  entries: Entries
): QuotaCatalog<Entries[number]> => {
  const decode = Schema.decodeUnknownSync(QuotaEntrySchema)
  const byKey = new Map<string, Entries[number]>()
  for (const entry of entries) {
    try {
      decode(entry)
    } catch (cause) {
      throw new Error(`Invalid quota catalog entry ${JSON.stringify(entry)}: ${String(cause)}`, { cause })
    }
    const key = keyOf(entry.section, entry.operation)
    byKey.delete(key) // re-insert so an override moves after what it overrides
    byKey.set(key, entry)
  }
  const buckets = new Map<string, Entries[number]>()
  for (const entry of byKey.values()) {
    const first = buckets.get(entry.bucket)
    if (first === undefined) buckets.set(entry.bucket, entry)
    else if (quotaOf(first) !== quotaOf(entry)) {
      throw new Error(
        `Quota catalog entries ${first.section}/${first.operation} and ${entry.section}/${entry.operation} share bucket ${entry.bucket} but not its quota: override every operation of a shared bucket together`
      )
    }
  }
  return { entries: [...byKey.values()], byKey }
}

/**
 * Returns a new catalog with `entries` added to `base`; an added entry with
 * the section and operation of an existing one replaces it (a changed quota).
 * `base` is not modified.
 *
 * @example
 * ```ts
 * import { MwsQuotas, QuotaCatalog } from "@mws-kit/throttle"
 *
 * const mine = QuotaCatalog.extend(MwsQuotas.catalog, [
 *   // Amazon raised our SubmitFeed quota.
 *   { ...QuotaCatalog.lookup(MwsQuotas.catalog, "Feeds", "SubmitFeed")!, maxQuota: 30, source: "our account manager" }
 * ])
 * QuotaCatalog.lookup(mine, "Feeds", "SubmitFeed")?.maxQuota // 30
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const extend = <Base extends QuotaEntry, const Added extends ReadonlyArray<QuotaEntry>>(
  base: QuotaCatalog<Base>,
  entries: Added
): QuotaCatalog<Base | Added[number]> => make<ReadonlyArray<Base | Added[number]>>([...base.entries, ...entries])

/**
 * The quota of GetServiceStatus, the same in every section that documents it:
 * a maximum request quota of 2 and a restore rate of one request every five
 * minutes (DOCS products/Products_GetServiceStatus.md,
 * sellers/Sellers_GetServiceStatus.md, easy_ship/EasyShip_GetServiceStatus.md,
 * fba_inbound/MWS_GetServiceStatus.md, ...).
 *
 * @category constants
 * @since 0.1.0
 */
export const serviceStatusQuota = {
  maxQuota: 2,
  restore: { amount: 1, everyMs: 300_000 },
  per: "request"
} as const satisfies Pick<QuotaEntry, "maxQuota" | "restore" | "per">

/**
 * The GetServiceStatus entry of a section, with its own bucket
 * (`"<section>/GetServiceStatus"`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const serviceStatusEntry = <Section extends string>(
  section: Section,
  source = "DOCS */MWS_GetServiceStatus.md: GetServiceStatus has the same quota in every section"
): QuotaEntry<Section, typeof GET_SERVICE_STATUS> => ({
  section,
  operation: GET_SERVICE_STATUS,
  bucket: `${section}/${GET_SERVICE_STATUS}`,
  ...serviceStatusQuota,
  source
})

/**
 * Finds the entry for an operation of a section. GetServiceStatus resolves
 * in every section: a section's own entry when the catalog has one, else
 * {@link serviceStatusEntry}. `undefined` when the catalog does not know the
 * operation.
 *
 * @example
 * ```ts
 * import { MwsQuotas, QuotaCatalog } from "@mws-kit/throttle"
 *
 * QuotaCatalog.lookup(MwsQuotas.catalog, "Orders", "ListOrdersByNextToken")?.bucket // "Orders/ListOrders"
 * QuotaCatalog.lookup(MwsQuotas.catalog, "Widgets", "GetServiceStatus")?.maxQuota  // 2
 * ```
 *
 * @category getters
 * @since 0.1.0
 */
export const lookup = <Entry extends QuotaEntry>(
  catalog: QuotaCatalog<Entry>,
  section: string,
  operation: string
): Entry | QuotaEntry | undefined =>
  catalog.byKey.get(keyOf(section, operation)) ??
  (operation === GET_SERVICE_STATUS ? serviceStatusEntry(section) : undefined)

/**
 * Whether the catalog knows an operation of a section (GetServiceStatus is
 * known in every section).
 *
 * @category predicates
 * @since 0.1.0
 */
export const has = (catalog: QuotaCatalog, section: string, operation: string): boolean =>
  lookup(catalog, section, operation) !== undefined

/**
 * Every entry that shares a bucket, in registration order.
 *
 * @category getters
 * @since 0.1.0
 */
export const entriesOfBucket = <Entry extends QuotaEntry>(
  catalog: QuotaCatalog<Entry>,
  bucket: string
): ReadonlyArray<Entry> => catalog.entries.filter((entry) => entry.bucket === bucket)

/**
 * Milliseconds for one unit (a request, or an item) to restore, with time
 * running `timeScale` times faster (a time scale of 100 turns "one request
 * every two seconds" into one every 20 ms).
 *
 * @category getters
 * @since 0.1.0
 */
export const unitIntervalMs = (entry: Pick<QuotaEntry, "restore">, timeScale = 1): number =>
  entry.restore.everyMs / entry.restore.amount / timeScale
