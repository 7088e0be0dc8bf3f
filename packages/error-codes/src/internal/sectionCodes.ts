import { table } from "./table.ts"

// Section-specific codes (research notes, mws-facts section 3.2). Where no
// page, recording or peer states an HTTP status, the status is `null`.

/** Feeds: no docs page lists these; names from peer clients. @internal */
export const feedsCodes = table(
  {
    section: "Feeds",
    documented: false,
    source: "ScaleLeap amazon-mws-api-sdk src/error-codec.ts; EasyMWS README (fatal and non-fatal code lists)"
  },
  [
    ["AccessToFeedProcessingResultDenied", null, "auth", "Access to the feed processing result was denied."],
    ["ContentMD5Missing", null, "integrity", "The feed was submitted without a Content-MD5 value."],
    [
      "ContentMD5DoesNotMatch",
      null,
      "integrity",
      "The Content-MD5 passed for the feed did not match the Content-MD5 calculated for the feed."
    ],
    ["FeedCanceled", null, "client", "The feed was canceled."],
    [
      "FeedProcessingResultNoLongerAvailable",
      null,
      "client",
      "The feed processing result is no longer available for download."
    ],
    ["FeedProcessingResultNotReady", null, "not-ready", "The feed processing result is not ready yet."],
    ["InputDataError", null, "client", "The feed content contained errors."],
    // EasyMWS retries this one; nothing documents that a retry helps, so it stays a request fault here.
    ["InvalidFeedSubmissionId", null, "client", "The FeedSubmissionId is not valid."],
    ["InvalidFeedType", null, "client", "The FeedType is not valid."],
    ["InvalidRequest", null, "client", "The request is not valid."]
  ]
)

/** Reports: no docs page lists these; names from peer clients and one recording. @internal */
export const reportsCodes = table(
  {
    section: "Reports",
    documented: false,
    source: "ScaleLeap amazon-mws-api-sdk src/error-codec.ts; EasyMWS README (fatal and non-fatal code lists)"
  },
  [
    ["AccessToReportDenied", null, "auth", "Access to the report was denied."],
    ["InvalidReportId", null, "client", "The ReportId is not valid."],
    [
      "InvalidReportRequestId",
      400,
      "client",
      "The ReportRequestId is not valid.",
      "ScaleLeap amazon-mws-api-sdk commit 2b185d3 and its recorded 400 response"
    ],
    ["InvalidReportType", null, "client", "The ReportType is not valid."],
    ["InvalidScheduleFrequency", null, "client", "The schedule frequency is not valid."],
    ["ReportNoLongerAvailable", null, "client", "The report is no longer available for download."],
    ["ReportNotReady", null, "not-ready", "The report is not ready yet."]
  ]
)

/** Finances: names from a peer client's enum. @internal */
export const financesCodes = table(
  { section: "Finances", documented: false, source: "ScaleLeap amazon-mws-api-sdk src/error-codec.ts (Finances enum)" },
  [
    // The service itself says a retry will not help.
    ["NonRetriableInternalError", null, "unknown", "An internal failure that the service marks as not retriable."],
    ["RetriableInternalError", null, "transient", "An internal failure that the service marks as retriable."]
  ]
)

/** Subscriptions: names from a peer client's enum. @internal */
export const subscriptionsCodes = table(
  {
    section: "Subscriptions",
    documented: false,
    source: "ScaleLeap amazon-mws-api-sdk src/error-codec.ts (Subscriptions enum)"
  },
  [
    [
      "DependencyFatalException",
      null,
      "unknown",
      "A dependency of the service failed and will not recover by retrying."
    ],
    ["DependencyRetriableException", null, "transient", "A dependency of the service failed temporarily."],
    [
      "DependencyUnauthorizedException",
      null,
      "auth",
      "A dependency of the service refused the caller's authorisation."
    ],
    ["InternalErrorFatalException", null, "unknown", "An internal failure that will not recover by retrying."],
    ["InvalidInputFatalException", null, "client", "The input is not valid."],
    // The code really contains a space; ScaleLeap maps it with the comment "Subscriptions-specific".
    ["Internal Error", null, "transient", "An internal service failure (Subscriptions spelling, with a space)."]
  ]
)

/** Easy Ship, from its published error code table. @internal */
export const easyShipCodes = table(
  {
    section: "EasyShip",
    documented: true,
    source: "MWS Easy Ship API reference, Easy Ship error codes (easy_ship/EasyShip_ErrorCodes)"
  },
  [
    ["InvalidRequest", 400, "client", "The request is not valid."],
    ["ResourceNotFound", 400, "client", "The requested resource was not found."],
    [
      "RetryableAfterGettingNewSlots",
      400,
      "client",
      "The pickup slot is no longer valid: request a new pickup slot and try to schedule again."
    ],
    // Spelled with the typo the published table uses; the corrected spelling is listed below.
    ["SchedulesdPackageAlreadyExists", 400, "client", "A package is already scheduled for this order."],
    [
      "ScheduledPackageAlreadyExists",
      400,
      "client",
      "A package is already scheduled for this order (corrected spelling).",
      "ScaleLeap amazon-mws-api-sdk src/error-codec.ts (spelling of the Easy Ship table's SchedulesdPackageAlreadyExists)"
    ],
    ["RegionNotSupported", 404, "client", "The operation is not supported in this region."],
    ["ScheduleWindowExpired", 404, "client", "The scheduling window has expired."],
    ["InvalidOrderState", 404, "client", "The order is not in a state that allows this operation."],
    ["PickupSlotNotAvailable", 404, "client", "The pickup slot is not available."]
  ]
)

/** Merchant Fulfillment, from its published error code table. @internal */
export const merchantFulfillmentCodes = table(
  {
    section: "MerchantFulfillment",
    documented: true,
    source: "MWS Merchant Fulfillment API reference, error codes (merch_fulfill/MerchFulfill_ErrorCodes)"
  },
  [
    ["InsufficientFunds", 400, "client", "The seller's account does not have enough funds for the label."],
    ["InvalidRequest", 400, "client", "The request is not valid."],
    ["InvalidShipFromAddress", 400, "client", "The ship-from address is not valid."],
    ["InvalidShippingServiceOfferId", 400, "client", "The ShippingServiceOfferId is not valid."],
    ["LabelCancelWindowExpired", 400, "client", "The window for cancelling the label has passed."],
    ["LabelFormatNotSupported", 400, "client", "The label format is not supported."],
    ["ShipmentAlreadyExists", 400, "client", "A shipment already exists for these items."],
    ["ShipmentRequestDetailsTooRestrictive", 400, "client", "No shipping service matches the request details."],
    ["ShippingServiceOfferNotAvailable", 400, "client", "The shipping service offer is no longer available."],
    ["TermsAndConditionsNotAccepted", 403, "auth", "The carrier's terms and conditions have not been accepted."],
    ["InvalidState", 404, "client", "The resource is not in a state that allows this operation."],
    ["ItemsNotInOrder", 404, "client", "The items are not in the order."],
    ["RegionNotSupported", 404, "client", "The operation is not supported in this region."],
    ["ResourceNotFound", 404, "client", "The requested resource was not found."],
    ["ShippingServiceNotAvailable", 404, "client", "The shipping service is not available."]
  ]
)

/** Fulfillment Inbound Shipment, from its published error code table (all 400). @internal */
export const fulfillmentInboundCodes = table(
  {
    section: "FulfillmentInboundShipment",
    documented: true,
    source: "MWS Fulfillment Inbound Shipment API reference, error codes (fba_inbound/FBAInbound_ErrorCodes)"
  },
  [
    ["AmazonContractNotSigned", 400, "client", "The Amazon-partnered carrier contract has not been signed."],
    // Kept exactly as the published table prints it, space included.
    [
      "AmazonPrepNotSupported InDestinationFulfillmentCenter",
      400,
      "client",
      "Amazon prep is not supported in the destination fulfillment center."
    ],
    ["AmazonPrepNotSupported", 400, "client", "Amazon prep is not supported for this item."],
    ["CannotEstimateTransportContent", 400, "client", "The transport content cannot be estimated."],
    ["CannotReducePreorderedItemQuantity", 400, "client", "The quantity of a preordered item cannot be reduced."],
    ["CannotRemovePreorderedItem", 400, "client", "A preordered item cannot be removed."],
    ["CannotVoidTransportContent", 400, "client", "The transport content cannot be voided."],
    ["CarrierContractNotSigned", 400, "client", "The carrier contract has not been signed."],
    ["CarrierInvalidForMarketplace", 400, "client", "The carrier is not valid for the marketplace."],
    ["IncompatiblePrepOwner", 400, "client", "The prep owner is not compatible with the item."],
    ["InconsistentPrepDetails", 400, "client", "The prep details are inconsistent."],
    ["IncorrectPrepInstruction", 400, "client", "The prep instruction is not correct for the item."],
    ["InvalidBoxContentSource", 400, "client", "The box content source is not valid."],
    ["InvalidPrepInstruction", 400, "client", "The prep instruction is not valid."],
    ["InvalidPrepOwner", 400, "client", "The prep owner is not valid."],
    ["InvalidOperation", 400, "client", "The operation is not valid for the shipment."],
    ["MaxSizeReached", 400, "client", "The maximum size was reached."],
    ["MissingCarrierType", 400, "client", "The carrier type is missing."],
    ["MissingPrepDetails", 400, "client", "The prep details are missing."],
    ["NoPackagesOrPallets", 400, "client", "The shipment has no packages or pallets."],
    // The table's own advice: "Retry after the feed has been processed".
    ["PackageContentFeedNotComplete", 400, "not-ready", "The package content feed has not been processed yet."],
    ["PreorderNotSupported", 400, "client", "Preorder is not supported for this item."],
    ["TransportContentNotFound", 400, "client", "The transport content was not found."],
    ["UnknownCarrierType", 400, "client", "The carrier type is not known."],
    ["UnknownShipmentId", 400, "client", "The ShipmentId is not known."],
    ["UnsupportedOption", 400, "client", "The option is not supported."]
  ]
)
