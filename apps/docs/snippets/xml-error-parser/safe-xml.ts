// #region safe-xml
import { SafeXml } from "@mws-kit/xml-error-parser"
import { XMLParser } from "fast-xml-parser"

const parser = new XMLParser({
  ...SafeXml.parserOptions({ maxDepth: 64, attributes: true }),
  tagValueProcessor: (_name, value) => SafeXml.decodeEntities(value),
  attributeValueProcessor: (_name, value) => SafeXml.decodeEntities(value)
})

/** A success body as a tree, or `undefined` for a body that declares a DOCTYPE or entities. */
export const parseSuccessBody = (text: string): unknown =>
  SafeXml.hasDeclaration(text) ? undefined : parser.parse(text)
// #endregion safe-xml
