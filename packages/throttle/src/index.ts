/**
 * @mws-kit/throttle: the MWS quota catalog and a throttle that paces every
 * operation inside its quota, in one process (in memory) or across a fleet
 * (Redis).
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Bucket from "./Bucket.ts"

/** @since 0.1.0 */
export * as HourlyQuota from "./HourlyQuota.ts"

/** @since 0.1.0 */
export * as MemoryStore from "./MemoryStore.ts"

/** @since 0.1.0 */
export * as MwsQuotas from "./MwsQuotas.ts"

/** @since 0.1.0 */
export * as QuotaCatalog from "./QuotaCatalog.ts"

/** @since 0.1.0 */
export * as QuotaHeaders from "./QuotaHeaders.ts"

/** @since 0.1.0 */
export * as RedisStore from "./RedisStore.ts"

/** @since 0.1.0 */
export * as Throttle from "./Throttle.ts"

/** @since 0.1.0 */
export * as ThrottleError from "./ThrottleError.ts"

/** @since 0.1.0 */
export * as ThrottleStore from "./ThrottleStore.ts"
