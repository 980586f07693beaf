/**
 * Runs the event-night profile against one target and measures it:
 *
 *   setup     wristbands for every guest; the fan-out guests check in
 *   build-up  subscribers connect, spread over the generators, at a steady rate
 *   idle      nothing happens for a few seconds: memory per idle subscriber
 *   fan-out   one vote per tick: server CPU per delivered message
 *   spike     every guest checks in, then every guest votes on the poll within
 *             seconds, with danmaku bursts: accepted actions per second, latency
 *   settle    until the stream shows every accepted action
 *   decline   subscribers leave
 *   flush     the write queue drains; Postgres is compared with what was accepted
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { now } from './clock.ts'
import type { DriverCommand, DriverInit, PhaseResult } from './driver.ts'
import type { GenConfig, GenCounters, GenResult } from './generator.ts'
import { Observer } from './observer.ts'
import { type Distribution, distribution } from './report.ts'
import { cpuSeconds, rssBytes, type Target, type Truth } from './targets/common.ts'

export interface Profile {
  subscribers: number
  generators: number
  samplePerGenerator: number
  buildupSeconds: number
  idleSeconds: number
  fanoutSeconds: number
  votesPerSecond: number
  spikeSeconds: number
  /** Messages per danmaku burst; three bursts during the votes. */
  messagesPerBurst: number
  declineSeconds: number
  tickMs: number
  driverConnections: number
  /** Hard limit for the whole run of one target. */
  maxSeconds: number
}

export interface TimelinePoint {
  t: number
  held: number
  cpuPct: number
  rssMB: number
}

export interface TargetResult {
  name: string
  kind: Target['kind']
  ok: boolean
  error?: string
  processes: number
  subscribers: {
    target: number
    heldMax: number
    failed: number
    lostByServer: number
    /** Subscribers that got every delta up to the last one, with no gap and no skip to a snapshot. */
    complete: number
    withGaps: number
    missingDeltas: number
    resynced: number
    duplicates: number
    finalSeq: number
    generatorErrors: string[]
  }
  memory: { rssBeforeMB: number; rssIdleMB: number; perIdleSubscriberBytes: number }
  fanout: { seconds: number; deltas: number; delivered: number; cpuSeconds: number; cpuPerMessageUs: number }
  spike: {
    checkins: ActionStats
    votes: ActionStats
    messages: { sent: number; accepted: number }
    actionsPerSecond: number
    cpuSeconds: number
    cpuPerActionUs: number
    peakRssMB: number
    machineBusyPct: number
    loadgenCpuSeconds: number
  }
  latency: { spike: Distribution; fanout: Distribution; undelivered: number; sampledSubscribers: number }
  exactlyOnce: ExactlyOnce | null
  timeline: TimelinePoint[]
  latencyTimeline: { t: number; p50: number; p99: number }[]
  phases: { name: string; t: number }[]
  durationSeconds: number
  /** /proc/loadavg when this target started: other work on the machine skews every figure. */
  loadAverage: string
}

export interface ActionStats {
  sent: number
  accepted: number
  perSecond: number
  statuses: Record<string, number>
  acceptMs: Distribution
}

export interface ExactlyOnce {
  votes: {
    accepted: number
    stored: number
    lost: number
    duplicated: number
    byOption: Record<string, { accepted: number; stored: number }>
  }
  checkins: { accepted: number; stored: number; lost: number; duplicated: number }
  messages: { accepted: number; stored: number; lost: number; duplicated: number }
  queueDepth: number
  ok: boolean
}

const machineJiffies = () => {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]
  const f = line.trim().split(/\s+/).slice(1).map(Number)
  const idle = f[3] + (f[4] ?? 0)
  return { total: f.reduce((a, b) => a + b, 0), idle }
}

class Child<M extends { type: string }> {
  proc: Subprocess
  private waiters: { type: string; resolve(m: M): void }[] = []
  readonly inbox: M[] = []
  onMessage: (m: M) => void = () => {}

  constructor(cmd: string[]) {
    this.proc = Bun.spawn(cmd, {
      stdout: 'inherit',
      stderr: 'inherit',
      ipc: (m: M) => {
        this.onMessage(m)
        const i = this.waiters.findIndex((w) => w.type === m.type)
        if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m)
        else if (m.type !== 'counters') this.inbox.push(m)
      },
    })
  }

  send(m: unknown) {
    this.proc.send(m)
  }

  wait<T extends M>(type: string, timeoutMs: number): Promise<T> {
    const i = this.inbox.findIndex((m) => m.type === type)
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as T)
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${type}" from ${this.proc.pid} within ${timeoutMs} ms`)),
        timeoutMs,
      )
      this.waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(timer)
          resolve(m as T)
        },
      })
    })
  }

  kill() {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL')
  }
}

type GenMessage =
  | { type: 'ready' }
  | { type: 'opened' }
  | { type: 'closed' }
  | { type: 'counters' | 'now'; counters: GenCounters }
  | { type: 'result'; result: GenResult }
type DriverMessage = { type: 'ready' } | { type: 'phase'; result: PhaseResult } | { type: 'bye' }

export async function runTarget(target: Target, p: Profile, log: (s: string) => void): Promise<TargetResult> {
  const t0 = now()
  const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  const phases: { name: string; t: number }[] = []
  const mark = (name: string) => {
    phases.push({ name, t: (now() - t0) / 1000 })
    log(`  ${target.name}: ${name}`)
  }
  // biome-ignore lint: any message type
  const children: Child<any>[] = []
  const tmp = mkdtempSync(join(tmpdir(), 'gb-bench-run-'))
  const sampler: { timer: ReturnType<typeof setInterval> | null } = { timer: null }
  let observer: Observer | null = null
  const hardStop = setTimeout(() => {
    log(`  ${target.name}: over ${p.maxSeconds} s, stopping`)
    for (const c of children) c.kill()
  }, p.maxSeconds * 1000)
  try {
    const fanoutGuests = Math.ceil((p.fanoutSeconds * 1000) / p.tickMs)
    const voters = Math.round(p.votesPerSecond * p.spikeSeconds)
    const messagers = Math.min(voters, p.messagesPerBurst * 3)
    mark('setup')
    const { codes, poll } = await target.setup(fanoutGuests + voters)
    if (!poll) throw new Error('no poll')

    // The driver: its own process and source address.
    const init: DriverInit = {
      kind: target.kind,
      host: target.host,
      port: target.port,
      localAddress: '127.0.0.250',
      connections: p.driverConnections,
      slug: 'demo',
      pollId: poll.id,
      optionIds: poll.optionIds,
      optionLabels: poll.optionLabels,
      question: poll.question,
      codes,
      tickMs: p.tickMs,
      maxLifetimeMs: p.maxSeconds * 1000,
    }
    const initFile = join(tmp, 'driver.json')
    writeFileSync(initFile, JSON.stringify(init))
    const driver = new Child<DriverMessage>([process.execPath, join(import.meta.dir, 'driver.ts'), initFile])
    children.push(driver)
    await driver.wait('ready', 30_000)
    const drive = async (cmd: DriverCommand, timeoutMs: number) => {
      driver.send(cmd)
      return (await driver.wait<{ type: 'phase'; result: PhaseResult }>('phase', timeoutMs)).result
    }
    const fanoutCheckin = await drive({ type: 'checkin', from: 0, to: fanoutGuests, ratePerSec: 500 }, 60_000)

    observer = new Observer(poll.id)
    await observer.start(`http://${target.host}:${target.port}${target.streamPath}`)

    // Generators: the subscribers, split evenly, each generator on its own source address.
    const per = Array.from(
      { length: p.generators },
      (_, g) => Math.floor(p.subscribers / p.generators) + (g < p.subscribers % p.generators ? 1 : 0),
    )
    const gens = per.map((expected, g) => {
      const cfg: GenConfig = {
        index: g,
        host: target.host,
        port: target.port,
        path: target.streamPath,
        localAddress: `127.0.0.${2 + g}`,
        sample: p.samplePerGenerator,
        expected,
        maxLifetimeMs: p.maxSeconds * 1000,
      }
      const c = new Child<GenMessage>([process.execPath, join(import.meta.dir, 'generator.ts'), JSON.stringify(cfg)])
      children.push(c)
      return c
    })
    const latest: GenCounters[] = gens.map(() => ({
      t: 0,
      held: 0,
      opened: 0,
      failed: 0,
      lost: 0,
      frames: 0,
      deltas: 0,
      bytes: 0,
    }))
    gens.forEach((g, i) => {
      g.onMessage = (m) => {
        if (m.type === 'counters' || m.type === 'now') latest[i] = m.counters
      }
    })
    await Promise.all(gens.map((g) => g.wait('ready', 30_000)))
    const sum = (k: keyof GenCounters) => latest.reduce((a, c) => a + c[k], 0)
    const fresh = async () => {
      // Every generator's counters as of now, not the last periodic ones.
      const replies = gens.map((g) => g.wait<{ type: 'now'; counters: GenCounters }>('now', 10_000))
      for (const g of gens) g.send({ type: 'counters' })
      await Promise.all(replies)
    }

    const pids = target.pids()
    const cpu = () => pids.reduce((a, pid) => a + (cpuSeconds(pid) || 0), 0)
    const rss = () => pids.reduce((a, pid) => a + (rssBytes(pid) || 0), 0)
    const loadgenPids = children.map((c) => c.proc.pid)
    const loadgenCpu = () => loadgenPids.reduce((a, pid) => a + (cpuSeconds(pid) || 0), 0)

    // Timeline: every 250 ms, subscribers held, server CPU and memory.
    const timeline: TimelinePoint[] = []
    let lastCpu = cpu()
    let lastT = now()
    sampler.timer = setInterval(() => {
      const t = now()
      const c = cpu()
      timeline.push({
        t: (t - t0) / 1000,
        held: sum('held'),
        cpuPct: ((c - lastCpu) / ((t - lastT) / 1000)) * 100,
        rssMB: rss() / 2 ** 20,
      })
      lastCpu = c
      lastT = t
    }, 250)

    // Memory before: the median over a couple of seconds once setup's garbage has had time to go.
    const rssMedian = async (ms: number) => {
      const xs: number[] = []
      for (const end = Date.now() + ms; Date.now() < end; ) {
        xs.push(rss())
        await Bun.sleep(100)
      }
      return distribution(xs).p50
    }
    await Bun.sleep(1000)
    const rssBefore = await rssMedian(2000)
    mark('build-up')
    const rate = p.subscribers / p.buildupSeconds / p.generators
    gens.forEach((g, i) => {
      g.send({ type: 'open', count: per[i], ratePerSec: rate })
    })
    await Promise.all(gens.map((g) => g.wait('opened', (p.buildupSeconds + 60) * 1000)))

    mark('idle')
    await Bun.sleep(Math.max(0, p.idleSeconds * 1000 - 2000))
    const rssIdle = await rssMedian(2000)
    await fresh()
    const heldIdle = sum('held')

    mark('fan-out')
    const f0 = { cpu: cpu(), delivered: sum('deltas'), seq: observer.seq, t: now() }
    const trickle = await drive(
      { type: 'trickle', from: 0, count: fanoutGuests, intervalMs: p.tickMs },
      (p.fanoutSeconds + 60) * 1000,
    )
    await Bun.sleep(p.tickMs * 3)
    await fresh()
    const f1 = { cpu: cpu(), delivered: sum('deltas'), seq: observer.seq, t: now() }

    mark('spike')
    const s0 = { cpu: cpu(), t: now(), machine: machineJiffies(), loadgen: loadgenCpu() }
    let peakRss = 0
    const peak = setInterval(() => (peakRss = Math.max(peakRss, rss())), 100)
    const checkins = await drive(
      { type: 'checkin', from: fanoutGuests, to: fanoutGuests + voters, ratePerSec: p.votesPerSecond },
      (p.spikeSeconds + 120) * 1000,
    )
    const gap = Math.max(500, (p.spikeSeconds * 1000) / 4)
    mark('votes')
    const votes = await drive(
      {
        type: 'votes',
        from: fanoutGuests,
        to: fanoutGuests + voters,
        ratePerSec: p.votesPerSecond,
        messages: {
          from: fanoutGuests,
          perBurst: Math.floor(messagers / 3),
          atMs: [0, gap, 2 * gap],
          durationMs: 1000,
        },
      },
      (p.spikeSeconds + 120) * 1000,
    )
    const s1 = { cpu: cpu(), t: now(), machine: machineJiffies(), loadgen: loadgenCpu() }
    clearInterval(peak)

    mark('settle')
    const acceptedVotes = trickle.accepted + votes.accepted
    const acceptedCheckins = fanoutCheckin.accepted + checkins.accepted
    const settleBy = Date.now() + 60_000
    while (Date.now() < settleBy && (observer.total < acceptedVotes || observer.checkins < acceptedCheckins))
      await Bun.sleep(50)
    // Then until every subscriber has what it will get: no frame delivered anywhere for a second.
    await Bun.sleep(Math.max(1000, p.tickMs * 4))
    for (let last = -1, quiet = 0; quiet < 2 && Date.now() < settleBy + 30_000; ) {
      await fresh()
      const d = sum('deltas')
      quiet = d === last ? quiet + 1 : 0
      last = d
      await Bun.sleep(500)
    }
    const finalSeq = observer.seq

    mark('decline')
    for (const g of gens) g.send({ type: 'close', ratePerSec: p.subscribers / p.declineSeconds / p.generators })
    await Promise.all(gens.map((g) => g.wait('closed', (p.declineSeconds + 60) * 1000)))
    await Bun.sleep(1000)
    for (const g of gens) g.send({ type: 'finish' })
    const results = (
      await Promise.all(gens.map((g) => g.wait<{ type: 'result'; result: GenResult }>('result', 60_000)))
    ).map((m) => m.result)

    mark('flush')
    const truth = await target.truth(120_000)
    mark('end')
    clearInterval(sampler.timer)
    driver.send({ type: 'finish' })

    // Delivery: every subscriber, every delta.
    const all = results.flatMap((r) => r.subscribers)
    const complete = all.filter((s) => s.gaps === 0 && s.resyncs === 0 && s.last >= finalSeq).length
    const heldMax = Math.max(0, ...timeline.map((x) => x.held))

    // Latency: vote k in 202 order is visible in the first delta whose total >= k.
    const voteTimes = [...pairs(trickle.votes), ...pairs(votes.votes)].map((v) => v[0]).sort((a, b) => a - b)
    const spikeStart = votes.start
    const samples = results.flatMap((r) => r.samples)
    const lat = latencies(voteTimes, observer, samples)
    const spikeLat: number[] = []
    const fanLat: number[] = []
    const buckets = new Map<number, number[]>()
    for (let k = 0; k < lat.values.length; k++) {
      const v = lat.values[k]
      const t202 = lat.t202[k]
      ;(t202 >= spikeStart ? spikeLat : fanLat).push(v)
      const b = Math.floor((t202 - t0) / 500) * 0.5
      let arr = buckets.get(b)
      if (!arr) buckets.set(b, (arr = []))
      arr.push(v)
    }
    const latencyTimeline = [...buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([t, arr]) => {
        const d = distribution(arr)
        return { t, p50: d.p50, p99: d.p99 }
      })

    const fanoutDelivered = f1.delivered - f0.delivered
    const spikeSeconds = (s1.t - s0.t) / 1000
    const spikeActions = checkins.accepted + votes.accepted + votes.messagesAccepted
    const result: TargetResult = {
      name: target.name,
      kind: target.kind,
      ok: true,
      processes: pids.length,
      subscribers: {
        target: p.subscribers,
        heldMax,
        failed: results.reduce((a, r) => a + r.counters.failed, 0),
        lostByServer: results.reduce((a, r) => a + r.counters.lost, 0),
        complete,
        withGaps: all.filter((s) => s.gaps > 0).length,
        missingDeltas: all.reduce((a, s) => a + s.missing, 0),
        resynced: all.filter((s) => s.resyncs > 0).length,
        duplicates: all.reduce((a, s) => a + s.dups, 0),
        finalSeq,
        generatorErrors: results.flatMap((r) => r.errors).slice(0, 10),
      },
      memory: {
        rssBeforeMB: rssBefore / 2 ** 20,
        rssIdleMB: rssIdle / 2 ** 20,
        perIdleSubscriberBytes: heldIdle ? (rssIdle - rssBefore) / heldIdle : Number.NaN,
      },
      fanout: {
        seconds: (f1.t - f0.t) / 1000,
        deltas: f1.seq - f0.seq,
        delivered: fanoutDelivered,
        cpuSeconds: f1.cpu - f0.cpu,
        cpuPerMessageUs: fanoutDelivered ? ((f1.cpu - f0.cpu) / fanoutDelivered) * 1e6 : Number.NaN,
      },
      spike: {
        checkins: actionStats(checkins, checkins.accepted),
        votes: actionStats(votes, votes.accepted),
        messages: { sent: votes.messagesSent, accepted: votes.messagesAccepted },
        actionsPerSecond: spikeActions / spikeSeconds,
        cpuSeconds: s1.cpu - s0.cpu,
        cpuPerActionUs: ((s1.cpu - s0.cpu) / Math.max(1, spikeActions)) * 1e6,
        peakRssMB: peakRss / 2 ** 20,
        machineBusyPct: (1 - (s1.machine.idle - s0.machine.idle) / (s1.machine.total - s0.machine.total)) * 100,
        loadgenCpuSeconds: s1.loadgen - s0.loadgen,
      },
      latency: {
        spike: distribution(spikeLat),
        fanout: distribution(fanLat),
        undelivered: lat.undelivered,
        sampledSubscribers: samples.length,
      },
      exactlyOnce: truth
        ? exactlyOnce(truth, poll.optionIds, [trickle, votes], acceptedCheckins, votes.messagesAccepted)
        : null,
      timeline,
      latencyTimeline,
      phases,
      durationSeconds: (now() - t0) / 1000,
      loadAverage,
    }
    return result
  } catch (err) {
    log(`  ${target.name}: FAILED: ${(err as Error).stack ?? err}\n${target.logs().slice(-3000)}`)
    return failed(target, String((err as Error).message ?? err), phases, (now() - t0) / 1000)
  } finally {
    clearTimeout(hardStop)
    if (sampler.timer) clearInterval(sampler.timer)
    await observer?.stop()
    await Bun.sleep(200)
    for (const c of children) c.kill()
    await target.stop().catch((err) => log(`  ${target.name}: stop failed: ${err}`))
    rmSync(tmp, { recursive: true, force: true })
  }
}

function pairs(flat: number[]): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]])
  return out
}

function actionStats(p: PhaseResult, accepted: number): ActionStats {
  // Accepted per second over the phase: from its first request to its last answer.
  const seconds = Math.max(0.001, (p.end - p.start) / 1000)
  return {
    sent: p.sent,
    accepted,
    perSecond: accepted / seconds,
    statuses: p.statuses,
    acceptMs: distribution(p.acceptMs),
  }
}

/**
 * For each accepted vote (sorted by 202 time) and each sampled subscriber: the time that
 * subscriber received the first frame showing the vote, minus the 202 time. Negative
 * values (the delta overtook the 202 on its way back) count as 0.
 */
export function latencies(voteTimes: number[], observer: Observer, samples: number[][]) {
  const values: number[] = []
  const t202: number[] = []
  let undelivered = 0
  // Votes grouped by the seq that first shows them.
  const groups: { seq: number; from: number; to: number }[] = []
  for (let k = 0; k < voteTimes.length; k++) {
    const seq = observer.seqForTotal(k + 1)
    const last = groups.at(-1)
    if (last && last.seq === seq) last.to = k + 1
    else groups.push({ seq, from: k, to: k + 1 })
  }
  for (const s of samples) {
    let j = 0
    for (const g of groups) {
      if (g.seq < 0) {
        undelivered += g.to - g.from
        continue
      }
      while (j < s.length && s[j] < g.seq) j += 2
      if (j >= s.length) {
        undelivered += g.to - g.from
        continue
      }
      const tr = s[j + 1]
      for (let k = g.from; k < g.to; k++) {
        values.push(Math.max(0, tr - voteTimes[k]))
        t202.push(voteTimes[k])
      }
    }
  }
  return { values, t202, undelivered }
}

function exactlyOnce(
  truth: Truth,
  optionIds: number[],
  phases: PhaseResult[],
  acceptedCheckins: number,
  acceptedMessages: number,
): ExactlyOnce {
  const byOption: Record<string, { accepted: number; stored: number }> = {}
  for (const id of optionIds) byOption[id] = { accepted: 0, stored: truth.votes[id] ?? 0 }
  for (const ph of phases) for (const [, option] of pairs(ph.votes)) byOption[optionIds[option]].accepted++
  let lost = 0
  let duplicated = 0
  let accepted = 0
  let stored = 0
  for (const o of Object.values(byOption)) {
    accepted += o.accepted
    stored += o.stored
    lost += Math.max(0, o.accepted - o.stored)
    duplicated += Math.max(0, o.stored - o.accepted)
  }
  const cmp = (a: number, s: number) => ({
    accepted: a,
    stored: s,
    lost: Math.max(0, a - s),
    duplicated: Math.max(0, s - a),
  })
  const checkins = cmp(acceptedCheckins, truth.checkins)
  const messages = cmp(acceptedMessages, truth.messages)
  return {
    votes: { accepted, stored, lost, duplicated, byOption },
    checkins,
    messages,
    queueDepth: truth.queueDepth,
    ok:
      lost + duplicated + checkins.lost + checkins.duplicated + messages.lost + messages.duplicated === 0 &&
      truth.queueDepth === 0,
  }
}

function failed(
  target: Target,
  error: string,
  phases: { name: string; t: number }[],
  durationSeconds: number,
): TargetResult {
  const nan = distribution([])
  const act = { sent: 0, accepted: 0, perSecond: 0, statuses: {}, acceptMs: nan }
  return {
    name: target.name,
    kind: target.kind,
    ok: false,
    error,
    processes: 0,
    subscribers: {
      target: 0,
      heldMax: 0,
      failed: 0,
      lostByServer: 0,
      complete: 0,
      withGaps: 0,
      missingDeltas: 0,
      resynced: 0,
      duplicates: 0,
      finalSeq: 0,
      generatorErrors: [],
    },
    memory: { rssBeforeMB: 0, rssIdleMB: 0, perIdleSubscriberBytes: Number.NaN },
    fanout: { seconds: 0, deltas: 0, delivered: 0, cpuSeconds: 0, cpuPerMessageUs: Number.NaN },
    spike: {
      checkins: act,
      votes: act,
      messages: { sent: 0, accepted: 0 },
      actionsPerSecond: 0,
      cpuSeconds: 0,
      cpuPerActionUs: Number.NaN,
      peakRssMB: 0,
      machineBusyPct: 0,
      loadgenCpuSeconds: 0,
    },
    latency: { spike: nan, fanout: nan, undelivered: 0, sampledSubscribers: 0 },
    exactlyOnce: null,
    timeline: [],
    latencyTimeline: [],
    phases,
    durationSeconds,
    loadAverage: '',
  }
}
