import type { Per, QuotaEntry } from "../QuotaCatalog.ts"

/** One second, in milliseconds. @internal */
export const SECOND = 1000

/** One minute, in milliseconds. @internal */
export const MINUTE = 60_000

/** A quota as the docs state it, without the operation it belongs to. @internal */
export interface Quota {
  readonly maxQuota: number
  readonly restore: { readonly amount: number; readonly everyMs: number }
  readonly per: Per
  readonly hourlyQuota?: number
}

/**
 * A quota: maximum request quota, `amount` units restored every `everyMs`,
 * per request or item, and the hourly quota when the docs state one.
 *
 * @internal
 */
export const quota = (
  maxQuota: number,
  amount: number,
  everyMs: number,
  options: { readonly per?: Per; readonly hourly?: number } = {}
): Quota => ({
  maxQuota,
  restore: { amount, everyMs },
  per: options.per ?? "request",
  ...(options.hourly === undefined ? {} : { hourlyQuota: options.hourly })
})

/** The entries of a section: one per operation, each with its own bucket unless `bucket` names a shared one. @internal */
export type EntriesOf<Section extends string, Rows extends ReadonlyArray<Row>> = {
  readonly [K in keyof Rows]: QuotaEntry<Section, Rows[K][0]>
}

/** One operation: name, quota, doc page (under DOCS), and the shared bucket's operation when it shares one. @internal */
export type Row = readonly [operation: string, quota: Quota, page: string, sharesWith?: string]

/**
 * Turns the rows of one section into catalog entries. A shared bucket is
 * named after the first operation of the group (`Orders/ListOrders`).
 *
 * @internal
 */
export const section = <const Section extends string, const Rows extends ReadonlyArray<Row>>(
  name: Section,
  rows: Rows
): EntriesOf<Section, Rows> =>
  rows.map(([operation, q, page, sharesWith]) => ({
    section: name,
    operation,
    bucket: `${name}/${sharesWith ?? operation}`,
    ...q,
    source: `DOCS ${page}`
  })) as unknown as EntriesOf<Section, Rows>
