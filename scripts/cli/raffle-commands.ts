/**
 * `glowband raffle verify PROOF`: recomputes a raffle's winners from its public proof
 * (a file, `-` for stdin, or the proof's URL) with the same code the server draws with
 * (protocol/raffle-proof.ts), and says MATCH (exit 0) or MISMATCH (exit 1). It needs no
 * database and no server: anyone can run it on a proof they downloaded.
 */
import { readFileSync } from 'node:fs'
import { raffleProofSchema, type VerifyResult, verifyProof } from '../../protocol/raffle-proof.ts'
import { CliError, type CommandSpec, parse, UsageError } from './args.ts'

export const raffleVerify: CommandSpec = {
  name: 'raffle verify',
  usage: 'raffle verify PROOF [--json]',
  summary: "Recomputes a raffle's winners from its public proof and says MATCH or MISMATCH.",
  details:
    'PROOF is a proof JSON file, - for standard input, or its URL\n' +
    '(https://HOST/api/events/SLUG/raffles/ID/proof). Exit code 0 means MATCH: the list hash,\n' +
    'the seed commitment, the taps and every pick agree. 1 means MISMATCH (or unreadable).\n' +
    'The algorithm is described in docs/raffles.md.',
  positionals: 'PROOF',
  options: { json: { type: 'boolean', description: 'print the checks as JSON' } },
  examples: [
    'glowband raffle verify proof.json',
    'glowband raffle verify https://gala.example.com/api/events/gala/raffles/3/proof',
    'curl -s https://gala.example.com/api/events/gala/raffles/3/proof | glowband raffle verify -',
  ],
}

async function readProof(source: string): Promise<unknown> {
  let text: string
  try {
    if (/^https?:\/\//.test(source)) {
      const res = await fetch(source, { headers: { accept: 'application/json' } })
      if (!res.ok) throw new CliError(`${source} answered ${res.status}`)
      text = await res.text()
    } else {
      text = readFileSync(source === '-' ? 0 : source, 'utf8')
    }
  } catch (err) {
    if (err instanceof CliError) throw err
    throw new CliError(`cannot read ${source}: ${(err as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new CliError(`${source} is not JSON`, 'give the file that GET /api/events/SLUG/raffles/ID/proof answers')
  }
}

function render(proof: unknown, result: VerifyResult): string {
  const lines: string[] = []
  const p = raffleProofSchema.safeParse(proof)
  if (p.success)
    lines.push(`Raffle "${p.data.raffle.name}" (#${p.data.raffle.id}) of event ${p.data.event}, ${p.data.algorithm}`)
  const width = Math.max(...result.checks.map((c) => c.check.length))
  for (const c of result.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.check.padEnd(width)}  ${c.detail}`)
  if (p.success && result.ok) {
    lines.push('', 'Winners, recomputed:')
    for (const tier of [...p.data.prizes].sort((a, b) => a.tier - b.tier)) {
      const numbers = result.winners.filter((w) => w.tier === tier.tier).map((w) => `#${w.number}`)
      lines.push(`  ${tier.name} (${numbers.length} of ${tier.count}): ${numbers.join(', ') || 'none'}`)
    }
    const noShows = p.data.picks.filter((x) => x.outcome === 'no_show')
    if (noShows.length)
      lines.push(
        `  marked absent and replaced: ${noShows
          .sort((a, b) => (a.noShowSeq ?? 0) - (b.noShowSeq ?? 0))
          .map((x) => `#${x.number}`)
          .join(', ')}`,
      )
  }
  if (result.warnings.length) lines.push('', 'Warnings:', ...result.warnings.map((w) => `  ${w}`))
  lines.push(
    '',
    result.ok
      ? 'MATCH: the winners follow from the published list, seed and taps.'
      : 'MISMATCH: this proof does not recompute to its winners.',
  )
  return `${lines.join('\n')}\n`
}

export async function runRaffleVerify(argv: string[]): Promise<number> {
  const args = parse(raffleVerify, argv)
  if (args.positionals.length !== 1) throw new UsageError('give one proof: a file, - or a URL', raffleVerify.name)
  const proof = await readProof(args.positionals[0])
  const result = verifyProof(proof)
  if (args.values.json) process.stdout.write(`${JSON.stringify({ match: result.ok, ...result }, null, 2)}\n`)
  else process.stdout.write(render(proof, result))
  return result.ok ? 0 : 1
}
