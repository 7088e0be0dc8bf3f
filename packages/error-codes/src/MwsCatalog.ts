/**
 * The Amazon MWS error catalog: the nine common codes of the documented
 * table, every section-specific code a source names, and the codes seen on
 * the wire but in no table. Each entry cites its source.
 *
 * @since 0.1.0
 */
import * as ErrorCatalog from "./ErrorCatalog.ts"
import { commonCodes as commonEntries } from "./internal/commonCodes.ts"
import {
  easyShipCodes,
  feedsCodes,
  financesCodes,
  fulfillmentInboundCodes,
  merchantFulfillmentCodes,
  reportsCodes,
  subscriptionsCodes
} from "./internal/sectionCodes.ts"
import { sectionWireCodes, wireCodes } from "./internal/wireCodes.ts"

/**
 * The nine codes of "Table 1. Common HTTP error status codes" in the MWS
 * Developer Guide, in the table's order, with its statuses and descriptions.
 *
 * @category constants
 * @since 0.1.0
 */
export const commonCodes = commonEntries

/**
 * The full MWS catalog.
 *
 * @example
 * ```ts
 * import { ErrorCatalog, MwsCatalog } from "@mws-kit/error-codes"
 *
 * const entry = ErrorCatalog.lookup(MwsCatalog.catalog, "RequestThrottled")
 * entry?.httpStatus // 503
 * entry?.errorClass // "throttled"
 * ```
 *
 * @category constants
 * @since 0.1.0
 */
export const catalog = ErrorCatalog.make([
  ...commonEntries,
  ...wireCodes,
  ...feedsCodes,
  ...reportsCodes,
  ...financesCodes,
  ...subscriptionsCodes,
  ...easyShipCodes,
  ...merchantFulfillmentCodes,
  ...fulfillmentInboundCodes,
  ...sectionWireCodes
])

/**
 * A code the MWS catalog knows.
 *
 * @category models
 * @since 0.1.0
 */
export type MwsErrorCode = ErrorCatalog.CodeOf<typeof catalog>

/**
 * The class the MWS catalog gives a known code, as a type:
 * `ClassOf<"RequestThrottled">` is `"throttled"`.
 *
 * @category models
 * @since 0.1.0
 */
export type ClassOf<Code extends MwsErrorCode> = ErrorCatalog.ClassOf<typeof catalog, Code>

/**
 * The sections the MWS catalog has section-specific codes for, plus
 * `"Common"`.
 *
 * @category models
 * @since 0.1.0
 */
export type MwsSection = (typeof catalog)["entries"][number]["section"]
