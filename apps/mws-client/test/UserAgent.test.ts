import { assert, describe, it } from "@effect/vitest"
import { UserAgent } from "../src/index.ts"

describe("UserAgent", () => {
  it("is AppId/AppVersionId (Language=...; Name=Value)", () => {
    assert.strictEqual(
      UserAgent.make({ application: "Repricer", version: "2.1", attributes: [["Platform", "Linux"]] }),
      "Repricer/2.1 (Language=TypeScript; Platform=Linux)"
    )
    assert.match(UserAgent.defaultUserAgent(), /^mws-kit\/\d+\.\d+\.\d+ \(Language=TypeScript; Platform=Node\/v\d+/)
    assert.isTrue(UserAgent.defaultUserAgent().startsWith(`mws-kit/${UserAgent.LIBRARY.version} `))
  })

  it("escapes as the MWS docs say", () => {
    assert.strictEqual(UserAgent.escapeApplication("A/B\\C"), "A\\/B\\\\C")
    assert.strictEqual(UserAgent.escapeVersion("1(beta)"), "1\\(beta)")
    assert.strictEqual(UserAgent.escapeAttributeName("a=b"), "a\\=b")
    assert.strictEqual(UserAgent.escapeAttributeValue("x;y)z\\"), "x\\;y\\)z\\\\")
    assert.strictEqual(
      UserAgent.make({ application: "My/App", version: "1(2)", attributes: [["Host", "a;b)"]] }),
      "My\\/App/1\\(2) (Language=TypeScript; Host=a\\;b\\))"
    )
  })

  it("refuses an empty name or a header over 500 characters", () => {
    assert.throws(() => UserAgent.make({ application: " ", version: "1" }), /application name/)
    assert.throws(() => UserAgent.make({ application: "a", version: "1", attributes: [["X", "y".repeat(500)]] }), /500/)
  })
})
