/** `glowband event create` and `glowband event list`. */
import { createEventSchema } from '../../server/operator/model.ts'
import { type CommandSpec, parse, UsageError } from './args.ts'
import { cliConfig, fmt, localWarning, out, publicUrl, table, warn, withBackend } from './context.ts'

export const eventCreate: CommandSpec = {
  name: 'event create',
  usage: 'event create --name NAME [--slug SLUG] [--json]',
  summary: 'Creates an event and prints its host secret and its three pages (guest, big screen, host admin).',
  details:
    'The host secret is shown once and stored only hashed: keep it (the admin link carries it).\n' +
    "The slug is the event's short name in URLs; it is made from the name unless given.",
  options: {
    name: { type: 'string', value: 'NAME', description: "the event's name, as guests see it" },
    slug: {
      type: 'string',
      value: 'SLUG',
      description: 'short name for URLs: lowercase letters, digits, dashes (default: from the name)',
    },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  examples: [
    'glowband event create --name "Summer Gala 2026"',
    'glowband event create --name "Summer Gala 2026" --slug gala --public-url https://gala.example.com',
  ],
}

export const eventList: CommandSpec = {
  name: 'event list',
  usage: 'event list [--json]',
  summary: 'Lists the events with their status, wristbands, check-ins and revoked wristbands.',
  options: { json: { type: 'boolean', description: 'print the list as JSON' } },
  examples: ['glowband event list', 'glowband event list --json | jq -r ".[].slug"'],
}

export async function runEventCreate(argv: string[]): Promise<number> {
  const args = parse(eventCreate, argv)
  const input = createEventSchema.safeParse({ name: args.values.name, slug: args.values.slug })
  if (!input.success) {
    const issue = input.error.issues[0]
    const field = String(issue.path[0] ?? 'name')
    throw new UsageError(
      args.values[field] === undefined ? `--${field} is required` : `--${field}: ${issue.message}`,
      eventCreate.name,
    )
  }
  const config = cliConfig(args, eventCreate)
  return withBackend(config, { create: true }, async (backend) => {
    const { event, hostSecret } = await backend.createEvent(input.data)
    const base = publicUrl(config, backend)
    const urls = {
      guest: `${base}/e/${event.slug}`,
      screen: `${base}/e/${event.slug}/screen`,
      admin: `${base}/e/${event.slug}/admin#key=${hostSecret}`,
    }
    if (args.values.json) {
      out(JSON.stringify({ ...event, hostSecret, urls }, null, 2))
      return 0
    }
    out(`Created the event "${event.name}" (${event.slug}).`)
    out()
    out(`  Host secret:  ${hostSecret}`)
    out('                shown only now: keep it safe; anyone with it runs the event')
    out()
    out(`  Guest page:   ${urls.guest}`)
    out(`  Big screen:   ${urls.screen}`)
    out(`  Host admin:   ${urls.admin}`)
    out()
    out(`Next, the wristbands:  glowband wristbands --event ${event.slug} --count 500`)
    const warning = localWarning(base)
    if (warning) warn(warning)
    return 0
  })
}

export async function runEventList(argv: string[]): Promise<number> {
  const args = parse(eventList, argv)
  const config = cliConfig(args, eventList)
  return withBackend(config, { create: false }, async (backend) => {
    const events = await backend.listEvents()
    if (args.values.json) {
      out(JSON.stringify(events, null, 2))
      return 0
    }
    if (!events.length) {
      out('No events yet. Create one:  glowband event create --name "Summer Gala"')
      return 0
    }
    out(
      table(
        ['SLUG', 'NAME', 'STATUS', 'WRISTBANDS', 'CHECKED IN', 'REVOKED'],
        events.map((e) => [e.slug, e.name, e.status, e.wristbands, e.checkedIn, e.revoked]),
      ),
    )
    out()
    out(`${fmt(events.length)} event${events.length === 1 ? '' : 's'}, from ${backend.via}.`)
    return 0
  })
}
