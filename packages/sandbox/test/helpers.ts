import { Signature } from "@mws-kit/wire-format"
import { Sandbox, Sections } from "../src/index.ts"

export interface CallOptions {
  readonly section: string
  readonly operation: string
  readonly params?: Readonly<Record<string, string>>
  readonly method?: "GET" | "POST"
  /** A feed: parameters then go in the query string and this in the body. */
  readonly feed?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly credential?: Sandbox.Credential
  readonly timestamp?: string
  readonly userAgent?: string | null
  readonly signatureMethod?: Signature.SignatureMethod
  /** Replaces the computed signature. */
  readonly signature?: string
  /** Drops a parameter after signing. */
  readonly omit?: ReadonlyArray<string>
  readonly path?: string
  readonly sellerId?: string
  /** Sees the status and headers before the body is read (a body that breaks off still has them). */
  readonly onHeaders?: (status: number, headers: Headers) => void
}

export interface CallResult {
  readonly status: number
  readonly headers: Headers
  readonly body: string
}

/** A minimal signing client, written for the tests from the documented algorithm. */
export const call = async (sandbox: Sandbox.SandboxHandle, options: CallOptions): Promise<CallResult> => {
  const section = Sections.byNameOf(options.section)
  const path =
    options.path ?? (section === undefined ? `/${options.section}/2000-01-01` : `/${section.name}/${section.version}`)
  const credential = options.credential ?? Sandbox.DEFAULT_CREDENTIAL
  const method = options.method ?? "POST"
  const params = new Map<string, string>([
    ["AWSAccessKeyId", credential.accessKeyId],
    ["Action", options.operation],
    ["SellerId", options.sellerId ?? Sandbox.DEFAULT_SELLER_ID],
    ["SignatureMethod", options.signatureMethod ?? "HmacSHA256"],
    ["SignatureVersion", "2"],
    ["Timestamp", options.timestamp ?? new Date().toISOString()],
    ["Version", section?.version ?? "2000-01-01"],
    ...Object.entries(options.params ?? {})
  ])
  const inQuery = method === "GET" || options.feed !== undefined
  const signature =
    options.signature ??
    Signature.sign(
      { method, host: sandbox.host, path, params },
      credential.secretKey,
      options.signatureMethod ?? "HmacSHA256"
    )
  params.set("Signature", signature)
  for (const name of options.omit ?? []) params.delete(name)
  const encoded = [...params].map(([name, value]) => `${Signature.encode(name)}=${Signature.encode(value)}`).join("&")
  const headers: Record<string, string> = { ...options.headers }
  if (options.userAgent !== null)
    headers["user-agent"] = options.userAgent ?? "mws-kit-tests/1.0 (Language=TypeScript; Platform=Node)"
  const response = await fetch(`${sandbox.url}${path}${inQuery ? `?${encoded}` : ""}`, {
    method,
    headers: inQuery ? headers : { ...headers, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    ...(method === "POST" ? { body: inQuery ? (options.feed ?? "") : encoded } : {})
  })
  options.onHeaders?.(response.status, response.headers)
  return { status: response.status, headers: response.headers, body: await response.text() }
}
