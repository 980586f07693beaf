/**
 * Several real instances sharing Postgres and Redis: a change made on one reaches the
 * streams of the others, and when the instance holding the ticker lease is killed -9,
 * another takes over within seconds while subscribers that reconnect with
 * Last-Event-ID see every delta once, in order.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { applyDelta, type Delta, type Snapshot } from '../../protocol/index.ts'
import { clusterReachable, until } from '../support/backends.ts'
import { type Deployment, metric, startDeployment } from '../support/cluster.ts'
import { SseReader } from '../support/sse.ts'

describe('cluster: several instances', async () => {
  const skip = !(await clusterReachable())
  let deployment: Deployment
  let codes: string[]

  beforeAll(async () => {
    if (skip) return
    deployment = await startDeployment(2)
    const res = await fetch(`${deployment.instances[0].url}/api/admin/events/demo/wristbands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deployment.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 500, label: 'cluster' }),
    })
    codes = (await res.json()).wristbands.map((w: { code: string }) => w.code)
  })
  afterAll(async () => {
    if (!skip) await deployment.stop()
  })

  const checkin = (url: string, code: string) =>
    fetch(`${url}/api/events/demo/checkin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    })

  test.skipIf(skip)('a vote on one instance shows on the stream of the other', async () => {
    const [a, b] = deployment.instances
    const onB = await SseReader.open(`${b.url}/api/events/demo/stream`)
    const snap = JSON.parse((await onB.nextEvent())!.data!) as Snapshot
    const poll = snap.polls.find((p) => p.open)!
    const login = await checkin(a.url, codes[0])
    const cookie = login.headers.get('set-cookie')!.split(';')[0]
    const vote = await fetch(`${a.url}/api/events/demo/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ pollId: poll.id, optionId: poll.options[1].id }),
    })
    expect(vote.status).toBe(202)
    const acceptedAt = Date.now()
    let s = snap
    while (s.polls.find((p) => p.id === poll.id)!.options[1].votes !== poll.options[1].votes + 1) {
      const f = await onB.nextEvent(3000)
      expect(f?.event).toBe('delta')
      s = applyDelta(s, JSON.parse(f!.data!) as Delta)
    }
    expect(Date.now() - acceptedAt).toBeLessThan(2000)
    await onB.close()
  })

  test.skipIf(skip)(
    'kill -9 of the ticker holder: takeover within seconds, every delta once and in order',
    async () => {
      // A ticker holds its lease while its event has work (it gives it up once quiet): a check-in makes some.
      const warm = (await checkin(deployment.instances[0].url, codes[9])).status === 200 ? 1 : 0
      const owners: number[] = await until(async () => {
        const now = await Promise.all(deployment.instances.map((i) => metric(i.url, 'glowband_ticker_owner')))
        return now.filter((o) => o === 1).length === 1 ? now : null
      }, 5000).then((o) => o ?? [])
      expect(owners.filter((o) => o === 1).length).toBe(1)
      const holder = deployment.instances[owners.indexOf(1)]
      const survivor = deployment.instances.find((i) => i !== holder)!

      // One subscriber on each instance, both applying everything they get.
      type Sub = { url: string; reader: SseReader; snapshot: Snapshot; ids: number[]; snapshots: number }
      const subscribe = async (url: string): Promise<Sub> => {
        const reader = await SseReader.open(`${url}/api/events/demo/stream`)
        const first = await reader.nextEvent()
        return { url, reader, snapshot: JSON.parse(first!.data!), ids: [], snapshots: 1 }
      }
      const subs = [await subscribe(holder.url), await subscribe(survivor.url)]
      let stop = false
      const pump = (sub: Sub) =>
        (async () => {
          while (!stop || sub.snapshot.seq < (await fetchSeq())) {
            const f = await sub.reader.nextEvent(1500)
            if (!f) {
              if (sub.reader.ended) {
                // The instance died under us: reconnect to the survivor from where we were.
                sub.url = survivor.url
                sub.reader = await SseReader.open(`${survivor.url}/api/events/demo/stream`, {
                  'last-event-id': String(sub.snapshot.seq),
                })
              }
              continue
            }
            if (f.event === 'snapshot') {
              sub.snapshots++
              sub.snapshot = JSON.parse(f.data!)
            } else if (f.event === 'delta') {
              const d = JSON.parse(f.data!) as Delta
              sub.ids.push(d.seq)
              sub.snapshot = applyDelta(sub.snapshot, d)
            }
          }
        })()
      const fetchSeq = async () =>
        (await (await fetch(`${survivor.url}/api/events/demo/snapshot`)).json()).snapshot.seq as number
      const pumps = subs.map(pump)

      // Guests keep checking in, through the survivor, the whole time.
      let accepted = 0
      let i = 10
      const traffic = (async () => {
        while (!stop) {
          if ((await checkin(survivor.url, codes[i++])).status === 200) accepted++
          await Bun.sleep(40)
        }
      })()
      await Bun.sleep(1500)
      const seqAtKill = await fetchSeq()
      const killedAt = Date.now()
      holder.proc.kill('SIGKILL')
      await holder.proc.exited
      // The survivor takes the lease and the sequence moves on.
      await until(async () => (await metric(survivor.url, 'glowband_ticker_owner')) === 1, 10_000, 50)
      await until(async () => (await fetchSeq()) > seqAtKill + 3, 10_000, 50)
      const takeoverMs = Date.now() - killedAt
      console.log(`ticker takeover after kill -9: ${takeoverMs} ms (LEASE_MS=1000)`)
      expect(takeoverMs).toBeLessThan(5000)
      await Bun.sleep(1000)
      stop = true
      await traffic
      await Promise.all(pumps)

      const truth = (await (await fetch(`${survivor.url}/api/events/demo/snapshot`)).json()).snapshot
      for (const sub of subs) {
        // Consecutive ids, no repeats, no gap, and no snapshot after the first.
        const first = sub.ids[0]
        expect(sub.ids).toEqual(Array.from({ length: sub.ids.length }, (_, k) => first + k))
        expect(sub.snapshots).toBe(1)
        expect(sub.snapshot).toEqual(truth)
        await sub.reader.close()
      }
      expect(truth.checkins).toBe(1 + warm + accepted)
      // Remove the dead instance from the list so stop() does not wait for it.
      deployment.instances.splice(deployment.instances.indexOf(holder), 1)
    },
    60_000,
  )
})
