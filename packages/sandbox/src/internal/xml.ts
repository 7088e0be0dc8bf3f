/** Escapes text for an XML element or attribute. @internal */
export const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (char) =>
    char === "<" ? "&lt;" : char === ">" ? "&gt;" : char === "&" ? "&amp;" : char === '"' ? "&quot;" : "&apos;"
  )

/** An element with escaped text content. @internal */
export const element = (name: string, text: string): string => `<${name}>${escapeXml(text)}</${name}>`
