import { Redis } from "effect/persistence"

/**
 * The Redis side of the throttle: one Lua script that runs every store
 * action on one bucket hash, atomically, with the time taken from Redis
 * (`TIME`), never from the calling machine. It is a line-by-line transcription
 * of `Bucket.ts`, `HourlyQuota.ts` and `quotaState.ts`; the Redis test suite
 * runs the same behaviours against it as the memory store's suite.
 *
 * Hash fields: `fullAt` (the instant the bucket is full again), `used`,
 * `resetsAt`, `learnedMax`, `blockedUntil` (epoch ms, `%.17g` so fractions
 * round-trip). The key expires once its state no longer matters (bucket full,
 * hourly window over), so idle sellers cost nothing.
 *
 * Replies are arrays of strings (Redis truncates Lua numbers to integers):
 * `{"granted", now, tokens}`, `{"wait", now, waitMs, limitedBy}`, `{"ok", now}`,
 * `{"state", now, tokens, used, max, resetsAt, blockedUntil}`.
 *
 * @internal
 */
export const lua = `
local key = KEYS[1]
local action = ARGV[1]
local capacity = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local catalogMax = tonumber(ARGV[4])
local windowMs = tonumber(ARGV[5])
local jitter = tonumber(ARGV[6])
local EPS = 1e-6

local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000

local raw = redis.call("HMGET", key, "fullAt", "used", "resetsAt", "learnedMax", "blockedUntil")
local fullAt = tonumber(raw[1]) or now
local used = tonumber(raw[2]) or 0
local resetsAt = tonumber(raw[3]) or 0
local learnedMax = tonumber(raw[4])
local blockedUntil = tonumber(raw[5]) or 0

-- HourlyQuota.refresh
if resetsAt > 0 and now >= resetsAt then
  used = 0
  resetsAt = 0
end
if blockedUntil > 0 and now >= blockedUntil then
  blockedUntil = 0
end

local function fmt(x)
  return string.format("%.17g", x)
end

local function hourlyMax()
  if learnedMax then return learnedMax end
  return catalogMax
end

-- Bucket.tokens
local function tokens()
  local missing = fullAt - now
  if missing < 0 then missing = 0 end
  local value = capacity - missing / interval
  if value < 0 then value = 0 end
  return value
end

-- Bucket.allowedAt and Bucket.waitFor
local function bucketWait(cost)
  local slack = math.max(0, capacity - cost) * interval
  local wait = fullAt - slack + math.min(jitter, slack) - now
  if wait <= EPS then return 0 end
  return wait
end

-- HourlyQuota.waitFor
local function hourlyWait(requests)
  local blocked = 0
  if blockedUntil > now then blocked = blockedUntil - now end
  local max = hourlyMax()
  if max == nil or used + requests <= max then return blocked end
  local firstReset = windowMs
  if resetsAt > 0 then firstReset = resetsAt - now end
  local windowsAhead = 1
  if max > 0 then windowsAhead = math.ceil((used + requests) / max) - 1 end
  local wait = firstReset + (windowsAhead - 1) * windowMs
  if blocked > wait then return blocked end
  return wait
end

-- quotaState.waitFor: the larger wait, and which limit sets it
local function waitFor(cost, requests)
  local restore = bucketWait(cost)
  local hourly = hourlyWait(requests)
  if hourly > restore then return hourly, "hourly" end
  return restore, "restore"
end

local function save()
  local ttl = fullAt - now
  if resetsAt - now > ttl then ttl = resetsAt - now end
  if blockedUntil - now > ttl then ttl = blockedUntil - now end
  if learnedMax and windowMs > ttl then ttl = windowMs end
  if ttl <= 0 and used == 0 then
    redis.call("DEL", key)
    return
  end
  local fields = {
    "fullAt", fmt(fullAt), "used", fmt(used),
    "resetsAt", fmt(resetsAt), "blockedUntil", fmt(blockedUntil)
  }
  if learnedMax then
    table.insert(fields, "learnedMax")
    table.insert(fields, fmt(learnedMax))
  end
  redis.call("HSET", key, unpack(fields))
  redis.call("PEXPIRE", key, math.ceil(ttl) + 1000)
end

if action == "take" or action == "estimate" then
  local cost = tonumber(ARGV[7])
  local requests = 1
  if action == "estimate" then requests = tonumber(ARGV[8]) end
  local wait, limitedBy = waitFor(cost, requests)
  if wait > 0 then
    return { "wait", fmt(now), fmt(wait), limitedBy }
  end
  if action == "estimate" then
    return { "granted", fmt(now), fmt(tokens()) }
  end
  -- Bucket.take
  if fullAt < now then fullAt = now end
  fullAt = fullAt + cost * interval
  -- HourlyQuota.record
  if hourlyMax() ~= nil then
    used = used + 1
    if resetsAt == 0 then resetsAt = now + windowMs end
  end
  save()
  return { "granted", fmt(now), fmt(tokens()) }
end

if action == "drain" then
  -- Bucket.drain
  local empty = now + capacity * interval
  if empty > fullAt then fullAt = empty end
  save()
  return { "ok", fmt(now) }
end

if action == "observe" then
  -- HourlyQuota.observe
  local observedMax = tonumber(ARGV[7])
  local remaining = tonumber(ARGV[8])
  local observedReset = tonumber(ARGV[9])
  if observedMax then learnedMax = observedMax end
  local max = hourlyMax()
  if remaining == nil or max == nil then
    if observedReset and observedReset > now then resetsAt = observedReset end
  else
    local serverUsed = max - remaining
    if serverUsed < 0 then serverUsed = 0 end
    if observedReset and observedReset ~= resetsAt then
      if observedReset > now then
        used = serverUsed
        resetsAt = observedReset
      else
        used = 0
        resetsAt = 0
      end
    else
      if serverUsed > used then used = serverUsed end
      if resetsAt == 0 and serverUsed > 0 then resetsAt = now + windowMs end
    end
  end
  save()
  return { "ok", fmt(now) }
end

if action == "exhaust" then
  -- HourlyQuota.exhaust
  local untilAt = tonumber(ARGV[7])
  if untilAt == nil then
    if resetsAt > now then untilAt = resetsAt else untilAt = now + windowMs end
  end
  if untilAt > now then
    if untilAt > blockedUntil then blockedUntil = untilAt end
    resetsAt = untilAt
    save()
  end
  return { "ok", fmt(now) }
end

if action == "inspect" then
  local max = hourlyMax()
  local maxText = ""
  if max then maxText = fmt(max) end
  return { "state", fmt(now), fmt(tokens()), fmt(used), maxText, fmt(resetsAt), fmt(blockedUntil) }
end

return redis.error_reply("mws-kit throttle: unknown action " .. tostring(action))
`

/** Optional numbers travel as "" (Lua's `tonumber("")` is nil). @internal */
const opt = (value: number | undefined): string => (value === undefined ? "" : String(value))

/**
 * The script as a typed Effect `Redis.Script`: loaded once with SCRIPT LOAD,
 * run with EVALSHA (reloaded after a SCRIPT FLUSH).
 *
 * @internal
 */
export const script = Redis.script(
  (
    key: string,
    action: "take" | "estimate" | "drain" | "observe" | "exhaust" | "inspect",
    bucket: {
      readonly capacity: number
      readonly intervalMs: number
      readonly hourlyMax: number | undefined
      readonly windowMs: number
      readonly jitterMs: number
    },
    extra: ReadonlyArray<number | undefined> = []
  ) => [
    key,
    action,
    String(bucket.capacity),
    String(bucket.intervalMs),
    opt(bucket.hourlyMax),
    String(bucket.windowMs),
    String(bucket.jitterMs),
    ...extra.map(opt)
  ],
  { lua, numberOfKeys: 1 }
).withReturnType<ReadonlyArray<string>>()
