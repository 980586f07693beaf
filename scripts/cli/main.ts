/**
 * The glowband CLI: finds the command, runs it, and turns failures into a message and an
 * exit code: 0 done, 1 failed while running, 2 called wrongly.
 */
import { ApiFailure } from '../../server/http/errors.ts'
import { CliError, type CommandSpec, helpText, UsageError } from './args.ts'
import { eventCreate, eventList, runEventCreate, runEventList } from './event-commands.ts'
import { raffleVerify, runRaffleVerify } from './raffle-commands.ts'
import {
  runWristbandsCreate,
  runWristbandsExport,
  runWristbandsList,
  runWristbandsRevoke,
  wristbandsCreate,
  wristbandsExport,
  wristbandsList,
  wristbandsRevoke,
} from './wristband-commands.ts'

interface Command {
  spec: CommandSpec
  run(argv: string[]): Promise<number>
}

const COMMANDS: Record<string, Record<string, Command>> = {
  event: {
    create: { spec: eventCreate, run: runEventCreate },
    list: { spec: eventList, run: runEventList },
  },
  wristbands: {
    create: { spec: wristbandsCreate, run: runWristbandsCreate },
    list: { spec: wristbandsList, run: runWristbandsList },
    revoke: { spec: wristbandsRevoke, run: runWristbandsRevoke },
    export: { spec: wristbandsExport, run: runWristbandsExport },
  },
  raffle: {
    verify: { spec: raffleVerify, run: runRaffleVerify },
  },
}

const TOP_HELP = `Usage: glowband <command> [options]

Prepares Glowband events: creates them, makes wristband batches (a CSV and printable QR
sheets), lists and revokes wristbands; and checks raffle draws. Run with
\`bun run glowband ...\` or \`npx glowband ...\`.

Commands:
  event create       create an event; prints its host secret and its three pages
  event list         list the events with their wristbands and check-ins
  wristbands         make a batch of wristbands: database, CSV and printable sheet
  wristbands list    list an event's batches
  wristbands revoke  stop wristbands working, by code, number or batch
  wristbands export  write a batch's CSV and sheet again (reprint)
  raffle verify      recompute a raffle's winners from its public proof: MATCH or MISMATCH

The database is the server's, chosen by the same environment variables: DATA_DIR
(embedded mode, default ./data) or DATABASE_URL + REDIS_URL (cluster mode). In embedded
mode, while a server runs on DATA_DIR, the CLI goes through it. PUBLIC_URL (or
--public-url) is the address printed in the QR codes.

Examples:
  glowband event create --name "Summer Gala" --slug gala
  glowband wristbands --event gala --count 500 --batch door-a
  glowband wristbands revoke --event gala 7K3M-0Q9T-ZX4A
  glowband raffle verify proof.json

Run \`glowband <command> --help\` for the options of each command.
`

const wantsHelp = (argv: string[]) => argv.includes('--help') || argv.includes('-h')

function find(argv: string[]): { command: Command; rest: string[] } | null {
  const group = COMMANDS[argv[0]]
  if (!group) return null
  const sub = argv[1]
  if (sub && group[sub]) return { command: group[sub], rest: argv.slice(2) }
  // `wristbands --event ...` is `wristbands create`.
  if (argv[0] === 'wristbands' && (!sub || sub.startsWith('-'))) return { command: group.create, rest: argv.slice(1) }
  return null
}

function groupHelp(name: string): string {
  return Object.values(COMMANDS[name])
    .map((c) => `  glowband ${c.spec.usage}\n      ${c.spec.summary.split('\n')[0]}`)
    .join('\n')
}

export async function main(argv: string[]): Promise<number> {
  let commandName: string | undefined
  try {
    if (!argv.length || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
      const topic = argv[0] === 'help' ? find(argv.slice(1)) : null
      process.stdout.write(topic ? helpText(topic.command.spec) : TOP_HELP)
      return argv.length ? 0 : 2
    }
    const found = find(argv)
    if (!found) {
      if (!COMMANDS[argv[0]]) throw new UsageError(`unknown command "${argv[0]}"`)
      const list = `Commands of glowband ${argv[0]}:\n${groupHelp(argv[0])}\n`
      if (wantsHelp(argv)) {
        process.stdout.write(list)
        return 0
      }
      process.stderr.write(
        `glowband: ${argv[1] ? `unknown command "${argv[0]} ${argv[1]}"` : `"${argv[0]}" needs a command`}\n${list}`,
      )
      return 2
    }
    commandName = found.command.spec.name
    if (wantsHelp(found.rest)) {
      process.stdout.write(helpText(found.command.spec))
      return 0
    }
    return await found.command.run(found.rest)
  } catch (err) {
    return report(err, commandName)
  }
}

function report(err: unknown, commandName?: string): number {
  const say = (s: string) => process.stderr.write(`${s}\n`)
  if (err instanceof UsageError) {
    say(`glowband: ${err.message}`)
    const name = err.command ?? commandName
    say(`Run \`glowband ${name ? `${name} ` : ''}--help\` for usage.`)
    return 2
  }
  if (err instanceof CliError) {
    say(`glowband: ${err.message}`)
    if (err.hint) say(`  ${err.hint}`)
    return 1
  }
  if (err instanceof ApiFailure) {
    const fields = err.fields
      ? ` (${Object.entries(err.fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')})`
      : ''
    say(`glowband: ${err.message}${fields}`)
    if (err.error === 'not_found' && /^event /.test(err.message)) say('  run `glowband event list` to see the events')
    return err.status === 422 ? 2 : 1
  }
  say(`glowband: unexpected error: ${(err as Error)?.stack ?? err}`)
  return 1
}
