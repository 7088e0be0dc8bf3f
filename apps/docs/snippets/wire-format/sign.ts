// #region sign
import { Signature } from "@mws-kit/wire-format"

const params = new Map([
  ["AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"],
  ["Action", "GetServiceStatus"],
  ["SellerId", "A1EXAMPLESELLER"],
  ["SignatureMethod", "HmacSHA256"],
  ["SignatureVersion", "2"],
  ["Timestamp", "2026-11-25T10:00:00Z"],
  ["Version", "2013-09-01"]
])
const request = { method: "POST", host: "mws.amazonservices.com", path: "/Orders/2013-09-01", params }

const stringToSign = Signature.stringToSign(request)
// "POST\nmws.amazonservices.com\n/Orders/2013-09-01\nAWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=GetServiceStatus&..."

const signature = Signature.sign(request, "my-secret-key") // base64 HMAC-SHA256 (HmacSHA1 on request)
params.set("Signature", signature) // canonicalQuery leaves Signature out, so the map can carry it

const valid = Signature.verify(request, "my-secret-key", "HmacSHA256", signature) // true, in constant time
const encoded = Signature.encode("a b*c~d!'()") // "a%20b%2Ac~d%21%27%28%29": RFC 3986, as MWS wants it
// #endregion sign

export const results = { stringToSign, signature, valid, encoded }
