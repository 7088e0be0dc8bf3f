// #region raw
import { Sandbox, Sections } from "@mws-kit/sandbox"
import { Signature } from "@mws-kit/wire-format"

/** GetServiceStatus of the Orders section, signed by hand with Signature Version 2. */
export const getServiceStatus = async (sandbox: Sandbox.SandboxHandle) => {
  const section = Sections.byNameOf("Orders")!
  const path = `/${section.name}/${section.version}` // "/Orders/2013-09-01"
  const { accessKeyId, secretKey } = Sandbox.DEFAULT_CREDENTIAL
  const params = new Map([
    ["AWSAccessKeyId", accessKeyId],
    ["Action", "GetServiceStatus"],
    ["SellerId", Sandbox.DEFAULT_SELLER_ID],
    ["SignatureMethod", "HmacSHA256"],
    ["SignatureVersion", "2"],
    ["Timestamp", new Date().toISOString()],
    ["Version", section.version]
  ])
  params.set("Signature", Signature.sign({ method: "POST", host: sandbox.host, path, params }, secretKey))
  const response = await fetch(`${sandbox.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      "user-agent": "my-app/1.0 (Language=TypeScript; Platform=Node)"
    },
    body: [...params].map(([name, value]) => `${Signature.encode(name)}=${Signature.encode(value)}`).join("&")
  })
  return { status: response.status, requestId: response.headers.get("x-mws-request-id"), body: await response.text() }
}
// #endregion raw
