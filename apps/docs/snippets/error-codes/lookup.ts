// #region lookup
import { ErrorCatalog, ErrorClass, MwsCatalog } from "@mws-kit/error-codes"

const throttled = ErrorCatalog.lookup(MwsCatalog.catalog, "RequestThrottled")
throttled?.httpStatus // 503
throttled?.errorClass // "throttled"
throttled?.description // "The frequency of requests was greater than allowed."

// A code two sections define differently: ask with the section.
const label = ErrorCatalog.lookup(MwsCatalog.catalog, "ResourceNotFound", "MerchantFulfillment")
const pickup = ErrorCatalog.lookup(MwsCatalog.catalog, "ResourceNotFound", "EasyShip")
label?.httpStatus // 404
pickup?.httpStatus // 400
// #endregion lookup

// #region classify
// A known code takes the catalog's class: only the code tells these two 503s apart.
const quota = ErrorCatalog.classify(MwsCatalog.catalog, "QuotaExceeded", 503) // "quota-exceeded"
const unavailable = ErrorCatalog.classify(MwsCatalog.catalog, "ServiceUnavailable", 503) // "transient"

// A code nobody documented is classified by its status and never throws.
const unknown = ErrorCatalog.classify(MwsCatalog.catalog, "BrandNewCode", 502)
// { errorClass: "transient", known: false, entry: undefined }

const advice = ErrorClass.advice[unknown.errorClass]
// "Temporary service failure: retry at once, then after 1s, 4s, 10s and 30s."
// #endregion classify

export const results = { throttled, label, pickup, quota, unavailable, unknown, advice }
