/**
 * The engagement state on Redis (cluster mode); same semantics as memory.ts. Keys of
 * event N (all in its hash tag `{eN}`): `qs` (question id -> JSON of the immutable part),
 * `qst` (id -> "state,pinned,answered"), `qvis`, `qpin`, `qheld` (sorted sets of ids),
 * `qmine` (wristband number -> its ids, comma-separated), `qseq`, `bans` (set), `lw:<n>`
 * (slow mode: "<at>|<actionId>" of the last write), `qa:<n>:<actionId>`, `rq:<n>:<bucket>`,
 * `rx` (reaction -> taps since the last tick), `rxl:<n>:<bucket>`. Upvotes are the
 * counters' `c:<board>` and `r:<board>` (same hash tag), read here directly.
 */
import type { Question } from '../../../protocol/index.ts'
import { questionOrder } from '../../../protocol/index.ts'
import type { RateLimit } from '../counters/types.ts'
import { ACTION_TTL_MS, windowBucket } from '../limits.ts'
import { checkExec, chunks, lua, type RedisClient, type RedisKeys, runScript } from '../redis-support.ts'
import type {
  AskInput,
  AskResult,
  EngagementRead,
  EngagementSeed,
  LiveEngagement,
  QuestionChange,
  QuestionRecord,
  QuestionState,
  WriteGate,
} from './types.ts'

const LOADED_KEYS = ['qs', 'qst', 'qvis', 'qpin', 'qheld', 'qmine', 'bans']

/**
 * Ask a question. KEYS: action, rate, qseq, qs, qst, qheld, qvis, qmine, q
 * ARGV: number, textJson, held(0|1), limitCount, windowMs, actionTtlMs, at
 * Returns {'ok', id} | {'dup', "<id>:<held>"} | 'rate_limited'.
 */
const ASK = lua(
  'ask',
  `
local seen = redis.call('GET', KEYS[1])
if seen then return {'dup', seen} end
local used = tonumber(redis.call('GET', KEYS[2]) or '0')
if used >= tonumber(ARGV[4]) then return 'rate_limited' end
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
local id = string.format('%d', redis.call('INCR', KEYS[3]))
local held = ARGV[3] == '1'
local state = held and 'held' or 'visible'
redis.call('HSET', KEYS[4], id, '{"number":' .. ARGV[1] .. ',"text":' .. ARGV[2] .. ',"at":' .. ARGV[7] .. '}')
redis.call('HSET', KEYS[5], id, state .. ',0,0')
if held then redis.call('ZADD', KEYS[6], id, id) else redis.call('ZADD', KEYS[7], id, id) end
local mine = redis.call('HGET', KEYS[8], ARGV[1])
redis.call('HSET', KEYS[8], ARGV[1], mine and (mine .. ',' .. id) or id)
redis.call('XADD', KEYS[9], '*', 'j', '{"t":"question","id":' .. id .. ',"number":' .. ARGV[1] .. ',"text":' .. ARGV[2] ..
  ',"state":"' .. state .. '","at":' .. ARGV[7] .. '}')
redis.call('SET', KEYS[1], id .. ':' .. ARGV[3], 'PX', ARGV[6])
return {'ok', id}
`,
)

/**
 * A host's change to a question. KEYS: qst, qvis, qpin, qheld, q
 * ARGV: id, state ('' = unchanged), pinned ('' | '0' | '1'), answered (same), at
 * Returns the new "state,pinned,answered", or nil for an unknown id.
 */
const MODERATE_QUESTION = lua(
  'moderateQuestion',
  `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return false end
local s, p, a = string.match(cur, '^(%a+),(%d),(%d)$')
local ns = ARGV[2] ~= '' and ARGV[2] or s
local np = ARGV[3] ~= '' and ARGV[3] or p
local na = ARGV[4] ~= '' and ARGV[4] or a
if ns == s and np == p and na == a then return cur end
local id = ARGV[1]
redis.call('HSET', KEYS[1], id, ns .. ',' .. np .. ',' .. na)
if ns == 'visible' then redis.call('ZADD', KEYS[2], id, id) else redis.call('ZREM', KEYS[2], id) end
if ns == 'held' then redis.call('ZADD', KEYS[4], id, id) else redis.call('ZREM', KEYS[4], id) end
if np == '1' then redis.call('ZADD', KEYS[3], id, id) else redis.call('ZREM', KEYS[3], id) end
redis.call('XADD', KEYS[5], '*', 'j', '{"t":"questionState","id":' .. id .. ',"state":"' .. ns .. '","pinned":' ..
  (np == '1' and 'true' or 'false') .. ',"answered":' .. (na == '1' and 'true' or 'false') .. ',"at":' .. ARGV[5] .. '}')
return ns .. ',' .. np .. ',' .. na
`,
)

/**
 * A wristband's own questions. KEYS: qmine, qs, qst   ARGV: number
 * Returns {id, metaJson, state, ...} in the order asked.
 */
const QUESTIONS_OF = lua(
  'questionsOf',
  `
local out = {}
local mine = redis.call('HGET', KEYS[1], ARGV[1])
if not mine then return out end
for id in string.gmatch(mine, '%d+') do
  local meta = redis.call('HGET', KEYS[2], id)
  if meta then
    out[#out + 1] = id
    out[#out + 1] = meta
    out[#out + 1] = redis.call('HGET', KEYS[3], id)
  end
end
return out
`,
)

/**
 * Ban and slow mode. KEYS: bans, lastWrite   ARGV: number, actionId, slowMs, now
 * Returns 'ok' | 'banned' | the ms left to wait.
 */
const WRITE_GATE = lua(
  'writeGate',
  `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 'banned' end
local slow = tonumber(ARGV[3])
if slow <= 0 then return 'ok' end
local now = tonumber(ARGV[4])
local last = redis.call('GET', KEYS[2])
if last then
  local bar = string.find(last, '|', 1, true)
  local at = tonumber(string.sub(last, 1, bar - 1))
  if string.sub(last, bar + 1) == ARGV[2] then return 'ok' end
  if now - at < slow then return string.format('%d', slow - (now - at)) end
end
redis.call('SET', KEYS[2], ARGV[4] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 'ok'
`,
)

/**
 * One reaction. KEYS: rate, rx   ARGV: emoji, limitCount, windowMs
 * Returns 1, or 0 when over the limit.
 */
const REACT = lua(
  'react',
  `
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if used > tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
return 1
`,
)

/**
 * The ticker's read of the board: every pinned visible question, then visible ones by
 * upvotes (all ties at the cut included, at most TIE_EXTRA beyond it), then visible ones
 * without upvotes, newest first, until `limit` unpinned ones are found; the caller sorts
 * them with questionOrder and keeps `limit`. Also the held ones and the reactions (reset).
 * KEYS: qst, qs, qpin, qvis, counts (the board's c:<id>, or any missing key), qheld, rx
 * ARGV: limit, heldKept
 * Returns {{id, votes, metaJson, state, ...}, {heldId, metaJson, ...}, {emoji, n, ...}}.
 */
const READ = lua(
  'readEngagement',
  `
local TIE_EXTRA = 200
local limit = tonumber(ARGV[1])
local out, seen = {}, {}
local function visible(id)
  local st = redis.call('HGET', KEYS[1], id)
  return st and string.sub(st, 1, 8) == 'visible,', st
end
local function add(id, votes, st)
  seen[id] = true
  out[#out + 1] = id
  out[#out + 1] = votes
  out[#out + 1] = redis.call('HGET', KEYS[2], id)
  out[#out + 1] = st
end
for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  local ok, st = visible(id)
  if ok then add(id, redis.call('ZSCORE', KEYS[5], id) or '0', st) end
end
local got, last, extra, start = 0, nil, 0, 0
local done = false
while not done do
  local page = redis.call('ZREVRANGE', KEYS[5], start, start + 99, 'WITHSCORES')
  if #page == 0 then break end
  for i = 1, #page, 2 do
    local id, v = page[i], tonumber(page[i + 1])
    if got >= limit and (v < last or extra >= TIE_EXTRA) then done = true break end
    if not seen[id] then
      local ok, st = visible(id)
      if ok then
        if got >= limit then extra = extra + 1 end
        add(id, page[i + 1], st)
        got = got + 1
        last = v
      end
    end
  end
  start = start + 100
end
start = 0
while got < limit do
  local page = redis.call('ZREVRANGE', KEYS[4], start, start + 99)
  if #page == 0 then break end
  for _, id in ipairs(page) do
    if not seen[id] and not redis.call('ZSCORE', KEYS[5], id) then
      add(id, '0', redis.call('HGET', KEYS[1], id))
      got = got + 1
      if got >= limit then break end
    end
  end
  start = start + 100
end
local held = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[6], -tonumber(ARGV[2]), -1)) do
  held[#held + 1] = id
  held[#held + 1] = redis.call('HGET', KEYS[2], id)
end
local rx = redis.call('HGETALL', KEYS[7])
if #rx > 0 then redis.call('DEL', KEYS[7]) end
return {out, held, rx}
`,
)

const parseState = (st: string) => {
  const [state, pinned, answered] = st.split(',')
  return { state: state as QuestionState, pinned: pinned === '1', answered: answered === '1' }
}

export class RedisEngagement implements LiveEngagement {
  constructor(
    private redis: RedisClient,
    private keys: RedisKeys,
  ) {}

  private key(eventId: number, name: string) {
    return this.keys.of(eventId, name)
  }

  async load(eventId: number, seed: EngagementSeed) {
    const k = (name: string) => this.key(eventId, name)
    const m = this.redis.multi()
    m.unlink(...LOADED_KEYS.map(k))
    // Ids never go backwards, whatever Postgres has seen so far.
    m.eval(
      "if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end return 1",
      1,
      k('qseq'),
      String(seed.maxQuestionId),
    )
    const sorted = [...seed.questions].sort((a, b) => a.id - b.id)
    const mine = new Map<number, number[]>()
    for (const part of chunks(sorted)) {
      m.hset(
        k('qs'),
        ...part.flatMap((q) => [String(q.id), JSON.stringify({ number: q.number, text: q.text, at: q.at })]),
      )
      m.hset(k('qst'), ...part.flatMap((q) => [String(q.id), `${q.state},${q.pinned ? 1 : 0},${q.answered ? 1 : 0}`]))
      const by = (f: (q: QuestionRecord) => boolean) => part.filter(f).flatMap((q) => [q.id, String(q.id)])
      const vis = by((q) => q.state === 'visible')
      if (vis.length) m.zadd(k('qvis'), ...vis)
      const held = by((q) => q.state === 'held')
      if (held.length) m.zadd(k('qheld'), ...held)
      const pinned = by((q) => q.pinned)
      if (pinned.length) m.zadd(k('qpin'), ...pinned)
    }
    for (const q of sorted) {
      let list = mine.get(q.number)
      if (!list) mine.set(q.number, (list = []))
      list.push(q.id)
    }
    for (const part of chunks([...mine])) m.hset(k('qmine'), ...part.flatMap(([n, ids]) => [String(n), ids.join(',')]))
    for (const part of chunks(seed.bans)) m.sadd(k('bans'), ...part.map(String))
    checkExec(await m.exec())
  }

  async ask(eventId: number, a: AskInput): Promise<AskResult> {
    const k = (name: string) => this.key(eventId, name)
    const r = (await runScript(
      this.redis,
      ASK,
      [
        k(`qa:${a.number}:${a.actionId}`),
        k(`rq:${a.number}:${windowBucket(a.now, a.limit.windowMs)}`),
        k('qseq'),
        k('qs'),
        k('qst'),
        k('qheld'),
        k('qvis'),
        k('qmine'),
        k('q'),
      ],
      [
        String(a.number),
        JSON.stringify(a.text),
        a.held ? '1' : '0',
        a.limit.count,
        Math.max(1, Math.ceil(a.limit.windowMs)),
        ACTION_TTL_MS,
        String(a.now),
      ],
    )) as string | [string, string]
    if (r === 'rate_limited') return { ok: false, error: 'rate_limited' }
    const [kind, value] = r as [string, string]
    if (kind === 'ok') return { ok: true, id: Number(value), held: a.held, duplicate: false }
    const [id, held] = value.split(':')
    return { ok: true, id: Number(id), held: held === '1', duplicate: true }
  }

  async question(eventId: number, id: number): Promise<QuestionRecord | null> {
    const [[, meta], [, st]] = checkExec(
      await this.redis
        .multi()
        .hget(this.key(eventId, 'qs'), String(id))
        .hget(this.key(eventId, 'qst'), String(id))
        .exec(),
    ) as [unknown, string | null][]
    if (!meta || !st) return null
    const m = JSON.parse(meta) as { number: number; text: string; at: number }
    return { id, ...m, ...parseState(st) }
  }

  async moderateQuestion(eventId: number, id: number, change: QuestionChange, now: number) {
    const k = (name: string) => this.key(eventId, name)
    const flag = (b: boolean | undefined) => (b === undefined ? '' : b ? '1' : '0')
    const r = (await runScript(
      this.redis,
      MODERATE_QUESTION,
      [k('qst'), k('qvis'), k('qpin'), k('qheld'), k('q')],
      [String(id), change.state ?? '', flag(change.pinned), flag(change.answered), String(now)],
    )) as string | null
    if (!r) return null
    return this.question(eventId, id)
  }

  async questionsOf(eventId: number, number: number) {
    const flat = (await runScript(
      this.redis,
      QUESTIONS_OF,
      [this.key(eventId, 'qmine'), this.key(eventId, 'qs'), this.key(eventId, 'qst')],
      [String(number)],
    )) as string[]
    const out: QuestionRecord[] = []
    for (let i = 0; i < flat.length; i += 3) {
      const m = JSON.parse(flat[i + 1]) as { number: number; text: string; at: number }
      out.push({ id: Number(flat[i]), ...m, ...parseState(flat[i + 2]) })
    }
    return out.reverse()
  }

  async upvoted(eventId: number, boardId: number, number: number, questionId: number) {
    return (await this.redis.hexists(this.key(eventId, `r:${boardId}`), `${number}:${questionId}`)) === 1
  }

  async setBan(eventId: number, number: number, banned: boolean) {
    const key = this.key(eventId, 'bans')
    if (banned) await this.redis.sadd(key, String(number))
    else await this.redis.srem(key, String(number))
  }

  async writeGate(eventId: number, number: number, actionId: string, slowMs: number, now: number): Promise<WriteGate> {
    const r = (await runScript(
      this.redis,
      WRITE_GATE,
      [this.key(eventId, 'bans'), this.key(eventId, `lw:${number}`)],
      [String(number), actionId, Math.max(0, Math.ceil(slowMs)), String(now)],
    )) as string
    if (r === 'ok') return { ok: true }
    if (r === 'banned') return { ok: false, error: 'banned' }
    return { ok: false, error: 'slow', waitMs: Number(r) }
  }

  async react(eventId: number, number: number, emoji: string, limit: RateLimit, now: number) {
    const r = await runScript(
      this.redis,
      REACT,
      [this.key(eventId, `rxl:${number}:${windowBucket(now, limit.windowMs)}`), this.key(eventId, 'rx')],
      [emoji, limit.count, Math.max(1, Math.ceil(limit.windowMs))],
    )
    return r === 1
  }

  async read(eventId: number, boardId: number | null, limit: number, heldKept: number): Promise<EngagementRead> {
    const k = (name: string) => this.key(eventId, name)
    const [flat, heldFlat, rx] = (await runScript(
      this.redis,
      READ,
      [k('qst'), k('qs'), k('qpin'), k('qvis'), k(boardId === null ? 'c:none' : `c:${boardId}`), k('qheld'), k('rx')],
      [limit, heldKept],
    )) as [string[], (string | null)[], string[]]
    const questions: Question[] = []
    for (let i = 0; i < flat.length; i += 4) {
      const meta = flat[i + 2]
      if (!meta) continue
      const m = JSON.parse(meta) as { number: number; text: string }
      const s = parseState(flat[i + 3])
      questions.push({
        id: Number(flat[i]),
        text: m.text,
        number: m.number,
        votes: Number(flat[i + 1]),
        pinned: s.pinned,
        answered: s.answered,
      })
    }
    const held: EngagementRead['held'] = []
    for (let i = 0; i < heldFlat.length; i += 2) {
      const meta = heldFlat[i + 1]
      if (!meta) continue
      const m = JSON.parse(meta) as { number: number; text: string; at: number }
      held.push({ id: Number(heldFlat[i]), text: m.text, number: m.number, at: m.at })
    }
    const reactions: Record<string, number> = {}
    for (let i = 0; i < rx.length; i += 2) reactions[rx[i]] = Number(rx[i + 1])
    return { questions: questions.sort(questionOrder).slice(0, limit), held, reactions }
  }
}
