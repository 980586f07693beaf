/**
 * The demo event `npm start` prepares: a few wristbands and an open poll, so the three
 * pages show something the first time. Its host secret is kept in DATA_DIR so the
 * admin URL can be printed again on every start.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Runtime } from '../runtime.ts'

const DEMO_SLUG = 'demo'

export async function ensureDemoEvent(rt: Runtime) {
  const base = rt.config.publicUrl
  const secretFile = join(rt.config.dataDir, `${DEMO_SLUG}.host-secret`)
  let event = await rt.directory.bySlug(DEMO_SLUG)
  let secret: string
  let sampleCode: string
  if (!event || !existsSync(secretFile)) {
    if (event) throw new Error(`an event "${DEMO_SLUG}" exists but ${secretFile} is gone; start with an empty DATA_DIR`)
    const created = await rt.directory.create({ name: 'Glowband Demo Night', slug: DEMO_SLUG })
    event = created.event
    secret = created.hostSecret
    const batch = await rt.wristbands.createWristbands(event, { count: 200, label: 'demo' })
    sampleCode = batch.wristbands[0].code
    const poll = await rt.polls.createPoll(event, {
      question: 'Which song should close the night?',
      options: ['Neon Lights', 'Golden Hour', 'Midnight City'],
    })
    await rt.polls.setPollState(event, poll.id, 'open')
    mkdirSync(rt.config.dataDir, { recursive: true })
    writeFileSync(secretFile, JSON.stringify({ secret, sampleCode }), { mode: 0o600 })
  } else {
    ;({ secret, sampleCode } = JSON.parse(readFileSync(secretFile, 'utf8')))
  }
  return {
    name: event.name,
    guestUrl: `${base}/e/${event.slug}`,
    screenUrl: `${base}/e/${event.slug}/screen`,
    adminUrl: `${base}/e/${event.slug}/admin#key=${secret}`,
    sampleWristbandUrl: `${base}/w/${sampleCode}`,
  }
}
