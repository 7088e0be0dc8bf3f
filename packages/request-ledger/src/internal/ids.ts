/**
 * Time-ordered ids (UUID version 7, RFC 9562): 48 bits of Unix milliseconds,
 * the version, a 24-bit counter that restarts every millisecond (split
 * around the variant, RFC 9562 method 1, "fixed-length dedicated counter"),
 * then 48 random bits. Ids made later in a process sort later, even within
 * one millisecond, so ties on `recordedAt` break in record order.
 *
 * The time prefix is computed once per millisecond and the random bits come
 * from a pooled buffer filled by `crypto.randomFillSync`, so an id costs a
 * few hundred nanoseconds.
 *
 * @internal
 */
import { randomFillSync } from "node:crypto"

const MAX_MILLIS = 2 ** 48 - 1
const COUNTER_MAX = 2 ** 24 - 1
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"))
const RANDOM_BYTES = 6
const pool = new Uint8Array(RANDOM_BYTES * 1024)
let poolAt = pool.length

let lastMillis = Number.NaN
let lastPrefix = ""
let counter = 0

const hex3 = (value: number): string => (value + 0x1000).toString(16).slice(1)

/** A UUIDv7 string for the given time (clamped to the 48-bit range). @internal */
export const timeOrderedId = (millis: number): string => {
  if (millis !== lastMillis) {
    const clamped = Math.min(MAX_MILLIS, Math.max(0, Math.floor(Number.isFinite(millis) ? millis : 0)))
    const hex = clamped.toString(16).padStart(12, "0")
    lastMillis = millis
    lastPrefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7`
    counter = 0
  } else if (counter < COUNTER_MAX) {
    counter++
  }
  if (poolAt + RANDOM_BYTES > pool.length) {
    randomFillSync(pool)
    poolAt = 0
  }
  const i = poolAt
  poolAt += RANDOM_BYTES
  return (
    lastPrefix +
    hex3(counter >>> 12) +
    "-8" +
    hex3(counter & 0xfff) +
    "-" +
    HEX[pool[i]!] +
    HEX[pool[i + 1]!] +
    HEX[pool[i + 2]!] +
    HEX[pool[i + 3]!] +
    HEX[pool[i + 4]!] +
    HEX[pool[i + 5]!]
  )
}
