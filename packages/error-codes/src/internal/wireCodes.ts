import { table } from "./table.ts"

/**
 * Codes seen on the wire, in examples or in peer clients, but in no
 * published error table (mws-facts sections 3.1 and 2.2). Each row names
 * where it was seen.
 *
 * @internal
 */
export const wireCodes = table(
  { section: "Common", documented: false, source: "seen on the wire, in examples or in peer clients" },
  [
    [
      "ServiceUnavailable",
      503,
      "transient",
      "The service is temporarily unavailable (fault Receiver).",
      "MWS Developer Guide, Example HTTP errors (dev_guide/DG_Errors_Examples): 503 with ErrorFault=Receiver"
    ],
    [
      "InvalidClientTokenId",
      null,
      "auth",
      "The access key id provided does not exist in the records.",
      "MWS Developer Guide, Response format (dev_guide/DG_ResponseFormat) error example"
    ],
    [
      "MalformedInput",
      null,
      "client",
      "The request input is malformed.",
      "python-amazon-mws issues #259 and others (Orders, Finances, Reports responses)"
    ],
    [
      "InvalidQueryParameter",
      null,
      "client",
      "A query parameter is not valid, or a superfluous parameter was submitted.",
      "eibbors/mws-js issue #13; Feeds and Reports API reference error list"
    ],
    [
      "InvalidRequestException",
      null,
      "client",
      "The request is not valid.",
      "Peddler commit bebdddf (added to its known error codes)"
    ],
    [
      "UserAgentHeaderMalformed",
      null,
      "client",
      "The User-Agent header does not follow the required format.",
      "MWS Developer Guide, Example client side errors (dev_guide/DG_Errors_ClientExamples)"
    ],
    [
      "UserAgentHeaderMissing",
      null,
      "client",
      "The User-Agent header is missing.",
      "Feeds and Reports API reference error list"
    ],
    [
      "UserAgentHeaderLanguageAttributeMissing",
      null,
      "client",
      "The User-Agent header has no Language attribute.",
      "Feeds and Reports API reference error list"
    ],
    [
      "UserAgentHeaderMaximumLengthExceeded",
      null,
      "client",
      "The User-Agent header exceeded 500 characters.",
      "Feeds and Reports API reference error list"
    ],
    [
      "MissingClientTokenId",
      null,
      "auth",
      "The request has no access key id.",
      "Feeds and Reports API reference error list"
    ],
    [
      "MissingParameter",
      null,
      "client",
      "A required parameter is missing.",
      "Feeds and Reports API reference error list"
    ],
    ["InvalidAction", null, "client", "The Action is not valid.", "Feeds and Reports API reference error list"]
  ]
)

/** Wire codes that belong to one section. @internal */
export const sectionWireCodes = [
  ...table(
    { section: "Feeds", documented: false, source: "ScaleLeap amazon-mws-api-sdk recorded Feeds response (HTTP 400)" },
    [["ValidationError", 400, "client", "The request failed validation."]]
  ),
  ...table(
    {
      section: "ShipmentInvoicing",
      documented: false,
      source: "Peddler recording test/vcr_cassettes/ShipmentInvoicing.yml (HTTP 400, no Message element)"
    },
    [["ShipmentNotFoundException", 400, "client", "The shipment was not found."]]
  ),
  ...table(
    {
      section: "Products",
      documented: false,
      source: "mws-advanced test/mock/GetMyFeesEstimate-3.json (per-item error, Type Receiver)"
    },
    // Nothing says whether asking again helps, so no automatic action is assumed.
    [["DataNotAvailable", null, "unknown", "The requested data is not available."]]
  )
] as const
