import { QuotaCatalog } from "@mws-kit/throttle"

/** One hour, the length of an hourly quota window (DG_Throttling). @internal */
const HOUR_MS = 3_600_000

/** What the server decided about one request. @internal */
export type QuotaVerdict =
  | { readonly _tag: "Allowed"; readonly hourly: HourlyFigures | undefined }
  | { readonly _tag: "Throttled" }
  | { readonly _tag: "QuotaExceeded"; readonly hourly: HourlyFigures }

/** The hourly quota as the response headers report it. @internal */
export interface HourlyFigures {
  readonly max: number
  readonly remaining: number
  readonly resetsAt: number
}

/**
 * The server's side of throttling: a leaky bucket per (seller, bucket) and
 * an hourly window per (seller, operation), with the catalog's numbers and
 * time running `timeScale` times faster. Written apart from the client's
 * pacing on purpose: the sandbox judges the client, it does not share its
 * arithmetic.
 *
 * @internal
 */
export class ServerQuotas {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>()
  private readonly hours = new Map<string, { used: number; startedAt: number }>()

  private readonly catalog: QuotaCatalog.QuotaCatalog
  private readonly timeScale: number

  constructor(catalog: QuotaCatalog.QuotaCatalog, timeScale: number) {
    this.catalog = catalog
    this.timeScale = timeScale
  }

  /** The catalog entry for an operation, if the catalog has one. */
  entry(section: string, operation: string): QuotaCatalog.QuotaEntry | undefined {
    return QuotaCatalog.lookup(this.catalog, section, operation)
  }

  /** Decides one request of `units` (1, or the item count for per-item buckets), and counts it if allowed. */
  admit(sellerId: string, section: string, operation: string, units: number, now: number): QuotaVerdict {
    const entry = this.entry(section, operation)
    if (entry === undefined) return { _tag: "Allowed", hourly: undefined }
    const hourKey = `${sellerId}\u0000${section}/${operation}`
    const hourMs = HOUR_MS / this.timeScale
    let hour = this.hours.get(hourKey)
    if (hour === undefined || now >= hour.startedAt + hourMs) {
      hour = { used: 0, startedAt: now }
      this.hours.set(hourKey, hour)
    }
    const figures = (used: number): HourlyFigures | undefined =>
      entry.hourlyQuota === undefined
        ? undefined
        : {
            max: entry.hourlyQuota,
            remaining: Math.max(0, entry.hourlyQuota - used),
            resetsAt: hour.startedAt + hourMs
          }
    if (entry.hourlyQuota !== undefined && hour.used >= entry.hourlyQuota) {
      return { _tag: "QuotaExceeded", hourly: figures(hour.used)! }
    }
    const cost = entry.per === "item" ? Math.max(1, units) : 1
    const bucketKey = `${sellerId}\u0000${entry.bucket}`
    const unitMs = QuotaCatalog.unitIntervalMs(entry, this.timeScale)
    const bucket = this.buckets.get(bucketKey) ?? { tokens: entry.maxQuota, updatedAt: now }
    const tokens = Math.min(entry.maxQuota, bucket.tokens + Math.max(0, now - bucket.updatedAt) / unitMs)
    // A hair of tolerance for floating-point error in the refill, never for the client's timing.
    if (tokens + 1e-9 < cost) {
      this.buckets.set(bucketKey, { tokens, updatedAt: now })
      return { _tag: "Throttled" }
    }
    this.buckets.set(bucketKey, { tokens: tokens - cost, updatedAt: now })
    hour.used++
    return { _tag: "Allowed", hourly: figures(hour.used) }
  }
}
