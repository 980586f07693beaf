/**
 * The Lua scripts of the Redis counters (redis.ts). Each guest action, moderation step
 * and the ticker's read is one script, so it is atomic without WATCH/retry.
 *
 * Conventions shared by all scripts:
 * - Every key a script touches belongs to one event's hash tag (`{e<id>}`), so the
 *   scripts run unchanged on Redis Cluster. Most keys arrive in KEYS; the per-interaction
 *   keys of readLive/responsesOf/loadReset are derived from a base passed in ARGV (same slot).
 * - Numbers arrive as strings formatted by JavaScript (String(n)) and are spliced into
 *   JSON verbatim, so queue items read back exactly as the memory backend builds them.
 *   Text arrives already JSON-encoded (JSON.stringify) for the same reason.
 * - Ids made here (message id, response rev, feed cursor) come from INCR and are printed
 *   with %d: Lua's tostring would switch to exponent notation above 1e14.
 */
import { lua } from '../redis-support.ts'

/**
 * Lua helpers for the bounded message history, spliced into MESSAGE and MODERATE.
 *
 * A message's parts live as long as something still refers to it, as in memory.ts:
 * - `mids` (ids scored by id) indexes the newest MESSAGES_KEPT, like the memory store's
 *   `messages` map; `held` keeps held ones whatever their age, like its `held` map.
 * - `mstate` (id -> state) exists while the id is in `mids` or `held`: that is what
 *   moderate and the hidden check see, so an older id answers "unknown" on both backends.
 * - `msgs` (id -> JSON) exists while the id is in `mids`, `held` or `feed`, so the feed
 *   (which memory.ts keeps as copies) still reads the text of an old approved message.
 * `release(id)` runs after an id leaves one of those sets and deletes what nothing needs.
 * `trimFeed` and `trimMessages` drop the oldest beyond their limit and release them.
 * Both take the keys as arguments: mids, held, feed, mstate, msgs.
 */
const MESSAGE_HELPERS = `
local function release(id, mids, held, feed, mstate, msgs)
  if redis.call('ZSCORE', mids, id) or redis.call('ZSCORE', held, id) then return end
  redis.call('HDEL', mstate, id)
  if not redis.call('ZSCORE', feed, id) then redis.call('HDEL', msgs, id) end
end
local function trimFeed(kept, mids, held, feed, mstate, msgs)
  local over = redis.call('ZRANGE', feed, 0, -(kept + 1))
  if #over == 0 then return end
  redis.call('ZREMRANGEBYRANK', feed, 0, -(kept + 1))
  for _, id in ipairs(over) do release(id, mids, held, feed, mstate, msgs) end
end
local function trimMessages(kept, mids, held, feed, mstate, msgs)
  local extra = redis.call('ZCARD', mids) - kept
  if extra <= 0 then return end
  local popped = redis.call('ZPOPMIN', mids, extra)
  for i = 1, #popped, 2 do release(popped[i], mids, held, feed, mstate, msgs) end
end
`

/**
 * Check-in by code hash.
 * KEYS: codes, revoked, checkins, recent, q   ARGV: codeHash, at, recentKept
 * Returns {0} (unknown or revoked) or {1, number, first(0|1)}.
 */
export const CHECKIN = lua(
  'checkin',
  `
local n = redis.call('HGET', KEYS[1], ARGV[1])
if not n or redis.call('SISMEMBER', KEYS[2], n) == 1 then return {0} end
if redis.call('SADD', KEYS[3], n) == 0 then return {1, n, 0} end
redis.call('LPUSH', KEYS[4], '{"number":' .. n .. ',"at":' .. ARGV[2] .. '}')
redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[3]) - 1)
redis.call('XADD', KEYS[5], '*', 'j', '{"t":"checkin","number":' .. n .. ',"at":' .. ARGV[2] .. '}')
return {1, n, 1}
`,
)

/**
 * The response primitive: wristband N's response to interaction I (and slot) is now R.
 * Check order as memory.ts: wristband, actionId, interaction, kind, open, deadline, keys, once;
 * then, only when the response changes, the rate limit. The interaction's counters
 * (`c:<id>`, a sorted set) lose one for each key of the old response and gain one for
 * each key of the new; a key that falls to 0 is removed. The response is stored in
 * `r:<id>` as "<keys JSON>\n<response JSON>" (JSON never holds a raw line break).
 * KEYS: numbers, revoked, action, idefs, counts, responses, rate, rev, q, slotted
 * ARGV: number, interactionId, kind, field, response ('' = taken back), responseQuoted,
 *       slotQuoted, keysJson, limitCount, windowMs, actionTtlMs, at, slotEntry, byHost ('1' | ''), key...
 * byHost (the host moderating a guest's response) skips the wristband, open and rate-limit checks.
 * Returns 'ok' | 'duplicate' | an error code.
 */
export const RESPOND = lua(
  'respond',
  `
local FIRST_KEY = 15
local n = ARGV[1]
local byHost = ARGV[14] == '1'
if not byHost and (redis.call('SISMEMBER', KEYS[1], n) == 0 or redis.call('SISMEMBER', KEYS[2], n) == 1) then
  return 'revoked'
end
if redis.call('EXISTS', KEYS[3]) == 1 then return 'duplicate' end
local raw = redis.call('HGET', KEYS[4], ARGV[2])
if not raw then return 'unknown_interaction' end
local def = cjson.decode(raw)
if def.kind ~= ARGV[3] then return 'wrong_kind' end
if def.open ~= true and not byHost then return 'not_open' end
if type(def.accept.closesAt) == 'number' and tonumber(ARGV[12]) >= def.accept.closesAt and not byHost then
  return 'closed'
end
if #ARGV - FIRST_KEY + 1 > def.accept.maxKeys then return 'too_many_keys' end
if type(def.accept.keys) == 'table' then
  local allowed = {}
  for _, k in ipairs(def.accept.keys) do allowed[k] = true end
  for i = FIRST_KEY, #ARGV do
    if not allowed[ARGV[i]] then return 'unknown_key' end
  end
end
local prev = redis.call('HGET', KEYS[6], ARGV[4])
if prev and def.accept.once == true then return 'already_answered' end
local prevKeys, prevResponse = nil, ''
if prev then
  local nl = string.find(prev, '\\n', 1, true)
  prevKeys = string.sub(prev, 1, nl - 1)
  prevResponse = string.sub(prev, nl + 1)
end
if prevResponse ~= ARGV[5] then
  if not byHost then
    local used = tonumber(redis.call('GET', KEYS[7]) or '0')
    if used >= tonumber(ARGV[9]) then return 'rate_limited' end
    redis.call('INCR', KEYS[7])
    redis.call('PEXPIRE', KEYS[7], ARGV[10])
  end
  if prevKeys then
    for _, k in ipairs(cjson.decode(prevKeys)) do
      if tonumber(redis.call('ZINCRBY', KEYS[5], -1, k)) <= 0 then redis.call('ZREM', KEYS[5], k) end
    end
  end
  if ARGV[5] == '' then
    redis.call('HDEL', KEYS[6], ARGV[4])
    if ARGV[13] ~= '' then redis.call('SREM', KEYS[10], ARGV[13]) end
  else
    for i = FIRST_KEY, #ARGV do redis.call('ZINCRBY', KEYS[5], 1, ARGV[i]) end
    redis.call('HSET', KEYS[6], ARGV[4], ARGV[8] .. '\\n' .. ARGV[5])
    if ARGV[13] ~= '' then redis.call('SADD', KEYS[10], ARGV[13]) end
  end
  local rev = string.format('%d', redis.call('INCR', KEYS[8]))
  redis.call('XADD', KEYS[9], '*', 'j', '{"t":"response","interactionId":' .. ARGV[2] .. ',"number":' .. n ..
    ',"slot":' .. ARGV[7] .. ',"response":' .. ARGV[6] .. ',"rev":' .. rev .. ',"at":' .. ARGV[12] .. '}')
end
redis.call('SET', KEYS[3], 'v', 'PX', ARGV[11])
return 'ok'
`,
)

/**
 * Reset of an interaction by the host: its counts and responses go, in one step with the
 * queue item that tells Postgres (responses older than its rev are deleted). A wristband's
 * `rs:<number>` entries for it stay, pointing at nothing (responsesOf skips them).
 * KEYS: idefs, counts, responses, rev, q   ARGV: interactionId, at
 * Returns 0 (unknown interaction) or 1.
 */
export const RESET_INTERACTION = lua(
  'resetInteraction',
  `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('UNLINK', KEYS[2], KEYS[3])
local rev = string.format('%d', redis.call('INCR', KEYS[4]))
redis.call('XADD', KEYS[5], '*', 'j', '{"t":"reset","interactionId":' .. ARGV[1] .. ',"rev":' .. rev ..
  ',"at":' .. ARGV[2] .. '}')
return 1
`,
)

/**
 * Message (danmaku). Held ones go to the held set, visible ones to the feed; the oldest
 * beyond messagesKept leave the live history (see MESSAGE_HELPERS).
 * KEYS: numbers, revoked, action, rate, msgseq, msgs, mstate, held, feedseq, feed, q, mids
 * ARGV: number, textJson, held(0|1), limitCount, windowMs, actionTtlMs, at, feedKept, messagesKept
 * Returns {'ok', id} | {'dup', stored} | 'revoked' | 'rate_limited'.
 * The actionId key stores "<id>:<held>"; a response's actionId key stores "v".
 */
export const MESSAGE = lua(
  'message',
  `${MESSAGE_HELPERS}
local n = ARGV[1]
if redis.call('SISMEMBER', KEYS[1], n) == 0 or redis.call('SISMEMBER', KEYS[2], n) == 1 then return 'revoked' end
local seen = redis.call('GET', KEYS[3])
if seen then return {'dup', seen} end
local used = tonumber(redis.call('GET', KEYS[4]) or '0')
if used >= tonumber(ARGV[4]) then return 'rate_limited' end
redis.call('INCR', KEYS[4])
redis.call('PEXPIRE', KEYS[4], ARGV[5])
local id = string.format('%d', redis.call('INCR', KEYS[5]))
local held = ARGV[3] == '1'
local state = held and 'held' or 'visible'
redis.call('HSET', KEYS[6], id, '{"number":' .. n .. ',"text":' .. ARGV[2] .. ',"at":' .. ARGV[7] .. '}')
redis.call('HSET', KEYS[7], id, state)
redis.call('ZADD', KEYS[12], id, id)
if held then
  redis.call('ZADD', KEYS[8], id, id)
else
  redis.call('ZADD', KEYS[10], redis.call('INCR', KEYS[9]), id)
  trimFeed(tonumber(ARGV[8]), KEYS[12], KEYS[8], KEYS[10], KEYS[7], KEYS[6])
end
trimMessages(tonumber(ARGV[9]), KEYS[12], KEYS[8], KEYS[10], KEYS[7], KEYS[6])
redis.call('XADD', KEYS[11], '*', 'j', '{"t":"message","id":' .. id .. ',"number":' .. n .. ',"text":' .. ARGV[2] ..
  ',"state":"' .. state .. '","at":' .. ARGV[7] .. '}')
redis.call('SET', KEYS[3], id .. ':' .. ARGV[3], 'PX', ARGV[6])
return {'ok', id}
`,
)

/**
 * Hide or approve a message. Approving a held one puts it on the feed; a no-op change
 * is not queued. An id no longer in the live history (or never known) is unknown.
 * A held message older than the history leaves live state once moderated (release).
 * KEYS: mstate, held, feedseq, feed, q, msgs, mids   ARGV: id, state, at, feedKept
 * Returns 0 (unknown id) or 1.
 */
export const MODERATE = lua(
  'moderate',
  `${MESSAGE_HELPERS}
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 0 end
if current == ARGV[2] then return 1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if current == 'held' then
  redis.call('ZREM', KEYS[2], ARGV[1])
  if ARGV[2] == 'visible' then
    redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[3]), ARGV[1])
    trimFeed(tonumber(ARGV[4]), KEYS[7], KEYS[2], KEYS[4], KEYS[1], KEYS[6])
  end
  release(ARGV[1], KEYS[7], KEYS[2], KEYS[4], KEYS[1], KEYS[6])
end
redis.call('XADD', KEYS[5], '*', 'j', '{"t":"moderate","id":' .. ARGV[1] .. ',"state":"' .. ARGV[2] ..
  '","at":' .. ARGV[3] .. '}')
return 1
`,
)

/**
 * Everything the ticker reads, in one consistent view. Replies with nested arrays rather
 * than cjson, so stored JSON (definitions, raffles, show) passes through untouched and
 * empty lists stay lists. An interaction with `top` has only its `top` highest counts read.
 * KEYS: meta, checkins, feedseq, idefs, feed, msgs, mstate, raffles, held, recent
 * ARGV: base (key prefix of the event, for c:<id> and r:<id>), feedCursor, listKept, askHidden...
 * Reply: {status, message, checkins, feedCursor, {{defJson, {key, n, ...}, responders}, ...},
 *         {feedId, msgJson, ...}, {hiddenId, ...}, {raffleJson, ...}, show, {heldId, msgJson, ...},
 *         {recentJson, ...}, screen}
 */
export const READ_LIVE = lua(
  'readLive',
  `
local meta = redis.call('HMGET', KEYS[1], 'status', 'message', 'show', 'screen')
local function sortedValues(key)
  local raw = redis.call('HGETALL', key)
  local rows = {}
  for i = 1, #raw, 2 do rows[#rows + 1] = {tonumber(raw[i]), raw[i], raw[i + 1]} end
  table.sort(rows, function(a, b) return a[1] < b[1] end)
  return rows
end
local interactions = {}
for _, row in ipairs(sortedValues(KEYS[4])) do
  local def = cjson.decode(row[3])
  local counts
  if type(def.top) == 'number' then
    counts = redis.call('ZREVRANGE', ARGV[1] .. 'c:' .. row[2], 0, def.top - 1, 'WITHSCORES')
  else
    counts = redis.call('ZRANGE', ARGV[1] .. 'c:' .. row[2], 0, -1, 'WITHSCORES')
  end
  interactions[#interactions + 1] = {row[3], counts, redis.call('HLEN', ARGV[1] .. 'r:' .. row[2])}
end
local ids = redis.call('ZRANGEBYSCORE', KEYS[5], '(' .. ARGV[2], '+inf')
local feed = {}
for _, id in ipairs(ids) do
  feed[#feed + 1] = id
  feed[#feed + 1] = redis.call('HGET', KEYS[6], id)
end
local hidden = {}
for i = 4, #ARGV do
  if redis.call('HGET', KEYS[7], ARGV[i]) == 'hidden' then hidden[#hidden + 1] = ARGV[i] end
end
for _, id in ipairs(ids) do
  if redis.call('HGET', KEYS[7], id) == 'hidden' then hidden[#hidden + 1] = id end
end
local raffles = {}
for _, r in ipairs(sortedValues(KEYS[8])) do raffles[#raffles + 1] = r[3] end
local kept = tonumber(ARGV[3])
local held = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[9], -kept, -1)) do
  held[#held + 1] = id
  held[#held + 1] = redis.call('HGET', KEYS[6], id)
end
return {meta[1], meta[2], redis.call('SCARD', KEYS[2]), redis.call('GET', KEYS[3]) or '0', interactions, feed, hidden,
  raffles, meta[3], held, redis.call('LRANGE', KEYS[10], 0, kept - 1), meta[4]}
`,
)

/**
 * One wristband's current responses: its own field of every interaction, and the slotted
 * ones its `rs:<number>` set names.
 * KEYS: idefs, slotted   ARGV: base, number
 * Returns {interactionId, slot, storedValue, ...}.
 */
export const RESPONSES_OF = lua(
  'responsesOf',
  `
local out = {}
for _, id in ipairs(redis.call('HKEYS', KEYS[1])) do
  local v = redis.call('HGET', ARGV[1] .. 'r:' .. id, ARGV[2])
  if v then
    out[#out + 1] = id
    out[#out + 1] = ''
    out[#out + 1] = v
  end
end
for _, entry in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local colon = string.find(entry, ':', 1, true)
  local id = string.sub(entry, 1, colon - 1)
  local slot = string.sub(entry, colon + 1)
  local v = redis.call('HGET', ARGV[1] .. 'r:' .. id, ARGV[2] .. ':' .. slot)
  if v then
    out[#out + 1] = id
    out[#out + 1] = slot
    out[#out + 1] = v
  end
end
return out
`,
)

/**
 * First step of loadEvent, run inside its MULTI: drops the old live state (including the
 * per-interaction keys, which only the old definitions name) and settles the counters.
 * UNLINK, as 100,000-wristband hashes are freed in the background rather than blocking Redis.
 * The feed cursor survives a reload (else from the ticker's stored state) so the ticker
 * never re-reads or skips danmaku; message id and response rev never go backwards.
 * KEYS: idefs, feedseq, state, msgseq, rev, then every other state key to delete
 * ARGV: base, maxMessageId, maxRev
 */
/** The run_id of this Redis process: it changes with every restart. */
const RUN_ID = `local runId = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')`

/**
 * Whether the event was loaded by this Redis process (see "A Redis that lost state" in redis.ts).
 * KEYS: loaded   Returns 1 or 0.
 */
export const IS_LOADED = lua(
  'isLoaded',
  `
${RUN_ID}
if redis.call('GET', KEYS[1]) == runId then return 1 end
return 0
`,
)

/** Marks the event as loaded by this Redis process. KEYS: loaded */
export const MARK_LOADED = lua(
  'markLoaded',
  `
${RUN_ID}
redis.call('SET', KEYS[1], runId)
return 1
`,
)

export const LOAD_RESET = lua(
  'loadReset',
  `
for _, id in ipairs(redis.call('HKEYS', KEYS[1])) do
  redis.call('UNLINK', ARGV[1] .. 'c:' .. id, ARGV[1] .. 'r:' .. id)
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  local cursor = 0
  local raw = redis.call('GET', KEYS[3])
  if raw then
    local ok, state = pcall(cjson.decode, raw)
    if ok and type(state) == 'table' and type(state.feedCursor) == 'number' then cursor = state.feedCursor end
  end
  redis.call('SET', KEYS[2], string.format('%d', cursor))
end
if tonumber(redis.call('GET', KEYS[4]) or '0') < tonumber(ARGV[2]) then redis.call('SET', KEYS[4], ARGV[2]) end
if tonumber(redis.call('GET', KEYS[5]) or '0') < tonumber(ARGV[3]) then redis.call('SET', KEYS[5], ARGV[3]) end
redis.call('UNLINK', KEYS[1])
for i = 6, #KEYS do redis.call('UNLINK', KEYS[i]) end
return 1
`,
)
