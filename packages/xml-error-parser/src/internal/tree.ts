/** A node of an `XmlDocument` tree: a string for text-only elements, an object otherwise. @internal */
export type Node = unknown

/** The children of an element as a record, or `undefined` for text and nothing. @internal */
export const record = (node: Node): Record<string, unknown> | undefined =>
  typeof node === "object" && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined

/** Repeated elements are arrays in the tree, single ones are not: always an array. @internal */
export const list = (node: Node): ReadonlyArray<unknown> =>
  node === undefined ? [] : Array.isArray(node) ? node : [node]

/**
 * The text of an element, trimmed (the tree holds it decoded already): a
 * string element as is, an element with attributes or mixed content through
 * its `#text`, anything else `undefined`.
 *
 * @internal
 */
export const text = (node: Node): string | undefined => {
  if (typeof node === "string") return node.trim()
  const fields = record(node)
  const inner = fields?.["#text"]
  return typeof inner === "string" ? inner.trim() : fields === undefined ? undefined : ""
}

/** The first child with one of the names, as text. @internal */
export const childText = (node: Node, ...names: ReadonlyArray<string>): string | undefined => {
  const fields = record(node)
  if (fields === undefined) return undefined
  for (const name of names) {
    const value = fields[name]
    if (value !== undefined) return text(Array.isArray(value) ? value[0] : value)
  }
  return undefined
}
