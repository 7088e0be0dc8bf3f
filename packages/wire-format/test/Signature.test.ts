import { assert, describe, it } from "@effect/vitest"
import { Signature } from "../src/index.ts"

describe("Signature", () => {
  it("encodes as RFC 3986, not as URLSearchParams or encodeURIComponent do", () => {
    assert.strictEqual(Signature.encode("AZaz09-_.~"), "AZaz09-_.~")
    assert.strictEqual(Signature.encode("a b"), "a%20b")
    assert.strictEqual(Signature.encode("*!'()"), "%2A%21%27%28%29")
    assert.strictEqual(Signature.encode("é€😀"), "%C3%A9%E2%82%AC%F0%9F%98%80")
    assert.strictEqual(Signature.encode("a+b/c=d&e"), "a%2Bb%2Fc%3Dd%26e")
    assert.notStrictEqual(new URLSearchParams({ v: "*~" }).toString(), `v=${Signature.encode("*~")}`)
  })

  it("sorts by name in byte order, keeps empty values and leaves out Signature", () => {
    const query = Signature.canonicalQuery([
      ["B", "a b"],
      ["Action", "ListOrders"],
      ["A", "*~"],
      ["Signature", "ignored"],
      ["a", ""],
      ["Empty", ""]
    ])
    assert.strictEqual(query, "A=%2A~&Action=ListOrders&B=a%20b&Empty=&a=")
  })

  it("builds the string to sign from the verb, lowercase host, path and canonical query", () => {
    assert.strictEqual(
      Signature.stringToSign({
        method: "post",
        host: "MWS.AmazonServices.com",
        path: "/Orders/2013-09-01",
        params: [["Action", "GetServiceStatus"]]
      }),
      "POST\nmws.amazonservices.com\n/Orders/2013-09-01\nAction=GetServiceStatus"
    )
    assert.strictEqual(Signature.stringToSign({ method: "GET", host: "h", path: "", params: [] }), "GET\nh\n/\n")
  })

  it("computes the documented HMAC (checked against an independent computation)", () => {
    const request = { method: "POST", host: "mws.amazonservices.com", path: "/", params: [["Action", "X"]] as const }
    // printf 'POST\nmws.amazonservices.com\n/\nAction=X' | openssl dgst -sha256 -hmac secret -binary | base64
    assert.strictEqual(Signature.sign(request, "secret", "HmacSHA256"), "hw9C3FsUyvj7+aDzz70hWYoLXqBHbpmiBfY95FXDyUk=")
    assert.strictEqual(Signature.sign(request, "secret", "HmacSHA1"), "CUz/UpDnnpjhJrgiCJpRCkp6Ejk=")
  })

  it("verifies its own signatures and rejects any change", () => {
    const params = [
      ["Action", "ListOrders"],
      ["Note", "spaces and * and ~ and é and 😀"],
      ["Empty", ""]
    ] as const
    const request = { method: "POST", host: "127.0.0.1:8080", path: "/Orders/2013-09-01", params }
    for (const method of ["HmacSHA256", "HmacSHA1"] as const) {
      const signature = Signature.sign(request, "secret", method)
      assert.isTrue(Signature.verify(request, "secret", method, signature))
      assert.isFalse(Signature.verify(request, "other", method, signature))
      assert.isFalse(Signature.verify({ ...request, path: "/Orders/2013-09-02" }, "secret", method, signature))
      assert.isFalse(Signature.verify({ ...request, params: [...params, ["Extra", "1"]] }, "secret", method, signature))
      assert.isFalse(Signature.verify(request, "secret", method, `${signature}x`))
    }
  })
})
