import { Schema, SchemaGetter } from "effect"

/** JSON has no -0: write it as 0 both ways, so a number survives a JSON round trip exactly. */
const withoutNegativeZero = {
  decode: SchemaGetter.transform((n: number) => (n === 0 ? 0 : n)),
  encode: SchemaGetter.transform((n: number) => (n === 0 ? 0 : n))
}

/** An integer (an HTTP status, a byte count), -0 written as 0. @internal */
export const Integer = Schema.Int.pipe(Schema.decode(withoutNegativeZero))

/** A finite number that is never negative (a quota figure, a wait), -0 written as 0. @internal */
export const NonNegative = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)).pipe(
  Schema.decode(withoutNegativeZero)
)
