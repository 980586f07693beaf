/** What every command needs: the configuration, a backend, the public URL, tables. */
import { type Config, ConfigError, loadConfig } from '../../server/config.ts'
import { SLUG_PATTERN } from '../../server/events/directory.ts'
import type { EventSummary } from '../../server/operator/service.ts'
import { CliError, type CommandSpec, type Parsed, UsageError } from './args.ts'
import { type Backend, connect } from './backend.ts'

/** The server's configuration from the environment, with --public-url on top. */
export function cliConfig(parsed: Parsed, spec: CommandSpec): Config {
  const env = { ...process.env }
  if (typeof parsed.values['public-url'] === 'string') env.PUBLIC_URL = parsed.values['public-url']
  try {
    return loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError)
      throw new UsageError(err.message.replace('PUBLIC_URL', 'PUBLIC_URL (or --public-url)'), spec.name)
    throw err
  }
}

/** Runs `fn` with a connected backend and always closes it. */
export async function withBackend<T>(
  config: Config,
  opts: { create: boolean },
  fn: (b: Backend) => Promise<T>,
): Promise<T> {
  const backend = await connect(config, opts)
  try {
    return await fn(backend)
  } finally {
    await backend.close()
  }
}

/**
 * The base URL guests' phones open: --public-url or PUBLIC_URL if given, else the running
 * server's, else http://localhost:PORT.
 */
export function publicUrl(config: Config, backend: Backend): string {
  return config.PUBLIC_URL ? config.publicUrl : (backend.serverPublicUrl ?? config.publicUrl)
}

/** A warning when printed codes would point at this machine only. */
export function localWarning(url: string): string | null {
  const host = new URL(url).hostname
  if (!['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(host)) return null
  return `warning: the QR codes point at ${url}, which guests' phones cannot reach; set PUBLIC_URL or pass --public-url https://your.domain`
}

/** The event with this slug, or an error that says how to find the right one. */
export async function findEvent(backend: Backend, slug: string): Promise<EventSummary> {
  const event = SLUG_PATTERN.test(slug) ? (await backend.listEvents()).find((e) => e.slug === slug) : undefined
  if (!event) throw unknownEvent(slug)
  return event
}

export const unknownEvent = (slug: string) =>
  new CliError(
    `unknown event "${slug}"`,
    'run `glowband event list` to see the events, or `glowband event create --name "..."`',
  )

export const out = (text = '') => process.stdout.write(`${text}\n`)
export const warn = (text: string) => process.stderr.write(`${text}\n`)
export const fmt = (n: number) => n.toLocaleString('en')

/** A plain text table: header row, then rows; numbers right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))]
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)))
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'))
  return cells
    .map((r) =>
      r
        .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}
