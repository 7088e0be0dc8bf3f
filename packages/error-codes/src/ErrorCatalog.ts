/**
 * A catalog of error codes: what each code means, its HTTP status where a
 * source gives one, and its class. Catalogs are immutable values; extending
 * one returns a new catalog whose type knows the added codes.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as ErrorClass from "./ErrorClass.ts"

/**
 * The section name used for codes that every API section can return.
 *
 * @category constants
 * @since 0.1.0
 */
export const COMMON_SECTION = "Common"

/**
 * One code as a catalog knows it. A code can appear once per section: the
 * same name can mean different things (and carry different statuses) in two
 * sections, as `ResourceNotFound` does in Easy Ship (400) and Merchant
 * Fulfillment (404).
 *
 * @category models
 * @since 0.1.0
 */
export interface CatalogEntry<
  Code extends string = string,
  Class extends ErrorClass.ErrorClass = ErrorClass.ErrorClass
> {
  /** The `<Code>` value exactly as the service sends it. */
  readonly code: Code
  /** The API section, or {@link COMMON_SECTION} for codes any section can return. */
  readonly section: string
  /** The HTTP status a source states, or `null` when no source states one (never invented). */
  readonly httpStatus: number | null
  /** What a client should do about it. */
  readonly errorClass: Class
  /** One sentence: what the code means. */
  readonly description: string
  /** `true` when a published error table lists it, `false` when it was only seen on the wire. */
  readonly documented: boolean
  /** Where the entry comes from: a doc page, a recording, a peer client. */
  readonly source: string
}

/**
 * The schema of a catalog entry, used to validate entries registered at run
 * time (a JavaScript caller, a JSON file).
 *
 * @category schemas
 * @since 0.1.0
 */
export const CatalogEntrySchema = Schema.Struct({
  code: Schema.NonEmptyString,
  section: Schema.NonEmptyString,
  httpStatus: Schema.NullOr(Schema.Int.check(Schema.isBetween({ minimum: 100, maximum: 599 }))),
  errorClass: ErrorClass.ErrorClass,
  description: Schema.String,
  documented: Schema.Boolean,
  source: Schema.String
})

/**
 * An immutable catalog. `Code` is the union of the codes it knows, so code
 * names are checked by the compiler wherever a catalog is used.
 *
 * @category models
 * @since 0.1.0
 */
export interface ErrorCatalog<Entry extends CatalogEntry = CatalogEntry> {
  /** Every entry, in registration order (later entries override earlier ones for the same code and section). */
  readonly entries: ReadonlyArray<Entry>
  /** @internal */
  readonly byCode: ReadonlyMap<string, ReadonlyArray<Entry>>
}

/**
 * The codes a catalog knows.
 *
 * @category models
 * @since 0.1.0
 */
export type CodeOf<C extends ErrorCatalog> = C["entries"][number]["code"]

/**
 * The class a catalog gives a code (a union when sections disagree).
 *
 * @category models
 * @since 0.1.0
 */
export type ClassOf<C extends ErrorCatalog, Code extends string> = Extract<
  C["entries"][number],
  { readonly code: Code }
>["errorClass"]

/**
 * Builds a catalog from entries. Each entry is validated; an invalid one
 * throws at once with the entry and the reason, because a broken catalog is a
 * programming error best found at start-up. A later entry for the same code
 * and section replaces the earlier one.
 *
 * @example
 * ```ts
 * import { ErrorCatalog } from "@mws-kit/error-codes"
 *
 * const widgets = ErrorCatalog.make([
 *   { code: "WidgetJammed", section: "Widgets", httpStatus: 409, errorClass: "client",
 *     description: "The widget is jammed.", documented: true, source: "Widgets API guide" }
 * ])
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <const Entries extends ReadonlyArray<CatalogEntry>>(
  entries: Entries
): ErrorCatalog<Entries[number]> => {
  const decode = Schema.decodeUnknownSync(CatalogEntrySchema)
  const kept = new Map<string, Entries[number]>()
  for (const entry of entries) {
    try {
      decode(entry)
    } catch (cause) {
      throw new Error(`Invalid error catalog entry ${JSON.stringify(entry)}: ${String(cause)}`, { cause })
    }
    const key = `${entry.section}\u0000${entry.code}`
    kept.delete(key) // re-insert so an override moves to the end, after what it overrides
    kept.set(key, entry)
  }
  const byCode = new Map<string, Array<Entries[number]>>()
  for (const entry of kept.values()) {
    const list = byCode.get(entry.code)
    if (list) list.push(entry)
    else byCode.set(entry.code, [entry])
  }
  return { entries: [...kept.values()], byCode }
}

/**
 * Returns a new catalog with `entries` added to `base`; an added entry with
 * the code and section of an existing one replaces it (a changed status, a
 * different class). `base` is not modified.
 *
 * @example
 * ```ts
 * import { ErrorCatalog, MwsCatalog } from "@mws-kit/error-codes"
 *
 * const mine = ErrorCatalog.extend(MwsCatalog.catalog, [
 *   { code: "WidgetJammed", section: "Widgets", httpStatus: 409, errorClass: "client",
 *     description: "The widget is jammed.", documented: true, source: "Widgets API guide" }
 * ])
 * ErrorCatalog.lookup(mine, "WidgetJammed")?.httpStatus // 409
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const extend = <Base extends CatalogEntry, const Added extends ReadonlyArray<CatalogEntry>>(
  base: ErrorCatalog<Base>,
  entries: Added
): ErrorCatalog<Base | Added[number]> => make<ReadonlyArray<Base | Added[number]>>([...base.entries, ...entries])

/**
 * Whether the catalog knows a code (in any section).
 *
 * @category predicates
 * @since 0.1.0
 */
export const has = <C extends ErrorCatalog>(catalog: C, code: string): code is CodeOf<C> => catalog.byCode.has(code)

/**
 * Finds the entry for a code. With a section, the entry of that section wins,
 * then the common entry, then the first section that lists the code; without
 * one, the common entry wins, then the first section. `undefined` when the
 * catalog does not know the code.
 *
 * @category getters
 * @since 0.1.0
 */
export const lookup = <Entry extends CatalogEntry>(
  catalog: ErrorCatalog<Entry>,
  code: string,
  section?: string
): Entry | undefined => {
  const candidates = catalog.byCode.get(code)
  if (candidates === undefined) return undefined
  return (
    (section === undefined ? undefined : candidates.find((entry) => entry.section === section)) ??
    candidates.find((entry) => entry.section === COMMON_SECTION) ??
    candidates[0]
  )
}

/**
 * Every entry for a code, one per section that lists it.
 *
 * @category getters
 * @since 0.1.0
 */
export const lookupAll = <Entry extends CatalogEntry>(
  catalog: ErrorCatalog<Entry>,
  code: string
): ReadonlyArray<Entry> => catalog.byCode.get(code) ?? []

/**
 * The result of classifying a code.
 *
 * @category models
 * @since 0.1.0
 */
export interface Classification {
  /** What a client should do. */
  readonly errorClass: ErrorClass.ErrorClass
  /** `true` when the catalog knows the code; `false` when the class came from the HTTP status. */
  readonly known: boolean
  /** The catalog entry used, when the code is known. */
  readonly entry: CatalogEntry | undefined
}

/**
 * Classifies a code: by its catalog entry when the catalog knows it, else by
 * the HTTP status ({@link ErrorClass.fromHttpStatus}). Never fails: a code
 * the catalog lacks keeps its raw value and gets a status-based class.
 *
 * @example
 * ```ts
 * import { ErrorCatalog, MwsCatalog } from "@mws-kit/error-codes"
 *
 * ErrorCatalog.classify(MwsCatalog.catalog, "RequestThrottled", 503).errorClass // "throttled"
 * ErrorCatalog.classify(MwsCatalog.catalog, "QuotaExceeded", 503).errorClass    // "quota-exceeded"
 * ErrorCatalog.classify(MwsCatalog.catalog, "BrandNewCode", 502)                // { errorClass: "transient", known: false, ... }
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const classify = (
  catalog: ErrorCatalog,
  code: string | undefined,
  httpStatus?: number,
  section?: string
): Classification => {
  const entry = code === undefined ? undefined : lookup(catalog, code, section)
  return entry === undefined
    ? { errorClass: ErrorClass.fromHttpStatus(httpStatus), known: false, entry: undefined }
    : { errorClass: entry.errorClass, known: true, entry }
}
