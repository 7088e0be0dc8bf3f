// #region fleet
import { RedisStore, Throttle } from "@mws-kit/throttle"
import { Layer } from "effect"
import type { Redis } from "effect/persistence"

// Every process of the seller builds the same layer: buckets live in Redis, decided by one Lua script each.
export const ThrottleFleet: Layer.Layer<Throttle.Throttle, never, Redis.Redis> = Throttle.Throttle.layer({
  developerId: "1234-5678-9012",
  jitterAllowance: "150 millis"
}).pipe(Layer.provide(RedisStore.layer({ prefix: "myapp:throttle:", timeout: "2 seconds" })))
// #endregion fleet
