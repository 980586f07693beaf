/**
 * `glowband raffle verify`, run as a subprocess the way anyone would: a proof the server
 * published (downloaded, piped, or fetched by URL) prints MATCH and exits 0; the same
 * proof with its list, seed, taps, picks or winners touched prints MISMATCH and exits 1.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listHash, seedCommitment, tapsEntropy } from '../../protocol/raffle-draw.ts'
import type { RaffleProof } from '../../protocol/raffle-proof.ts'
import { checkIn, json, seedEvent, startTestServer, type TestServer } from '../support/backends.ts'
import { CLI } from './cli-helpers.ts'

setDefaultTimeout(60_000)

async function verify(args: string[], stdin?: string) {
  const proc = Bun.spawn([process.execPath, CLI, 'raffle', 'verify', ...args], {
    stdin: stdin === undefined ? 'ignore' : new Blob([stdin]),
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, DATA_DIR: ':memory:' },
  })
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  return { code, stdout, stderr }
}

describe('glowband raffle verify', () => {
  let server: TestServer
  let proof: RaffleProof
  let url: string
  const dir = mkdtempSync(join(tmpdir(), 'gb-verify-'))
  const file = (name: string, body: unknown) => {
    const path = join(dir, name)
    writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body, null, 2))
    return path
  }

  beforeAll(async () => {
    server = await startTestServer('embedded')
    server.app.listen({ port: 0, hostname: '127.0.0.1' })
    const { event, hostSecret, wristbands } = await seedEvent(server, { wristbands: 30 })
    const cookies = []
    for (const w of wristbands.slice(0, 25)) cookies.push(await checkIn(server, event.slug, w.code))
    const host = { authorization: `Bearer ${hostSecret}` }
    const admin = `/api/admin/events/${event.slug}/raffles`
    const raffle = await (
      await server.fetch(
        admin,
        json(
          {
            name: 'Gala',
            prizes: [
              { name: 'Trip', count: 1 },
              { name: 'Headphones', count: 4 },
            ],
          },
          host,
        ),
      )
    ).json()
    await server.fetch(`${admin}/${raffle.id}/commit`, json({ rollMs: 400 }, host))
    for (const [i, cookie] of cookies.slice(0, 6).entries())
      await server.fetch(
        `/api/events/${event.slug}/raffles/${raffle.id}/taps`,
        json({ nonce: `tap-${i}-abcd` }, { cookie }),
      )
    await Bun.sleep(750)
    const drawn = await (await server.fetch(`${admin}/${raffle.id}/draw`, json({}, host))).json()
    await server.fetch(`${admin}/${raffle.id}/winners/${drawn.prizes[0].winners[0]}/no-show`, json({}, host))
    url = `http://127.0.0.1:${server.app.server!.port}/api/events/${event.slug}/raffles/${raffle.id}/proof`
    proof = await (await fetch(url)).json()
  })
  afterAll(async () => {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('a published proof: MATCH, exit 0, with the winners by prize and the no-show', async () => {
    const r = await verify([file('proof.json', proof)])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('MATCH: the winners follow from the published list, seed and taps.')
    expect(r.stdout).not.toContain('FAIL')
    expect(r.stdout).toMatch(/Trip \(1 of 1\): #\d+/)
    expect(r.stdout).toMatch(/Headphones \(4 of 4\): #\d+, #\d+, #\d+, #\d+/)
    expect(r.stdout).toContain('marked absent and replaced: #')
    expect(proof.taps!.length).toBe(6)
  })

  test('from standard input and straight from the URL', async () => {
    expect((await verify(['-'], JSON.stringify(proof))).code).toBe(0)
    const byUrl = await verify([url])
    expect(byUrl.code).toBe(0)
    expect(byUrl.stdout).toContain('MATCH')
    const asJson = JSON.parse((await verify([file('p.json', proof), '--json'])).stdout)
    expect(asJson.match).toBe(true)
  })

  test('each kind of tampering: MISMATCH, exit 1, naming the failed check', async () => {
    const cases: [string, (p: RaffleProof) => void, string][] = [
      ['list', (p) => p.list!.pop(), 'list hash'],
      [
        'list-rehashed',
        (p) => {
          p.list!.shift()
          p.listHash = listHash(p.list!)
          p.eligible = p.list!.length
        },
        'picks',
      ],
      ['seed', (p) => (p.seed = `${p.seed}0`), 'seed commitment'],
      [
        'seed-recommitted',
        (p) => {
          p.seed = `${p.seed}0`
          p.commitment = seedCommitment(p.seed)
        },
        'picks',
      ],
      ['taps', (p) => (p.taps![0].nonce = 'forged-nonce'), 'entropy'],
      [
        'taps-rehashed',
        (p) => {
          p.taps!.pop()
          p.entropy = tapsEntropy(p.taps!)
        },
        'picks',
      ],
      ['winner', (p) => (p.winners[0].number = p.list!.find((n) => !p.picks.some((x) => x.number === n))!), 'winners'],
      ['tier', (p) => (p.winners[1].tier = 1), 'winners'],
    ]
    for (const [name, tamper, check] of cases) {
      const p = structuredClone(proof)
      tamper(p)
      const r = await verify([file(`${name}.json`, p)])
      expect({ name, code: r.code }).toEqual({ name, code: 1 })
      expect(r.stdout).toContain('MISMATCH')
      expect(r.stdout).toMatch(new RegExp(`FAIL\\s+${check}`))
    }
  })

  test('not a proof, not JSON, or no argument', async () => {
    const notProof = await verify([file('other.json', { hello: 1 })])
    expect(notProof.code).toBe(1)
    expect(notProof.stdout).toContain('MISMATCH')
    const notJson = await verify([file('bad.json', 'nope{')])
    expect(notJson.code).toBe(1)
    expect(notJson.stderr).toContain('is not JSON')
    const none = await verify([])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('give one proof')
  })
})
