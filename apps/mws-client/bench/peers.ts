/**
 * Two peer clients, emulated as mws-facts section 5 describes their retry
 * behaviour (no client-side throttling in either):
 *
 * - the official PHP client libraries, 2013+ generation (PHP-OFF
 *   `MarketplaceWebServiceOrders/Client.php`): retry HTTP 500 only, up to 3
 *   times, sleeping 4^n x 100 ms (0.4 s, 1.6 s, 6.4 s); a 503 is thrown at once;
 * - the official C# runtime (CS-OFF `MwsAQCall.invoke`): retry every non-2xx
 *   (every WebException, so throttled 503s too), up to 3 times, sleeping
 *   4^n x 125 ms (125 ms, 500 ms, 2 s).
 *
 * Both sign with the same Signature Version 2 code as mws-kit and send with
 * fetch; their waits are time-scaled like the quotas.
 */
import { Redacted } from "effect"
import { RequestSigner } from "../src/index.ts"

export interface PeerOutcome {
  readonly ok: boolean
  readonly throttled503: number
}

export interface Peer {
  readonly name: string
  /** Whether to retry after this status, given the retries already made. */
  readonly retryAfter: (status: number, retries: number) => number | undefined
}

const MAX_ERROR_RETRY = 3

export const php: Peer = {
  name: "php",
  retryAfter: (status, retries) => (status === 500 && retries < MAX_ERROR_RETRY ? 4 ** (retries + 1) * 100 : undefined)
}

export const csharp: Peer = {
  name: "csharp",
  retryAfter: (status, retries) => (status >= 300 && retries < MAX_ERROR_RETRY ? 4 ** retries * 125 : undefined)
}

export interface PeerTarget {
  readonly url: string
  readonly accessKeyId: string
  readonly secretKey: string
  readonly sellerId: string
  readonly userAgent: string
  readonly timeScale: number
}

/** One call the way the peer makes it: sign, POST, retry by its rule. */
export const call = async (
  peer: Peer,
  target: PeerTarget,
  operation: {
    readonly section: string
    readonly action: string
    readonly version: string
    readonly params: ReadonlyArray<readonly [string, string]>
  }
): Promise<PeerOutcome> => {
  let throttled503 = 0
  for (let retries = 0; ; retries++) {
    const signed = RequestSigner.sign({
      method: "POST",
      endpoint: target.url,
      path: `/${operation.section}/${operation.version}`,
      action: operation.action,
      version: operation.version,
      params: operation.params,
      credentials: {
        accessKeyId: target.accessKeyId,
        secretKey: Redacted.make(target.secretKey),
        sellerId: target.sellerId
      },
      timestamp: new Date().toISOString()
    })
    let status: number
    try {
      const response = await fetch(signed.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", "user-agent": target.userAgent },
        body: Redacted.value(signed.encoded)
      })
      const body = await response.text()
      status = response.status
      if (status === 503 && body.includes("RequestThrottled")) throttled503++
    } catch {
      status = 0
    }
    if (status >= 200 && status < 300) return { ok: true, throttled503 }
    const wait = peer.retryAfter(status, retries)
    if (wait === undefined) return { ok: false, throttled503 }
    await new Promise((resolve) => setTimeout(resolve, wait / target.timeScale))
  }
}
