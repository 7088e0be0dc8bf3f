/**
 * The error-code and quota reference pages, written from the packages' own
 * catalogs (`@mws-kit/error-codes`'s `MwsCatalog`, `@mws-kit/throttle`'s
 * `MwsQuotas`): one source of truth, nothing retyped.
 */
import { type ErrorCatalog, ErrorClass, MwsCatalog } from "@mws-kit/error-codes"
import * as MwsQuotas from "@mws-kit/throttle/MwsQuotas"
import * as QuotaCatalog from "@mws-kit/throttle/QuotaCatalog"
import { anchor, cell, code, generatedNotice, table } from "./markdown.ts"

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}.`

const groupBy = <A>(items: ReadonlyArray<A>, key: (item: A) => string): Map<string, Array<A>> => {
  const groups = new Map<string, Array<A>>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [item])
    else group.push(item)
  }
  return groups
}

/** One code as a heading (so search lands on it and it has an anchor) with its facts as a short list. */
const errorEntry = (entry: ErrorCatalog.CatalogEntry): Array<string> => [
  `### ${entry.code}`,
  "",
  cell(entry.description),
  "",
  `- HTTP status: ${entry.httpStatus === null ? "not stated by any source" : entry.httpStatus}`,
  `- Class: [${entry.errorClass}](#${anchor(`class ${entry.errorClass}`)})`,
  `- ${entry.documented ? "Documented in a published error table" : "Seen on the wire, in no published table"}: ${cell(entry.source)}`,
  ""
]

/** The error-code reference page, from a catalog (the MWS catalog by default). */
export const errorCodesPage = (catalog: ErrorCatalog.ErrorCatalog = MwsCatalog.catalog): string => {
  const sections = groupBy(catalog.entries, (entry) => entry.section)
  const codes = new Set(catalog.entries.map((entry) => entry.code))
  const classCounts = groupBy(catalog.entries, (entry) => entry.errorClass)
  // A code that appears in several sections gets one heading each; VitePress suffixes the repeats' anchors.
  const occurrence = new Map<ErrorCatalog.CatalogEntry, number>()
  for (const [, same] of groupBy(catalog.entries, (entry) => anchor(entry.code))) {
    for (const [index, entry] of same.entries()) occurrence.set(entry, index)
  }
  const duplicateSuffix = (entry: ErrorCatalog.CatalogEntry): string => {
    const index = occurrence.get(entry) ?? 0
    return index === 0 ? "" : `-${index}`
  }
  return [
    "---",
    "outline: [2, 2]",
    "---",
    "",
    generatedNotice("@mws-kit/error-codes (MwsCatalog)"),
    "",
    "# Error codes",
    "",
    `Every code \`@mws-kit/error-codes\` knows: ${catalog.entries.length} entries, ${codes.size} distinct codes ` +
      `in ${sections.size} sections. This page is generated from the package's catalog when the site builds, so ` +
      "it always says what the code does. Search (the box at the top, or <kbd>/</kbd>) finds any code.",
    "",
    "- **HTTP** is the status a source states; `not stated` means no source gives one (the package never invents it).",
    "- **Class** says what a client should do; the [backoff policy](/guide/backoff-policy) acts on it, and the " +
      "[retry timeline](/reference/retry-timeline) shows the waits for each code.",
    "- **Documented** entries come from a published error table; the others were seen in recorded responses or " +
      "peer clients.",
    "- A code the catalog does not know is still an `MwsError`: it keeps its raw code and is classified by its " +
      "HTTP status (429 and 503 throttled, other 5xx transient, other 4xx client). From the repository, " +
      "`npx -y pnpm@12.4.2 errors <code or status>` looks a code up in the terminal.",
    "",
    "## Classes",
    "",
    ...ErrorClass.all.flatMap((errorClass) => [
      `### Class ${errorClass}`,
      "",
      `${cell(ErrorClass.advice[errorClass])} ${ErrorClass.isRetryable(errorClass) ? "Retryable." : "Not retried."} ` +
        plural(classCounts.get(errorClass)?.length ?? 0, "entry", "entries"),
      ""
    ]),
    ...[...sections].flatMap(([section, entries]) => [
      `## ${section === "Common" ? "Common codes (any section)" : section}`,
      "",
      table(
        ["Code", "HTTP", "Class"],
        entries.map((entry) => [
          `[${code(entry.code)}](#${anchor(entry.code)}${duplicateSuffix(entry)})`,
          entry.httpStatus === null ? "not stated" : String(entry.httpStatus),
          entry.errorClass
        ])
      ),
      "",
      ...entries.flatMap(errorEntry)
    ])
  ].join("\n")
}

const HOUR_MS = QuotaCatalog.HOUR_MS

/** "1 every 2 s", "10 items every 1 s", "1 every 45 s". */
export const restoreText = (entry: Pick<QuotaCatalog.QuotaEntry, "restore" | "per">): string => {
  const { amount, everyMs } = entry.restore
  const unit = entry.per === "item" ? (amount === 1 ? " item" : " items") : ""
  const every =
    everyMs % 60_000 === 0 ? `${everyMs / 60_000} min` : everyMs % 1000 === 0 ? `${everyMs / 1000} s` : `${everyMs} ms`
  return `${amount}${unit} every ${every}`
}

const quotaRow = (entry: QuotaCatalog.QuotaEntry, shared: ReadonlyArray<string>): Array<string> => [
  code(entry.operation),
  `${entry.maxQuota}${entry.per === "item" ? " items" : ""}`,
  restoreText(entry),
  entry.hourlyQuota === undefined ? "none stated" : String(entry.hourlyQuota),
  shared.length === 0 ? "its own" : `shared with ${shared.map(code).join(", ")}`,
  cell(entry.source)
]

/** The quota reference page, from a quota catalog (the MWS one by default). */
export const quotasPage = (catalog: QuotaCatalog.QuotaCatalog = MwsQuotas.catalog): string => {
  const sections = groupBy(catalog.entries, (entry) => entry.section)
  const buckets = groupBy(catalog.entries, (entry) => `${entry.bucket}`)
  const sharedWith = (entry: QuotaCatalog.QuotaEntry) =>
    (buckets.get(entry.bucket) ?? []).filter((e) => e.operation !== entry.operation).map((e) => e.operation)
  const hourly = catalog.entries.filter((entry) => entry.hourlyQuota !== undefined).length
  return [
    generatedNotice("@mws-kit/throttle (MwsQuotas)"),
    "",
    "# Quotas",
    "",
    `The throttling of every operation \`@mws-kit/throttle\` knows: ${catalog.entries.length} operations in ` +
      `${sections.size} sections, ${buckets.size} buckets, ${hourly} with an hourly quota. Generated from the ` +
      "package's quota catalog when the site builds; the throttle, the sandbox and the retry policy all read the " +
      "same data.",
    "",
    "MWS throttles each operation with a leaky bucket per seller: a request takes one unit (the Products list " +
      "operations take one per item), the bucket holds at most the **max quota**, and units come back at the " +
      "**restore rate**. An empty bucket answers `RequestThrottled` (503). Some operations also have an " +
      "**hourly quota**; spending it answers `QuotaExceeded` until the hour resets. Operations that share a " +
      "bucket draw from the same units. See the [throttle guide](/guide/throttle) for how the package paces " +
      "requests, and the [retry timeline](/reference/retry-timeline) for what happens after a throttled answer.",
    "",
    `Every section also has \`${QuotaCatalog.GET_SERVICE_STATUS}\`: ` +
      `${QuotaCatalog.serviceStatusQuota.maxQuota} requests, ${restoreText(QuotaCatalog.serviceStatusQuota)}.`,
    "",
    ...[...sections].flatMap(([section, entries]) => [
      `## ${section}`,
      "",
      table(
        ["Operation", "Max quota", "Restore rate", "Hourly quota", "Bucket", "Source"],
        entries.map((entry) => quotaRow(entry, sharedWith(entry)))
      ),
      ""
    ]),
    `<small>One hour is ${HOUR_MS} ms in the catalog's arithmetic.</small>`,
    ""
  ].join("\n")
}
