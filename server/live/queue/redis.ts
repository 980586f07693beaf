/**
 * The write queue on Redis: one stream per event (`q`), read by the flushers' consumer
 * group; an entry is deleted as well as acknowledged once Postgres has it, so the stream
 * holds exactly the unfinished entries. Dead letters go to a capped stream (`dead`).
 */
import { checkExec, field, type RedisClient, type RedisKeys, type StreamRow, streamRows } from '../redis-support.ts'
import { DEAD_LETTERS_KEPT, type DeadLetter, type QueueEntry, type QueueItem, type WriteQueue } from './types.ts'

/** Consumer group of the write queue. */
const GROUP = 'flushers'

const compareIds = (a: string, b: string) => {
  const [am, as] = a.split('-').map(Number)
  const [bm, bs] = b.split('-').map(Number)
  return am - bm || as - bs
}

export class RedisQueue implements WriteQueue {
  /** Events whose consumer group this process has made sure of. */
  private groups = new Set<number>()

  constructor(
    private redis: RedisClient,
    private keys: RedisKeys,
  ) {}

  /** Creates the consumer group (and the stream) once; from 0 so entries queued before it count. */
  private async ensureGroup(eventId: number) {
    if (this.groups.has(eventId)) return
    try {
      await this.redis.xgroup('CREATE', this.keys.of(eventId, 'q'), GROUP, '0', 'MKSTREAM')
    } catch (err) {
      if (!String(err).includes('BUSYGROUP')) throw err
    }
    this.groups.add(eventId)
  }

  async read(eventId: number, consumer: string, count: number, reclaimIdleMs: number): Promise<QueueEntry[]> {
    if (count <= 0) return []
    await this.ensureGroup(eventId)
    try {
      return await this.claim(eventId, consumer, count, reclaimIdleMs)
    } catch (err) {
      // Redis lost the group (restart without persistence): make it again.
      if (!String(err).includes('NOGROUP')) throw err
      this.groups.delete(eventId)
      await this.ensureGroup(eventId)
      return this.claim(eventId, consumer, count, reclaimIdleMs)
    }
  }

  private async claim(eventId: number, consumer: string, count: number, reclaimIdleMs: number): Promise<QueueEntry[]> {
    const q = this.keys.of(eventId, 'q')
    const out = new Map<string, QueueEntry>()
    const gone: string[] = []
    const take = (rows: StreamRow[]) => {
      for (const [id, fields] of rows) {
        const json = fields && field(fields, 'j')
        if (!json) gone.push(id)
        else if (!out.has(id) && out.size < count) out.set(id, { id, item: JSON.parse(json) as QueueItem })
      }
    }
    // 1. This consumer's own claimed-but-unacknowledged entries (a restarted flusher's work).
    take(streamRows(await this.redis.call('XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', count, 'STREAMS', q, '0')))
    // 2. Entries other consumers left idle too long. XAUTOCLAIM scans the pending list in steps
    //    of about 10 x COUNT; the step cap only bounds a pathological pending list.
    let cursor = '0-0'
    for (let step = 0; step < 100 && out.size < count; step++) {
      const [next, rows] = (await this.redis.call(
        'XAUTOCLAIM',
        q,
        GROUP,
        consumer,
        Math.max(0, Math.floor(reclaimIdleMs)),
        cursor,
        'COUNT',
        count - out.size,
      )) as [string, StreamRow[]]
      take(rows)
      cursor = next
      if (cursor === '0-0') break
    }
    // 3. New entries.
    if (out.size < count) {
      take(
        streamRows(
          await this.redis.call('XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', count - out.size, 'STREAMS', q, '>'),
        ),
      )
    }
    // Pending ids whose entry no longer exists would come back forever.
    if (gone.length) await this.redis.xack(q, GROUP, ...gone)
    // Queue order, as the memory backend returns them.
    return [...out.values()].sort((a, b) => compareIds(a.id, b.id))
  }

  async ack(eventId: number, ids: string[]) {
    if (!ids.length) return
    const q = this.keys.of(eventId, 'q')
    checkExec(
      await this.redis
        .multi()
        .xack(q, GROUP, ...ids)
        .xdel(q, ...ids)
        .exec(),
    )
  }

  async depth(eventId: number) {
    return this.redis.xlen(this.keys.of(eventId, 'q'))
  }

  async deadLetter(eventId: number, entries: QueueEntry[], reason: string) {
    if (!entries.length) return
    const q = this.keys.of(eventId, 'q')
    const dead = this.keys.of(eventId, 'dead')
    const m = this.redis.multi()
    for (const e of entries) {
      m.xadd(dead, 'MAXLEN', '~', DEAD_LETTERS_KEPT, '*', 'id', e.id, 'j', JSON.stringify(e.item), 'why', reason)
    }
    const ids = entries.map((e) => e.id)
    checkExec(
      await m
        .xack(q, GROUP, ...ids)
        .xdel(q, ...ids)
        .exec(),
    )
  }

  async deadLetters(eventId: number): Promise<DeadLetter[]> {
    const rows = (await this.redis.xrevrange(
      this.keys.of(eventId, 'dead'),
      '+',
      '-',
      'COUNT',
      DEAD_LETTERS_KEPT,
    )) as StreamRow[]
    return rows.reverse().map(([streamId, fields]) => ({
      id: field(fields ?? [], 'id') ?? streamId,
      item: JSON.parse(field(fields ?? [], 'j') ?? 'null') as QueueItem,
      reason: field(fields ?? [], 'why') ?? '',
      at: Number(streamId.split('-')[0]),
    }))
  }

  async events() {
    return (await this.redis.smembers(this.keys.events)).map(Number).sort((a, b) => a - b)
  }
}
