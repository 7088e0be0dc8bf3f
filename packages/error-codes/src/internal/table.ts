import type { CatalogEntry } from "../ErrorCatalog.ts"
import type { ErrorClass } from "../ErrorClass.ts"

/**
 * One row of a code table: code, HTTP status (`null` when no source states
 * it), class, description, and a source when it differs from the table's.
 *
 * @internal
 */
export type Row = readonly [
  code: string,
  httpStatus: number | null,
  errorClass: ErrorClass,
  description: string,
  source?: string
]

/** The entries a table of rows becomes, with each row's code and class kept as literal types. @internal */
export type EntriesOf<R extends ReadonlyArray<Row>> = { readonly [K in keyof R]: CatalogEntry<R[K][0], R[K][2]> }

/**
 * Turns a table of rows that share a section and a source into catalog
 * entries. Keeps the data files readable as tables.
 *
 * @internal
 */
export const table = <const R extends ReadonlyArray<Row>>(
  header: { readonly section: string; readonly documented: boolean; readonly source: string },
  rows: R
): EntriesOf<R> =>
  rows.map(([code, httpStatus, errorClass, description, source]) => ({
    code,
    section: header.section,
    httpStatus,
    errorClass,
    description,
    documented: header.documented,
    source: source ?? header.source
  })) as unknown as EntriesOf<R>
