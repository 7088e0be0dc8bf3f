/**
 * Benchmark: this parser (body + status + headers -> typed error) against
 * plain XML parsers on the same corpus of typical MWS error bodies, and the
 * time it takes to reject hostile inputs. Prints ratios and writes
 * bench-results/xml-error-parser.json.
 *
 *   pnpm --filter @mws-kit/xml-error-parser bench
 *
 * Baselines, each with its recommended default settings and reused parser
 * instances: fast-xml-parser's `new XMLParser().parse` (defaults), xml2js's
 * `Parser#parseString` (defaults; what most peer MWS clients use), and the AWS
 * SDK's own XML parser (`@aws-sdk/xml-builder` `parseXML`). The baselines only
 * parse; ours also checks well-formedness, reads headers, classifies and
 * builds the typed error, and must still be faster than the AWS SDK's parser
 * (`ratio_vs_aws_sdk` >= 1.2). A second figure: a 4 KiB Products success
 * body with item errors through `ItemErrors.fromSuccessBody` against the
 * same baselines. A third: reading a success body into its tree
 * (`XmlDocument.read`, one pass that also checks well-formedness) against
 * what the client did before, fast-xml-parser's validator then its parser
 * with the client's hardened options (`SafeXml.parserOptions`, entities
 * decoded by `SafeXml.decodeEntities`), on a 1 KiB ListOrderItems body and
 * on the 4 KiB Products body.
 */
import { isDeepStrictEqual } from "node:util"
import { parseXML } from "@aws-sdk/xml-builder"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import xml2js from "xml2js"
import { writeBenchResult } from "../../../scripts/bench-results.ts"
import { ErrorResponse, ItemErrors, SafeXml, XmlDocument } from "../src/index.ts"
import { listOrderItems, productsWithItemErrors, validBodies } from "../test/fixtures/bodies.ts"

/** Typical error bodies: the fixtures between 290 and 700 bytes (nine shapes). */
const corpus = validBodies
  .map((body) => body.replace(/^\uFEFF/, "")) // the AWS parser rejects a byte-order mark; give every parser clean text
  .filter((body) => {
    const bytes = Buffer.byteLength(body)
    return bytes >= 290 && bytes <= 700
  })
const headers = {
  "x-mws-request-id": "b7afc6c3-6f75-4707-bcf4-0475ad23162c",
  "x-mws-timestamp": "2026-11-25T10:00:00.412Z",
  "content-type": "text/xml"
}
/** Rounds of each candidate, interleaved; the median is kept. */
const ROUNDS = 15
/** Passes over the corpus per round. */
const PASSES = 1500

let sink = 0
const fxp = new XMLParser()
const xml2jsParser = new xml2js.Parser()

const candidates: Record<string, (body: string) => unknown> = {
  "mws-kit": (body) => ErrorResponse.parse({ body, status: 400, headers }),
  "fast-xml-parser": (body) => fxp.parse(body),
  xml2js: (body) => {
    let out: unknown
    xml2jsParser.parseString(body, (error: unknown, result: unknown) => {
      if (error) throw error
      out = result
    })
    if (out === undefined) throw new Error("xml2js did not answer synchronously")
    return out
  },
  "aws-sdk": (body) => parseXML(body)
}

const opsPerSecond = (
  run: (body: string) => unknown,
  bodies: ReadonlyArray<string> = corpus,
  passes = PASSES
): number => {
  const started = performance.now()
  for (let pass = 0; pass < passes; pass++) {
    for (const body of bodies) {
      const out = run(body)
      if (out !== undefined) sink++
    }
  }
  return (passes * bodies.length) / ((performance.now() - started) / 1000)
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

// Warm up every candidate, then interleave rounds so drift hits all alike.
for (const run of Object.values(candidates)) opsPerSecond(run)
const samples: Record<string, Array<number>> = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]))
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(candidates)
  const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)]
  for (const name of order) samples[name]!.push(opsPerSecond(candidates[name]!))
}
const throughput = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]))

/** A Products 200 of about 4 KiB: the fixture's results (one good, two failed items) repeated. */
const ITEM_ERRORS_BODY_BYTES = 4096
const itemBody = (() => {
  const first = productsWithItemErrors.indexOf("<GetMatchingProductForIdResult")
  const metadata = productsWithItemErrors.indexOf("<ResponseMetadata>")
  if (first === -1 || metadata < first) throw new Error("the Products fixture changed shape")
  const results = productsWithItemErrors.slice(first, metadata)
  let body = productsWithItemErrors
  while (Buffer.byteLength(body) + Buffer.byteLength(results) <= ITEM_ERRORS_BODY_BYTES) {
    body = body.replace("<ResponseMetadata>", `${results}<ResponseMetadata>`)
  }
  return body
})()
/** Passes per round over the one 4 KiB body: about as long a round as the corpus's. */
const ITEM_PASSES = 4000
const itemCandidates: Record<string, (body: string) => unknown> = {
  "mws-kit": (body) => ItemErrors.fromSuccessBody({ body, status: 200, headers }),
  "fast-xml-parser": candidates["fast-xml-parser"]!,
  xml2js: candidates.xml2js!,
  "aws-sdk": candidates["aws-sdk"]!
}
const itemErrorCount = (() => {
  const result = ItemErrors.fromSuccessBody({ body: itemBody, status: 200, headers })
  if (result._tag !== "Success" || result.success.length === 0) throw new Error("the 4 KiB body has no item errors")
  return result.success.length
})()
for (const run of Object.values(itemCandidates)) opsPerSecond(run, [itemBody], ITEM_PASSES)
const itemSamples: Record<string, Array<number>> = Object.fromEntries(Object.keys(itemCandidates).map((n) => [n, []]))
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(itemCandidates)
  const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)]
  for (const name of order) itemSamples[name]!.push(opsPerSecond(itemCandidates[name]!, [itemBody], ITEM_PASSES))
}
const itemThroughput = Object.fromEntries(Object.entries(itemSamples).map(([name, values]) => [name, median(values)]))

// Success bodies into trees: XmlDocument.read against fast-xml-parser's validator + parser, the client's options.
/** The reference client's nesting cap (ResponseBody.MAX_DEPTH), given to both. */
const SUCCESS_MAX_DEPTH = 64
const clientParser = new XMLParser({
  ...SafeXml.parserOptions({ maxDepth: SUCCESS_MAX_DEPTH, attributes: true }),
  tagValueProcessor: (_name: string, value: string) => SafeXml.decodeEntities(value),
  attributeValueProcessor: (_name: string, value: string) => SafeXml.decodeEntities(value)
})
const treeCandidates: Record<string, (body: string) => unknown> = {
  "mws-kit": (body) => XmlDocument.read(body, { maxDepth: SUCCESS_MAX_DEPTH }),
  "fast-xml-parser": (body) => (XMLValidator.validate(body) === true ? clientParser.parse(body) : undefined)
}
/** Passes per round: about as long a round as the corpus's. */
const TREE_PASSES: Readonly<Record<string, number>> = { "1kib": 12_000, "4kib": 4000 }
const treeBodies: Readonly<Record<string, string>> = { "1kib": listOrderItems, "4kib": itemBody }
const treeThroughput: Record<string, Record<string, number>> = {}
for (const [size, body] of Object.entries(treeBodies)) {
  const read = XmlDocument.read(body, { maxDepth: SUCCESS_MAX_DEPTH })
  const parsed = clientParser.parse(body) as Record<string, unknown>
  if (read._tag !== "Parsed" || !isDeepStrictEqual(read.document, parsed[read.root])) {
    throw new Error(`the ${size} body reads differently from fast-xml-parser`)
  }
  const passes = TREE_PASSES[size]!
  for (const run of Object.values(treeCandidates)) opsPerSecond(run, [body], passes)
  const rounds: Record<string, Array<number>> = { "mws-kit": [], "fast-xml-parser": [] }
  for (let round = 0; round < ROUNDS; round++) {
    const names = round % 2 === 0 ? ["mws-kit", "fast-xml-parser"] : ["fast-xml-parser", "mws-kit"]
    for (const name of names) rounds[name]!.push(opsPerSecond(treeCandidates[name]!, [body], passes))
  }
  treeThroughput[size] = Object.fromEntries(Object.entries(rounds).map(([name, values]) => [name, median(values)]))
}

// Hostile inputs: the time to reject each, default limits and with the size cap raised to 2 MiB.
const MiB = 1024 * 1024
const garbage = new Uint8Array(MiB).map((_, i) => (i * 2654435761) >>> 24)
const deep = `<ErrorResponse>${"<a>".repeat(10_000)}x${"</a>".repeat(10_000)}</ErrorResponse>`
const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
  { length: 9 },
  (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`
).join("")}]><ErrorResponse><Error><Code>&lol9;</Code></Error></ErrorResponse>`
const oneError = "<Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>bad value</Message></Error>"
const validLooking = `<ErrorResponse>${oneError.repeat(Math.floor(MiB / oneError.length))}<RequestId>r</RequestId></ErrorResponse>`
// Many short text runs and many attributes: the shapes that make a reader that searches ahead from every position quadratic.
const shortElements = `<ErrorResponse>${"<a>x</a>".repeat(Math.floor(MiB / 8))}</ErrorResponse>`
const attributes = `<ErrorResponse ${Array.from({ length: 100_000 }, (_, i) => `a${i}="v"`).join(" ")}/>`
const hostile: Record<string, string | Uint8Array> = {
  "1 MiB of garbage": garbage,
  "10,000-deep nesting": deep,
  "entity bomb": laughs,
  "1 MiB of valid-looking XML": validLooking,
  "1 MiB of short elements": shortElements,
  "100,000 attributes": attributes
}

const rejectMs = (body: string | Uint8Array, options: ErrorResponse.ParseOptions): { ms: number; outcome: string } => {
  const times: Array<number> = []
  let outcome = ""
  for (let i = 0; i < 7; i++) {
    const started = performance.now()
    const result = ErrorResponse.toError({ body, status: 400 }, options)
    times.push(performance.now() - started)
    outcome = result._tag === "UnparseableErrorBody" ? result.reason : `parsed: ${result.code}`
  }
  return { ms: median(times), outcome }
}

const hostileDefault = Object.fromEntries(Object.entries(hostile).map(([name, body]) => [name, rejectMs(body, {})]))
const hostileRaised = Object.fromEntries(
  Object.entries(hostile).map(([name, body]) => [name, rejectMs(body, { maxBodyBytes: 2 * MiB })])
)

const ratio = (baseline: string) => throughput["mws-kit"]! / throughput[baseline]!
const round3 = (value: number) => Math.round(value * 1000) / 1000
const itemRatio = (baseline: string) => itemThroughput["mws-kit"]! / itemThroughput[baseline]!
const figures = {
  ratio_vs_aws_sdk: round3(ratio("aws-sdk")),
  ratio_vs_fast_xml_parser: round3(ratio("fast-xml-parser")),
  ratio_vs_xml2js: round3(ratio("xml2js")),
  hostile_max_ms: round3(Math.max(...Object.values(hostileDefault).map((h) => h.ms))),
  hostile_max_ms_size_cap_2mib: round3(Math.max(...Object.values(hostileRaised).map((h) => h.ms))),
  ops_per_s_mws_kit: Math.round(throughput["mws-kit"]!),
  ops_per_s_fast_xml_parser: Math.round(throughput["fast-xml-parser"]!),
  ops_per_s_xml2js: Math.round(throughput.xml2js!),
  ops_per_s_aws_sdk: Math.round(throughput["aws-sdk"]!),
  corpus_bodies: corpus.length,
  item_errors_4kib_ops_per_s_mws_kit: Math.round(itemThroughput["mws-kit"]!),
  item_errors_4kib_ops_per_s_fast_xml_parser: Math.round(itemThroughput["fast-xml-parser"]!),
  item_errors_4kib_ops_per_s_xml2js: Math.round(itemThroughput.xml2js!),
  item_errors_4kib_ops_per_s_aws_sdk: Math.round(itemThroughput["aws-sdk"]!),
  item_errors_4kib_ratio_vs_fast_xml_parser: round3(itemRatio("fast-xml-parser")),
  item_errors_4kib_ratio_vs_aws_sdk: round3(itemRatio("aws-sdk")),
  item_errors_4kib_body_bytes: Buffer.byteLength(itemBody),
  item_errors_4kib_item_errors: itemErrorCount,
  ...Object.fromEntries(
    Object.entries(treeThroughput).flatMap(([size, rates]) => [
      [`success_tree_${size}_ops_per_s_mws_kit`, Math.round(rates["mws-kit"]!)],
      [`success_tree_${size}_ops_per_s_fast_xml_parser`, Math.round(rates["fast-xml-parser"]!)],
      [`success_tree_${size}_ratio_vs_fast_xml_parser`, round3(rates["mws-kit"]! / rates["fast-xml-parser"]!)],
      [`success_tree_${size}_body_bytes`, Buffer.byteLength(treeBodies[size]!)]
    ])
  )
}

console.log(
  `corpus: ${corpus.length} bodies, ${Math.min(...corpus.map((b) => Buffer.byteLength(b)))}-${Math.max(...corpus.map((b) => Buffer.byteLength(b)))} bytes; median of ${ROUNDS} interleaved rounds`
)
for (const [name, value] of Object.entries(throughput)) {
  console.log(`  ${name.padEnd(16)} ${Math.round(value).toString().padStart(8)} bodies/s`)
}
console.log(`ratio vs aws-sdk parser:  ${figures.ratio_vs_aws_sdk} (target >= 1.2)`)
console.log(`ratio vs fast-xml-parser: ${figures.ratio_vs_fast_xml_parser} (target >= 0.8)`)
console.log(
  `ratio vs xml2js:          ${figures.ratio_vs_xml2js} (no target: xml2js is not the bar for bodies this small)`
)
console.log(
  `4 KiB success body with ${itemErrorCount} item errors (${figures.item_errors_4kib_body_bytes} bytes), ItemErrors.fromSuccessBody:`
)
for (const [name, value] of Object.entries(itemThroughput)) {
  console.log(`  ${name.padEnd(16)} ${Math.round(value).toString().padStart(8)} bodies/s`)
}
for (const [size, rates] of Object.entries(treeThroughput)) {
  const bytes = Buffer.byteLength(treeBodies[size]!)
  console.log(
    `success body into a tree, ${bytes} bytes: XmlDocument.read ${Math.round(rates["mws-kit"]!)}/s, fast-xml-parser validate + parse ${Math.round(rates["fast-xml-parser"]!)}/s, ratio ${round3(rates["mws-kit"]! / rates["fast-xml-parser"]!)}`
  )
}
console.log("hostile inputs (median of 7), default limits | size cap raised to 2 MiB:")
for (const name of Object.keys(hostile)) {
  const a = hostileDefault[name]!
  const b = hostileRaised[name]!
  console.log(`  ${name.padEnd(28)} ${a.ms.toFixed(3)} ms (${a.outcome}) | ${b.ms.toFixed(3)} ms (${b.outcome})`)
}
console.log(
  `hostile_max_ms: ${figures.hostile_max_ms} (target <= 5); with a 2 MiB cap: ${figures.hostile_max_ms_size_cap_2mib}`
)

writeBenchResult({
  name: "xml-error-parser",
  figures,
  targets: {
    ratio_vs_aws_sdk: { target: ">= 1.2", met: figures.ratio_vs_aws_sdk >= 1.2 },
    ratio_vs_fast_xml_parser: { target: ">= 0.8", met: figures.ratio_vs_fast_xml_parser >= 0.8 },
    hostile_max_ms: { target: "<= 5", met: figures.hostile_max_ms <= 5 }
  },
  notes: [
    `corpus: ${corpus.length} MWS error bodies of several shapes (fixtures), ${Math.min(...corpus.map((b) => Buffer.byteLength(b)))}-${Math.max(...corpus.map((b) => Buffer.byteLength(b)))} bytes`,
    "mws-kit: ErrorResponse.parse with status and three headers, producing a typed MwsError; well-formedness checked by its one-pass reader (no separate validator pass)",
    `item errors: ItemErrors.fromSuccessBody on a ${Buffer.byteLength(itemBody)}-byte Products body with ${itemErrorCount} item errors (read by XmlDocument since 0.2.0; fast-xml-parser parse + validator before), ${ITEM_PASSES} passes per round, same baselines`,
    `success_tree_*: XmlDocument.read (maxDepth ${SUCCESS_MAX_DEPTH}) against XMLValidator.validate then XMLParser.parse with the reference client's options (SafeXml.parserOptions with attributes, SafeXml.decodeEntities as tag and attribute value processors), one reused parser; same tree; on a ${Buffer.byteLength(listOrderItems)}-byte ListOrderItems body (${TREE_PASSES["1kib"]} passes per round) and the ${Buffer.byteLength(itemBody)}-byte Products body (${TREE_PASSES["4kib"]} passes); median of ${ROUNDS} alternating rounds`,
    "the xml2js target (>= 3) was retired: it assumed a tree parser's cost dominates, which does not hold for bodies of a few hundred bytes; xml2js stays as a reported figure",
    "baselines with default options and reused instances: fast-xml-parser 5.12.1 XMLParser.parse, xml2js 0.6.2 Parser#parseString, @aws-sdk/xml-builder 3.972.43 parseXML",
    `throughput: median of ${ROUNDS} interleaved rounds of ${PASSES} passes over the corpus`,
    "hostile: median of 7 runs per input; hostile_max_ms uses the default limits (64 KiB size cap); the 2 MiB figure shows the cost when the cap is raised"
  ]
})
if (sink === 0) console.log("(sink)")
