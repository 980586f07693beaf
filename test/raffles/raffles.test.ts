/**
 * Raffles anyone can check, through the HTTP API on both backends: the rules (checked
 * in, batches, earlier winners, revoked), the live eligible count, the commitment public
 * before the draw and the seed not, taps during the drum roll as the entropy, prize
 * tiers, no-shows replaced from the same list and kept on record, claim codes, and a
 * proof that verifies (and stops verifying when touched).
 */

import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import type { HostRaffle } from '../../protocol/host.ts'
import type { Me, Raffle } from '../../protocol/index.ts'
import { listHash, seedCommitment } from '../../protocol/raffle-draw.ts'
import { type RaffleProof, verifyProof } from '../../protocol/raffle-proof.ts'
import {
  BACKENDS,
  checkIn,
  clusterReachable,
  json,
  seedEvent,
  startTestServer,
  type TestServer,
  until,
} from '../support/backends.ts'

setDefaultTimeout(60_000)

for (const backend of BACKENDS) {
  describe(`raffles anyone can check (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let seeded: Awaited<ReturnType<typeof seedEvent>>
    let slug: string
    let vip: { number: number; code: string }[]
    /** number -> guest cookie, for everyone checked in. */
    const cookies = new Map<number, string>()
    const host = () => ({ authorization: `Bearer ${seeded.hostSecret}` })
    const admin = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const res = await server.fetch(`/api/admin/events/${slug}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...host() },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: res.status, body: (await res.json()) as T }
    }
    const proof = async (id: number) =>
      (await (await server.fetch(`/api/events/${slug}/raffles/${id}/proof`)).json()) as RaffleProof
    const snapshotRaffle = async (id: number) =>
      ((await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot.raffles as Raffle[]).find(
        (r) => r.id === id,
      )

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      seeded = await seedEvent(server, { wristbands: 60 })
      slug = seeded.event.slug
      vip = (await server.rt.wristbands.createWristbands(seeded.event, { count: 20, label: 'vip' })).wristbands
      // 40 of the 60 'test' wristbands and 15 of the 20 'vip' ones check in.
      for (const w of [...seeded.wristbands.slice(0, 40), ...vip.slice(0, 15)])
        cookies.set(w.number, await checkIn(server, slug, w.code))
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    test.skipIf(skip)('the host sees a live eligible count that follows check-ins and rules', async () => {
      const all = await admin<{ eligible: number; checkedIn: number; frozen: boolean }>('POST', '/raffles/eligible', {
        rules: {},
      })
      expect(all).toEqual({ status: 200, body: { eligible: 55, checkedIn: 55, frozen: false } })
      const vipOnly = await admin('POST', '/raffles/eligible', { rules: { batches: ['vip'] } })
      expect(vipOnly.body).toEqual({ eligible: 15, checkedIn: 55, frozen: false })
      const unknown = await admin<{ fields: Record<string, string> }>('POST', '/raffles/eligible', {
        rules: { batches: ['nope'] },
      })
      expect(unknown.status).toBe(422)
      expect(JSON.stringify(unknown.body)).toContain('rules.batches')
      const created = await admin<HostRaffle>('POST', '/raffles', {
        name: 'VIP lounge',
        winners: 2,
        rules: { batches: ['vip'] },
      })
      expect(created.body.eligible).toBe(15)
      const w = vip[15]
      cookies.set(w.number, await checkIn(server, slug, w.code))
      const live = await admin('GET', `/raffles/${created.body.id}/eligible`)
      expect(live.body).toEqual({ eligible: 16, checkedIn: 56, frozen: false })
    })

    test.skipIf(skip)(
      'a tiered draw: commitment public before, seed hidden; taps as entropy; the proof verifies',
      async () => {
        const created = await admin<HostRaffle>('POST', '/raffles', {
          name: 'Summer draw',
          prizes: [
            { name: 'Grand prize', count: 1 },
            { name: 'Second prize', count: 3 },
            { name: 'Third prize', count: 10 },
          ],
          rules: { excludePreviousWinners: true },
        })
        expect(created.status).toBe(201)
        expect(created.body.state).toBe('open')
        expect(created.body.winnersWanted).toBe(14)
        const id = created.body.id
        const open = await proof(id)
        expect(open).toMatchObject({ state: 'open', listHash: null, commitment: null, seed: null })

        const seed = 'the host rolls these dice 4 7 1'
        const committed = await admin<HostRaffle>('POST', `/raffles/${id}/commit`, { seed, rollMs: 1500 })
        expect(committed.status).toBe(200)
        expect(committed.body.state).toBe('committed')
        // Public before the draw: the list, its hash, the commitment; never the seed.
        const before = await proof(id)
        expect(before.state).toBe('committed')
        expect(before.list!.length).toBe(56)
        expect(before.listHash).toBe(listHash(before.list!))
        expect(before.commitment).toBe(seedCommitment(seed))
        expect(before.seed).toBeNull()
        expect(JSON.stringify(before)).not.toContain(seed)
        const inStream = await until(async () => {
          const r = await snapshotRaffle(id)
          return r?.state === 'committed' ? r : null
        })
        expect(inStream).toMatchObject({ listHash: before.listHash, commitment: before.commitment, eligible: 56 })
        expect(inStream!.seed).toBeNull()
        const hostList = await admin<HostRaffle[]>('GET', '/raffles')
        expect(JSON.stringify(hostList.body)).not.toContain(seed)

        // The drum roll: too early to draw; guests tap.
        const early = await admin<{ error: string }>('POST', `/raffles/${id}/draw`)
        expect(early.status).toBe(409)
        expect(early.body.error).toBe('drum_roll')
        const tappers = [...cookies.entries()].slice(0, 12)
        for (const [n, cookie] of tappers) {
          const res = await server.fetch(
            `/api/events/${slug}/raffles/${id}/taps`,
            json({ nonce: `tap-${n}-${backend}` }, { cookie }),
          )
          expect(res.status).toBe(202)
          expect(await res.json()).toEqual({ counted: true })
        }
        const again = await server.fetch(
          `/api/events/${slug}/raffles/${id}/taps`,
          json({ nonce: 'second-tap-x' }, { cookie: tappers[0][1] }),
        )
        expect(await again.json()).toEqual({ counted: false })
        const anonymous = await server.fetch(`/api/events/${slug}/raffles/${id}/taps`, json({ nonce: 'nobody-here' }))
        expect(anonymous.status).toBe(401)

        await Bun.sleep(Math.max(0, before.closesAt! - Date.now()) + 20)
        const late = await server.fetch(
          `/api/events/${slug}/raffles/${id}/taps`,
          json({ nonce: 'too-late-tap' }, { cookie: tappers[0][1] }),
        )
        expect(late.status).toBe(409)
        // The draw waits a moment past closesAt for taps still on their way.
        await Bun.sleep(Math.max(0, before.closesAt! + 300 - Date.now()) + 20)
        const drawn = await admin<Raffle>('POST', `/raffles/${id}/draw`)
        expect(drawn.status).toBe(200)
        expect(drawn.body.state).toBe('drawn')
        expect(drawn.body.seed).toBe(seed)
        expect(drawn.body.prizes!.map((p) => [p.name, p.winners.length])).toEqual([
          ['Grand prize', 1],
          ['Second prize', 3],
          ['Third prize', 10],
        ])
        expect(new Set(drawn.body.winners).size).toBe(14)
        for (const n of drawn.body.winners) expect(before.list).toContain(n)

        const after = await proof(id)
        expect(after.seed).toBe(seed)
        expect(after.taps!.length).toBe(12)
        expect(after.taps!.map((t) => t.nonce)).not.toContain('too-late-tap')
        const result = verifyProof(after)
        expect(result.checks.filter((c) => !c.ok)).toEqual([])
        expect(result.ok).toBe(true)
        expect(result.warnings).toEqual([])
        expect(result.winners.map((w) => w.number)).toEqual(drawn.body.winners)
        // Tampering with what the server published fails.
        expect(verifyProof({ ...after, seed: `${seed}!` }).ok).toBe(false)
        expect(verifyProof({ ...after, taps: after.taps!.slice(1) }).ok).toBe(false)
        expect(verifyProof({ ...after, list: after.list!.slice(1) }).ok).toBe(false)
        await until(async () => (await snapshotRaffle(id))?.state === 'drawn')
        expect(await admin('POST', `/raffles/${id}/draw`)).toMatchObject({ status: 409 })
      },
    )

    test.skipIf(skip)('every winner satisfies every rule, never twice, revoked never', async () => {
      // Earlier winners are out (excludePreviousWinners), batches filter, revocation after the commit skips.
      const raffles = (await admin<HostRaffle[]>('GET', '/raffles')).body
      const earlier = new Set(raffles.flatMap((r) => r.winners))
      expect(earlier.size).toBe(14)
      const created = await admin<HostRaffle>('POST', '/raffles', {
        name: 'Test batch only',
        winners: 30,
        rules: { batches: ['test'], excludePreviousWinners: true },
      })
      const id = created.body.id
      const expectedPool = seeded.wristbands
        .slice(0, 40)
        .map((w) => w.number)
        .filter((n) => !earlier.has(n))
      expect(created.body.eligible).toBe(expectedPool.length)
      await admin('POST', `/raffles/${id}/commit`, { rollMs: 0 })
      const frozen = await proof(id)
      expect(frozen.list).toEqual([...expectedPool].sort((a, b) => a - b))
      // Two on the list are revoked before the draw: they can never win.
      const revoked = frozen.list!.slice(0, 2)
      await server.rt.wristbands.revoke(seeded.event, { numbers: revoked })
      const drawn = await admin<Raffle>('POST', `/raffles/${id}/draw`)
      expect(drawn.status).toBe(200)
      const winners = drawn.body.winners
      expect(new Set(winners).size).toBe(winners.length)
      const testBatch = new Set(seeded.wristbands.slice(0, 40).map((w) => w.number))
      for (const n of winners) {
        expect(testBatch.has(n)).toBe(true)
        expect(earlier.has(n)).toBe(false)
        expect(revoked).not.toContain(n)
      }
      expect(winners.length).toBe(Math.min(30, expectedPool.length - 2))
      const p = await proof(id)
      const skipped = p.picks.filter((x) => x.outcome === 'skipped')
      for (const s of skipped) expect(s.reason).toBe('revoked')
      const result = verifyProof(p)
      expect(result.ok).toBe(true)
      // A raffle that excludes only the winners of one listed raffle lets the others' winners in.
      const only = await admin<HostRaffle>('POST', '/raffles', {
        name: 'Second chance',
        winners: 1,
        rules: { excludePreviousWinners: false, excludeWinnersOf: [id] },
      })
      const eligible = (await admin<{ eligible: number }>('GET', `/raffles/${only.body.id}/eligible`)).body.eligible
      // 56 checked in, 2 revoked, minus this raffle's winners (who are all still active).
      expect(eligible).toBe(56 - 2 - winners.length)
    })

    test.skipIf(skip)('a no-show is replaced from the same list with the same prize and stays on record', async () => {
      const created = await admin<HostRaffle>('POST', '/raffles', {
        name: 'Door prizes',
        prizes: [
          { name: 'Bike', count: 1 },
          { name: 'Mug', count: 2 },
        ],
        rules: { excludePreviousWinners: false },
      })
      const id = created.body.id
      const drawn = (await admin<Raffle>('POST', `/raffles/${id}/draw`)).body
      const bike = drawn.prizes![0].winners[0]
      // The winner's phone knows the prize and the claim code.
      const winsOf = async (n: number) =>
        (await (
          await server.fetch(`/api/events/${slug}/raffles/wins`, { headers: { cookie: cookies.get(n)! } })
        ).json()) as { raffleId: number; prize: string; claimCode: string; claimed: boolean }[]
      expect((await winsOf(bike)).filter((w) => w.raffleId === id)).toEqual([
        expect.objectContaining({ prize: 'Bike', claimed: false }),
      ])
      // GET /me says the same, without the claim code.
      const meWins = async (n: number) =>
        (
          (await (await server.fetch(`/api/events/${slug}/me`, { headers: { cookie: cookies.get(n)! } })).json()) as {
            wins: Me['wins']
          }
        ).wins.filter((w) => w.raffleId === id)
      expect(await meWins(bike)).toEqual([
        { raffleId: id, name: 'Door prizes', tier: 1, prize: 'Bike', claimed: false },
      ])
      const absent = await admin<{ noShow: number; replacement: { number: number; tier: number; prize: string } }>(
        'POST',
        `/raffles/${id}/winners/${bike}/no-show`,
      )
      expect(absent.status).toBe(200)
      expect(absent.body.noShow).toBe(bike)
      expect(absent.body.replacement).toMatchObject({ tier: 1, prize: 'Bike' })
      const replacement = absent.body.replacement.number
      expect(drawn.winners).not.toContain(replacement)
      expect((await proof(id)).list).toContain(replacement)
      expect((await winsOf(bike)).filter((w) => w.raffleId === id)).toEqual([])
      expect(await meWins(bike)).toEqual([])
      expect(await admin('POST', `/raffles/${id}/winners/${bike}/no-show`)).toMatchObject({ status: 409 })
      expect(await admin('POST', `/raffles/${id}/winners/99999/no-show`)).toMatchObject({ status: 404 })

      const p = await proof(id)
      const record = p.picks.find((x) => x.number === bike)!
      expect(record).toMatchObject({ outcome: 'no_show', tier: 1, noShowSeq: 0 })
      expect(p.winners.find((w) => w.tier === 1)!.number).toBe(replacement)
      expect(verifyProof(p).ok).toBe(true)
      // Putting the no-show back as a winner next to the replacement fails verification.
      const back = structuredClone(p)
      Object.assign(back.picks.find((x) => x.number === bike)!, { outcome: 'winner', noShowSeq: undefined })
      back.winners.unshift({ tier: 1, prize: 'Bike', number: bike, position: record.position })
      back.winners.sort((a, b) => a.position - b.position)
      expect(verifyProof(back).ok).toBe(false)
      const snap = await until(async () => {
        const r = await snapshotRaffle(id)
        return r?.noShows?.length ? r : null
      })
      expect(snap!.noShows).toEqual([bike])
      expect(snap!.prizes![0].winners).toEqual([replacement])

      // Claims: the code from the winner's phone, once.
      const [win] = (await winsOf(replacement)).filter((w) => w.raffleId === id)
      const claim = await admin('POST', `/raffles/${id}/claims`, { code: win.claimCode.toLowerCase() })
      expect(claim).toMatchObject({ status: 200, body: { number: replacement, tier: 1, prize: 'Bike' } })
      expect(await admin('POST', `/raffles/${id}/claims`, { code: win.claimCode })).toMatchObject({ status: 409 })
      expect(await admin('POST', `/raffles/${id}/claims`, { code: 'ZZZZZZZZ' })).toMatchObject({ status: 404 })
      expect(await admin('POST', `/raffles/${id}/winners/${replacement}/no-show`)).toMatchObject({ status: 409 })
      expect((await winsOf(replacement)).find((w) => w.raffleId === id)!.claimed).toBe(true)
      expect(await meWins(replacement)).toEqual([expect.objectContaining({ prize: 'Bike', claimed: true })])
      const details = (await admin<HostRaffle[]>('GET', '/raffles')).body.find((r) => r.id === id)!.winnerDetails!
      expect(details.find((d) => d.number === replacement)!.claimedAt).toBeNumber()

      const csv = await server.fetch(`/api/admin/events/${slug}/raffles/${id}/export`, { headers: host() })
      expect(csv.headers.get('content-type')).toContain('text/csv')
      const lines = (await csv.text()).trim().split('\n')
      expect(lines[0]).toBe('position,number,tier,prize,outcome,reason,no_show_order,claim_code,claimed_at')
      expect(lines.some((l) => l.startsWith(`${record.position},${bike},1,Bike,no_show,,0,`))).toBe(true)
      expect(lines.find((l) => l.includes(`,${replacement},1,Bike,winner,`))).toContain(win.claimCode)
    })

    test.skipIf(skip)('concurrent draws and no-shows: exactly one wins each race', async () => {
      const created = await admin<HostRaffle>('POST', '/raffles', {
        name: 'Race',
        winners: 3,
        rules: { excludePreviousWinners: false },
      })
      const id = created.body.id
      const draws = await Promise.all(Array.from({ length: 4 }, () => admin('POST', `/raffles/${id}/draw`)))
      expect(draws.map((d) => d.status).sort()).toEqual([200, 409, 409, 409])
      const winner = (await proof(id)).winners[0].number
      const marks = await Promise.all(
        Array.from({ length: 3 }, () => admin('POST', `/raffles/${id}/winners/${winner}/no-show`)),
      )
      expect(marks.map((m) => m.status).sort()).toEqual([200, 409, 409])
      const p = await proof(id)
      expect(p.picks.filter((x) => x.outcome === 'no_show').length).toBe(1)
      expect(p.winners.length).toBe(3)
      expect(verifyProof(p).ok).toBe(true)
    })

    test.skipIf(skip)('hundreds of winners in one draw: 1 + 3 + 450 out of 500, all distinct, verified', async () => {
      const big = await seedEvent(server, { wristbands: 520 })
      const bigHost = { authorization: `Bearer ${big.hostSecret}` }
      const base = `/api/admin/events/${big.event.slug}/raffles`
      for (let i = 0; i < 500; i += 50)
        await Promise.all(big.wristbands.slice(i, i + 50).map((w) => checkIn(server, big.event.slug, w.code)))
      const created = await (
        await server.fetch(
          base,
          json(
            {
              name: 'Finale',
              prizes: [
                { name: 'Car', count: 1 },
                { name: 'Phone', count: 3 },
                { name: 'Tote bag', count: 450 },
              ],
            },
            bigHost,
          ),
        )
      ).json()
      expect(created.eligible).toBe(500)
      const started = performance.now()
      const drawn = (await (await server.fetch(`${base}/${created.id}/draw`, json({}, bigHost))).json()) as Raffle
      const ms = performance.now() - started
      expect(drawn.winners.length).toBe(454)
      expect(new Set(drawn.winners).size).toBe(454)
      expect(drawn.prizes!.map((p) => p.winners.length)).toEqual([1, 3, 450])
      const p = (await (
        await server.fetch(`/api/events/${big.event.slug}/raffles/${created.id}/proof`)
      ).json()) as RaffleProof
      const result = verifyProof(p)
      expect(result.ok).toBe(true)
      console.log(`${backend}: 454 winners of 500 drawn in ${ms.toFixed(0)} ms`)
    })

    test.skipIf(skip)('"took part in poll X": only wristbands that answered it', async () => {
      const poll = (
        await admin<{ id: number; options: { id: number }[] }>('POST', '/polls', {
          question: 'Best song?',
          options: ['A', 'B'],
        })
      ).body
      await admin('POST', `/polls/${poll.id}/open`, {})
      const voters = [...cookies.entries()].slice(3, 8)
      for (const [, cookie] of voters) {
        const res = await server.fetch(
          `/api/events/${slug}/votes`,
          json({ pollId: poll.id, optionId: poll.options[0].id }, { cookie }),
        )
        expect(res.status).toBe(202)
      }
      const active = new Set(await server.rt.live.counters.checkedIn(seeded.event.id))
      const voterNumbers = voters.map(([n]) => n).filter((n) => active.has(n))
      expect(voterNumbers.length).toBeGreaterThan(2)
      // The flusher writes the votes to Postgres within a few ticks; then exactly the voters are eligible.
      await until(async () => {
        const r = await admin<{ eligible: number }>('POST', '/raffles/eligible', {
          rules: { tookPartIn: [poll.id], excludePreviousWinners: false },
        })
        return r.body.eligible === voterNumbers.length
      })
      const created = await admin<HostRaffle>('POST', '/raffles', {
        name: 'For the voters',
        winners: 2,
        rules: { tookPartIn: [poll.id], excludePreviousWinners: false },
      })
      expect(created.body.rules.tookPartIn).toEqual([poll.id])
      const drawn = (await admin<Raffle>('POST', `/raffles/${created.body.id}/draw`)).body
      expect(drawn.winners.length).toBe(2)
      for (const n of drawn.winners) expect(voterNumbers).toContain(n)
      expect((await proof(created.body.id)).list).toEqual([...voterNumbers].sort((a, b) => a - b))
      const bad = await admin('POST', '/raffles/eligible', { rules: { tookPartIn: [999999] } })
      expect(bad.status).toBe(422)
    })

    test.skipIf(skip)('a quiz rule lets in exactly the wristbands that played the quiz', async () => {
      const quiz = (
        await admin<{ id: number; questions: { id: number; options: { id: number }[] }[] }>('POST', '/quizzes', {
          title: 'Pub quiz',
          questions: [{ question: 'Two plus two?', options: ['3', '4'], correct: [1], seconds: 30 }],
        })
      ).body
      expect((await admin('POST', `/quizzes/${quiz.id}/next`)).status).toBe(200)
      const q = quiz.questions[0]!
      const players = [...cookies.entries()].slice(10, 14)
      for (const [i, [, cookie]] of players.entries()) {
        const res = await server.fetch(
          `/api/events/${slug}/answers`,
          json({ quizId: quiz.id, questionId: q.id, optionId: q.options[i % 2]!.id }, { cookie }),
        )
        expect(res.status).toBe(202)
      }
      const active = new Set(await server.rt.live.counters.checkedIn(seeded.event.id))
      const playerNumbers = players.map(([n]) => n).filter((n) => active.has(n))
      expect(playerNumbers.length).toBeGreaterThan(1)
      // Right or wrong, every player is in; nobody else.
      await until(async () => {
        const r = await admin<{ eligible: number }>('POST', '/raffles/eligible', {
          rules: { playedQuiz: [quiz.id], excludePreviousWinners: false },
        })
        return r.body.eligible === playerNumbers.length
      })
      const created = await admin<HostRaffle>('POST', '/raffles', {
        name: 'For the players',
        winners: 1,
        rules: { playedQuiz: [quiz.id], excludePreviousWinners: false },
      })
      expect(created.body.rules.playedQuiz).toEqual([quiz.id])
      await admin('POST', `/raffles/${created.body.id}/draw`)
      expect((await proof(created.body.id)).list).toEqual([...playerNumbers].sort((a, b) => a - b))
      const bad = await admin('POST', '/raffles/eligible', { rules: { playedQuiz: [999999] } })
      expect(bad.status).toBe(422)
      expect(bad.body).toMatchObject({ fields: { 'rules.playedQuiz': 'unknown quiz' } })
    })
  })
}
