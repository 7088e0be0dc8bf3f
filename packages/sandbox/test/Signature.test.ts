import { assert, describe, it } from "@effect/vitest"
import { Signature } from "@mws-kit/wire-format"
import { Signature as FromIndex } from "../src/index.ts"
import * as FromModule from "../src/Signature.ts"

describe("Signature (deprecated re-export)", () => {
  it("is @mws-kit/wire-format's Signature, one implementation, from the index and as a module", () => {
    for (const exported of [FromIndex, FromModule]) {
      assert.strictEqual(exported.sign, Signature.sign)
      assert.strictEqual(exported.verify, Signature.verify)
      assert.strictEqual(exported.encode, Signature.encode)
      assert.strictEqual(exported.canonicalQuery, Signature.canonicalQuery)
      assert.strictEqual(exported.stringToSign, Signature.stringToSign)
      assert.strictEqual(exported.isSignatureMethod, Signature.isSignatureMethod)
      assert.strictEqual(exported.METHODS, Signature.METHODS)
    }
  })
})
