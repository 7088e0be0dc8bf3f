/**
 * node-redis under bounds: a connect that includes the handshake, a command
 * whose missing reply drops the connection, and a close that ends.
 *
 * node-redis on its own bounds only the TCP connect (`socket.connectTimeout`
 * stops at the `connect` event, before HELLO / AUTH / CLIENT SETINFO), never
 * a reply (its command timeout stops once the command is written: replies
 * are matched by position, so it cannot skip one), and `close()` waits for
 * every pending reply. Against a server that accepts and never answers, all
 * three wait forever.
 *
 * @internal
 */
import { Effect } from "effect"
import { Redis } from "effect/persistence"
import type { createClient } from "redis"
import { describeCause, redact } from "./redact.ts"

/** @internal */
export type Client = ReturnType<typeof createClient>

/**
 * A failure of the connection, its message free of credentials. It is the
 * `cause` of every `RedisError` this module raises (never the driver's own
 * error, which can hold the URL in its properties).
 *
 * @internal
 */
export class RedisConnectionFailure extends Error {
  override readonly name = "RedisConnectionFailure"
}

const dropReasons = new WeakMap<Client, string>()

/**
 * Destroys a client for `reason`, which the commands it fails then report
 * (instead of node-redis's bare "Disconnects client").
 *
 * @internal
 */
export const destroy = (client: Client, reason: string): void => {
  if (!dropReasons.has(client)) dropReasons.set(client, reason)
  client.destroy()
}

/** @internal */
export const redisError = (message: string): Redis.RedisError =>
  new Redis.RedisError({ cause: new RedisConnectionFailure(message) })

/**
 * Creates a client and connects it, the TCP connect and the handshake
 * together bounded by `timeoutMs`; on timeout, failure or interruption the
 * client is destroyed, including a socket whose TCP connect completes later.
 *
 * @internal
 */
export const connect = (options: {
  readonly create: () => Client
  readonly timeoutMs: number
  readonly target: string
  readonly secrets: ReadonlyArray<string>
  /** Every `error` event of the client after it connected (a listener is required: node-redis rethrows otherwise). */
  readonly onError: (message: string) => void
}): Effect.Effect<Client, Redis.RedisError> =>
  Effect.callback<Client, Redis.RedisError>((resume) => {
    let client: Client
    try {
      client = options.create()
    } catch (cause) {
      resume(
        Effect.fail(
          redisError(`cannot create a client for ${options.target}: ${redact(describeCause(cause), options.secrets)}`)
        )
      )
      return
    }
    let settled = false
    let abandoned = false
    const abandon = () => {
      abandoned = true
      client.destroy()
    }
    client.on("error", (cause: unknown) => {
      if (settled && !abandoned) options.onError(redact(describeCause(cause), options.secrets))
    })
    // destroy() during the TCP connect finds no socket yet; catch it when it arrives.
    client.on("connect", () => {
      if (abandoned) client.destroy()
    })
    const timer = setTimeout(() => {
      if (settled) return
      settled = true
      abandon()
      resume(
        Effect.fail(
          redisError(`no answer from ${options.target} within ${options.timeoutMs} ms (TCP connect and handshake)`)
        )
      )
    }, options.timeoutMs)
    client.connect().then(
      () => {
        clearTimeout(timer)
        if (settled) return
        settled = true
        resume(Effect.succeed(client))
      },
      (cause: unknown) => {
        clearTimeout(timer)
        if (settled) return
        settled = true
        abandon()
        resume(
          Effect.fail(
            redisError(`cannot connect to ${options.target}: ${redact(describeCause(cause), options.secrets)}`)
          )
        )
      }
    )
    return Effect.sync(() => {
      clearTimeout(timer)
      if (settled) return
      settled = true
      abandon()
    })
  })

/**
 * Sends one command. With `timeoutMs`, a reply that has not come within it
 * calls `onTimeout` (which must drop the connection: the replies behind a
 * missing one cannot be trusted) and fails the command; the timer runs even
 * when the caller was interrupted before, so an abandoned command never
 * stays waiting on a silent connection.
 *
 * @internal
 */
export const send = <A>(
  client: Client,
  args: ReadonlyArray<string>,
  options: {
    readonly timeoutMs: number | undefined
    readonly secrets: ReadonlyArray<string>
    readonly onTimeout: (message: string) => void
  }
): Effect.Effect<A, Redis.RedisError> =>
  Effect.callback<A, Redis.RedisError>((resume) => {
    const command = String(args[0] ?? "").toUpperCase()
    let timedOut: string | undefined
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = `no reply to ${command} within ${options.timeoutMs} ms: the connection was dropped`
            // Drop first: resuming may run the caller's next command at once, on this client.
            options.onTimeout(timedOut)
            resume(Effect.fail(redisError(timedOut)))
          }, options.timeoutMs)
    let reply: Promise<unknown>
    try {
      reply = client.sendCommand([...args])
    } catch (cause) {
      clearTimeout(timer)
      resume(Effect.fail(redisError(redact(describeCause(cause), options.secrets))))
      return
    }
    reply.then(
      (value) => {
        clearTimeout(timer)
        resume(Effect.succeed(value as A))
      },
      (cause: unknown) => {
        clearTimeout(timer)
        const dropped = dropReasons.get(client)
        const message =
          timedOut ??
          (dropped === undefined
            ? redact(describeCause(cause), options.secrets)
            : `the connection was dropped (${dropped})`)
        resume(Effect.fail(redisError(message)))
      }
    )
  })

/**
 * Closes a client: waits up to `timeoutMs` for the replies still due
 * (node-redis `close()`), then destroys the socket, failing whatever is
 * left. Never fails, never waits longer.
 *
 * @internal
 */
export const close = (client: Client, timeoutMs: number): Effect.Effect<void> =>
  Effect.callback<void>((resume) => {
    const done = () => {
      clearTimeout(timer)
      client.destroy()
      resume(Effect.void)
    }
    const timer = setTimeout(done, timeoutMs)
    try {
      client.close().then(done, done)
    } catch {
      done()
    }
    return Effect.sync(done)
  }).pipe(Effect.catchCause(() => Effect.void))

/**
 * How long to wait before connecting again after `failures` attempts in a
 * row failed: `baseMs` doubled per failure, at most `maxMs` (node-redis's
 * own schedule with its numbers, 50 ms to 2 s, without the jitter).
 *
 * @internal
 */
export const reconnectDelayMs = (failures: number, baseMs: number, maxMs: number): number =>
  failures <= 0 ? 0 : Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30))

/**
 * The message of a `RedisError` this module raised (already free of credentials).
 *
 * @internal
 */
export const failureMessage = (error: Redis.RedisError): string =>
  error.cause instanceof Error ? error.cause.message : String(error.cause)
