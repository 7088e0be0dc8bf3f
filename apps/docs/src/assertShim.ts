/**
 * Stands in for `node:assert` in the browser bundle. Effect's `effect/testing`
 * entry (which the retry timeline page imports for its `TestClock`) also
 * exports `TestSchema`, whose assertions import `node:assert`; the page never
 * calls them, and if anything ever did, it fails loudly instead of silently.
 */
const unavailable = (name: string) => (): never => {
  throw new Error(`node:assert ${name} is not available in the browser`)
}

/** Not available in the browser. */
export const fail = unavailable("fail")
/** Not available in the browser. */
export const deepStrictEqual = unavailable("deepStrictEqual")
/** Not available in the browser. */
export const strictEqual = unavailable("strictEqual")
/** Not available in the browser. */
export const ok = unavailable("ok")
/** Not available in the browser. */
export default unavailable("assert")
