import { assert, describe, it } from "@effect/vitest"
import { Signature } from "@mws-kit/wire-format"
import { Redacted } from "effect"
import { RequestSigner } from "../src/index.ts"

const credentials = {
  accessKeyId: "AKIAEXAMPLE",
  secretKey: Redacted.make("the-secret"),
  sellerId: "A1SELLER",
  authToken: Redacted.make("amzn.mws.token-value")
}

const input = (params: ReadonlyArray<readonly [string, string]>, extra: Partial<RequestSigner.SignInput> = {}) => ({
  method: "POST" as const,
  endpoint: "https://mws.amazonservices.com",
  path: "/Orders/2013-09-01",
  action: "ListOrders",
  version: "2013-09-01",
  params,
  credentials,
  timestamp: "2026-11-25T10:00:00.000Z",
  ...extra
})

const decode = (encoded: string) =>
  encoded.split("&").map((pair) => {
    const [name, value] = pair.split("=")
    return [decodeURIComponent(name!), decodeURIComponent(value!)] as const
  })

describe("RequestSigner", () => {
  it("adds the required parameters and a signature the sandbox's verifier accepts", () => {
    const signed = RequestSigner.sign(input([["MarketplaceId.Id.1", "ATVPDKIKX0DER"]]))
    const params = decode(Redacted.value(signed.encoded))
    const names = params.map(([name]) => name)
    for (const required of [
      "AWSAccessKeyId",
      "Action",
      "SellerId",
      "SignatureMethod",
      "SignatureVersion",
      "Timestamp",
      "Version",
      "MWSAuthToken",
      "Signature"
    ]) {
      assert.include(names, required)
    }
    const signature = params.find(([name]) => name === "Signature")![1]
    assert.isTrue(
      Signature.verify(
        { method: "POST", host: "mws.amazonservices.com", path: "/Orders/2013-09-01", params },
        "the-secret",
        "HmacSHA256",
        signature
      )
    )
    assert.strictEqual(signed.placement, "form")
    assert.strictEqual(signed.url, "https://mws.amazonservices.com/Orders/2013-09-01")
  })

  it("encodes with RFC 3986: * and !'() encoded, ~ kept, space as %20", () => {
    const signed = RequestSigner.sign(input([["Note", "a*b~c!d'e(f) g"]]))
    assert.include(Redacted.value(signed.encoded), "Note=a%2Ab~c%21d%27e%28f%29%20g")
  })

  it("ignores a caller's values for reserved parameters; keeps a given SellerId or Merchant", () => {
    const signed = RequestSigner.sign(
      input([
        ["Signature", "forged"],
        ["Action", "DeleteEverything"],
        ["Merchant", "A2OTHER"]
      ])
    )
    const params = decode(Redacted.value(signed.encoded))
    assert.strictEqual(params.filter(([n]) => n === "Action").length, 1)
    assert.strictEqual(params.find(([n]) => n === "Action")![1], "ListOrders")
    assert.strictEqual(params.filter(([n]) => n === "Signature").length, 1)
    assert.isUndefined(params.find(([n]) => n === "SellerId"))
  })

  it("signs the host with its port, and puts parameters in the query when there is a body", () => {
    const signed = RequestSigner.sign(input([], { endpoint: "http://127.0.0.1:8080", hasBody: true }))
    assert.strictEqual(signed.host, "127.0.0.1:8080")
    assert.strictEqual(signed.placement, "query")
  })

  it("never shows the signature or the token when printed or serialised", () => {
    const signed = RequestSigner.sign(input([]))
    const shown = `${String(signed.encoded)} ${JSON.stringify(signed)}`
    assert.notInclude(shown, "amzn.mws.token-value")
    assert.notInclude(shown, "Signature=")
    assert.notInclude(shown, "the-secret")
  })
})

describe("RequestSigner against the sandbox's Signature", () => {
  it("computes exactly Signature.sign's signature and Signature.canonicalQuery's query, tricky values included", () => {
    const values = ["a*b", "~", "!'()", "sp ace+plus", "é日本🙂", "", "&=?/#%", "\u00a0nbsp"]
    const names = ["Zeta", "alpha", "Alpha", "ASINList.ASIN.10", "ASINList.ASIN.2", "Éclair", "a_b", "a-b", "a.b"]
    for (const [index, value] of values.entries()) {
      const params = names.map((name, i) => [name, `${value}${i}${index}`] as const)
      const signed = RequestSigner.sign(input(params))
      const sent = decode(Redacted.value(signed.encoded))
      const signature = sent.find(([name]) => name === "Signature")![1]
      const unsigned = sent.filter(([name]) => name !== "Signature")
      const request = { method: "POST", host: "mws.amazonservices.com", path: "/Orders/2013-09-01", params: unsigned }
      assert.strictEqual(signature, Signature.sign(request, "the-secret", "HmacSHA256"))
      assert.strictEqual(Redacted.value(signed.encoded).split("&Signature=")[0], Signature.canonicalQuery(unsigned))
    }
  })
})
