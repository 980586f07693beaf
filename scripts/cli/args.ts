/**
 * Command-line parsing on node:util parseArgs, with the CLI's own error wording, and the
 * help text of each command generated from the same description.
 */
import { parseArgs } from 'node:util'

/** A mistake in how the command was called: exit code 2, with a pointer to --help. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message)
  }
}

/** Something went wrong while running: exit code 1. `hint` says what to do about it. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message)
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean'
  /** Placeholder shown in help: `--count N`. */
  value?: string
  description: string
  multiple?: boolean
}

export interface CommandSpec {
  /** As typed: `wristbands revoke`. */
  name: string
  usage: string
  summary: string
  details?: string
  options: Record<string, OptionSpec>
  /** Whether the command takes positional arguments (and what they are, for help). */
  positionals?: string
  examples: string[]
}

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  'public-url': {
    type: 'string',
    value: 'URL',
    description: "base URL phones reach (default: PUBLIC_URL, else the running server's, else http://localhost:PORT)",
  },
  help: { type: 'boolean', description: 'show this help' },
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

export function parse(spec: CommandSpec, argv: string[]): Parsed {
  const options = { ...spec.options, ...GLOBAL_OPTIONS }
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          { type: o.type, multiple: o.multiple, ...(name === 'help' ? { short: 'h' } : {}) },
        ]),
      ),
      allowPositionals: !!spec.positionals,
      strict: true,
    })
    return { values: values as Parsed['values'], positionals }
  } catch (err) {
    const e = err as Error & { code?: string }
    const quoted = e.message.match(/'([^']*)'/)?.[1]
    switch (e.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(`unknown option ${quoted ?? ''}`.trim(), spec.name)
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
        const name = e.message.match(/--([\w-]+)/)?.[1]
        throw new UsageError(
          name && options[name]?.type === 'string' ? `--${name} needs a value` : `--${name} takes no value`,
          spec.name,
        )
      }
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw new UsageError(`unexpected argument ${quoted ? `"${quoted}"` : ''}`.trim(), spec.name)
    }
    throw new UsageError(e.message, spec.name)
  }
}

/** A required string option. */
export function required(parsed: Parsed, name: string, spec: CommandSpec): string {
  const v = parsed.values[name]
  if (typeof v !== 'string' || !v.trim()) throw new UsageError(`--${name} is required`, spec.name)
  return v.trim()
}

/** A whole-number option within bounds, or undefined when not given. */
export function integer(parsed: Parsed, name: string, spec: CommandSpec, min: number, max: number): number | undefined {
  const v = parsed.values[name]
  if (v === undefined) return undefined
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max.toLocaleString('en')} (got "${v}")`,
      spec.name,
    )
  }
  return n
}

export function helpText(spec: CommandSpec): string {
  const options = { ...spec.options, ...GLOBAL_OPTIONS }
  const left = (name: string, o: OptionSpec) => `--${name}${o.value ? ` ${o.value}` : ''}`
  const width = Math.max(...Object.entries(options).map(([n, o]) => left(n, o).length)) + 2
  const lines = [
    `Usage: glowband ${spec.usage}`,
    '',
    spec.summary,
    ...(spec.details ? ['', spec.details] : []),
    '',
    'Options:',
    ...Object.entries(options).map(([n, o]) => `  ${left(n, o).padEnd(width)}${o.description}`),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ]
  return lines.join('\n')
}
