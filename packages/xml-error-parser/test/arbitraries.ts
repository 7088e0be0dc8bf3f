/**
 * Generators of hostile and broken response bodies, shared by the property
 * tests (a few hundred cases each) and the fuzz script (a million).
 */
import fc from "fast-check"
import { validBodies } from "./fixtures/bodies.ts"

const valid: fc.Arbitrary<string> = fc.constantFrom<string>(...validBodies)

/** Pieces of XML syntax, to splice into valid bodies. */
const syntax = fc.constantFrom(
  "<",
  ">",
  "</",
  "/>",
  "&",
  "&amp;",
  "&#0;",
  "&#xFFFFFF;",
  "<!--",
  "-->",
  "<![CDATA[",
  "]]>",
  "<?xml ",
  "<!DOCTYPE x [<!ENTITY a 'b'>]>",
  "<__proto__>",
  "</__proto__>",
  "<constructor/>",
  "<Error>",
  "</Error>",
  "<Code>",
  "</Code>",
  '"',
  "'",
  "=",
  "\u0000",
  "\uFEFF",
  "\uD800",
  "xmlns:a='x'",
  "<a:Code>"
)

const junk = fc.oneof(syntax, fc.string({ maxLength: 12 }), fc.string({ unit: "binary", maxLength: 12 }))

/** A valid text with one mutation: truncated, cut, spliced, doubled or case-flipped (or a few splices). */
export const mutationsOf = (valid: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(valid, fc.nat()).map(([body, at]) => body.slice(0, at % (body.length + 1))),
    fc.tuple(valid, fc.nat(), fc.nat({ max: 64 })).map(([body, at, length]) => {
      const start = at % (body.length + 1)
      return body.slice(0, start) + body.slice(start + length)
    }),
    fc.tuple(valid, fc.nat(), junk).map(([body, at, piece]) => {
      const i = at % (body.length + 1)
      return body.slice(0, i) + piece + body.slice(i)
    }),
    fc.tuple(valid, fc.nat(), fc.nat({ max: 200 })).map(([body, at, length]) => {
      const start = at % (body.length + 1)
      return body.slice(0, start) + body.slice(start, start + length).repeat(2) + body.slice(start + length)
    }),
    valid.map((body) => body.toUpperCase()),
    fc.tuple(valid, fc.array(fc.tuple(fc.nat(), junk), { maxLength: 6 })).map(([body, edits]) =>
      edits.reduce((acc, [at, piece]) => {
        const i = at % (acc.length + 1)
        return acc.slice(0, i) + piece + acc.slice(i)
      }, body)
    )
  )

/** An error body with one mutation. */
export const mutatedBody: fc.Arbitrary<string> = mutationsOf(valid)

/** Any text at all: graphemes, binary-ish strings, XML-looking soup. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.array(junk, { maxLength: 40 }).map((parts) => parts.join(""))
)

/** Bodies as bytes: random bytes, and valid bodies with bytes flipped. */
export const anyBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }))
    .map(([body, flips]) => {
      const bytes = new TextEncoder().encode(body)
      for (const [at, value] of flips) bytes[at % bytes.length] = value
      return bytes
    })
)

/** Statuses, including ones no server should send. */
export const anyStatus: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(200, 400, 401, 403, 404, 429, 500, 502, 503, 504),
  fc.integer({ min: 0, max: 999 })
)

/** Headers with odd casing and odd values. */
export const anyHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    "X-Mws-Request-Id": fc.string({ maxLength: 40 }),
    "x-mws-quota-max": fc.oneof(fc.constant("80.0"), fc.string({ maxLength: 10 })),
    "x-mws-quota-resetsOn": fc.oneof(fc.constant("Wed, 06 Mar 2013 19:07:58 GMT"), fc.string({ maxLength: 30 })),
    "retry-after": fc.oneof(fc.constant("30"), fc.string({ maxLength: 30 })),
    "content-type": fc.constantFrom("text/xml", "text/html", "application/json", "")
  },
  { requiredKeys: [] }
)

/** A whole response input. */
export const anyResponse = fc.record({
  body: fc.oneof(mutatedBody, anyText, anyBytes),
  status: anyStatus,
  headers: anyHeaders
})
