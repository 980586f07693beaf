/**
 * `glowband wristbands [create]`, `wristbands list`, `wristbands revoke`, `wristbands export`.
 *
 * Making a batch runs in this order, so that nothing is ever half-done:
 * 1. check the arguments, the event and that the output folder can be written;
 * 2. write the batch to the database in one transaction (the counter layer learns it);
 * 3. write the files into a hidden staging folder, then rename it into place.
 * If step 3 fails or is interrupted, the batch is complete in the database and
 * `wristbands export` writes its files again from there.
 */
import { resolve } from 'node:path'
import { CODE_LENGTH, parseCode } from '../../server/host/wristbands/codes.ts'
import { wristbandBatchSchema } from '../../server/host/wristbands/model.ts'
import { CliError, type CommandSpec, integer, type Parsed, parse, required, UsageError } from './args.ts'
import { cliConfig, findEvent, fmt, localWarning, out, publicUrl, table, warn, withBackend } from './context.ts'
import { Staging, shown, unusableTarget, type WrittenFiles, writeBatchFiles } from './output.ts'
import { Progress } from './progress.ts'
import { qrMatrix } from './qr.ts'
import { LABELS_PER_FILE, LABELS_PER_PAGE, PAPERS, type Paper, type SheetInfo, type Wristband } from './sheet.ts'

/** The most wristbands one run makes (the host API's bound). */
const MAX_COUNT = 200_000

const fileOptions = {
  out: {
    type: 'string',
    value: 'DIR',
    description: 'the folder to write (default: ./wristbands/EVENT-BATCH); must be new or empty',
  },
  paper: {
    type: 'string',
    value: 'a4|letter',
    description: 'page size of the sheet (default a4; the label grid fits both)',
  },
  png: { type: 'boolean', description: 'also write png/NUMBER.png, one QR image per wristband' },
  svg: { type: 'boolean', description: 'also write svg/NUMBER.svg, one QR image per wristband' },
} as const

export const wristbandsCreate: CommandSpec = {
  name: 'wristbands',
  usage:
    'wristbands [create] --event SLUG --count N [--batch LABEL] [--start-number K] [--out DIR] [--add] [--dry-run]',
  summary:
    'Generates N wristbands with consecutive public numbers and secret codes, saves them in the\n' +
    'database in one transaction, and writes a folder with wristbands.csv (number,code,url) and a\n' +
    `printable sheet (sheet.html; sheet-001.html, ... for more than ${fmt(LABELS_PER_FILE)} wristbands).`,
  details:
    'A batch label is used once per event: running again with the same --batch refuses unless\n' +
    '--add is given. Numbers continue after the highest number of the event unless --start-number\n' +
    'is given. Works in both modes; in embedded mode it goes through the running server if there is one.',
  options: {
    event: { type: 'string', value: 'SLUG', description: 'the event (see glowband event list)' },
    count: { type: 'string', value: 'N', description: `how many wristbands, 1 to ${fmt(MAX_COUNT)}` },
    batch: {
      type: 'string',
      value: 'LABEL',
      description: 'batch label: letters, digits, _ . - (default: batch-DATETIME)',
    },
    'start-number': {
      type: 'string',
      value: 'K',
      description: "first public number (default: after the event's highest)",
    },
    add: { type: 'boolean', description: 'add more wristbands to an existing batch' },
    'dry-run': { type: 'boolean', description: 'check everything and show what would be made; write nothing' },
    ...fileOptions,
  },
  examples: [
    'glowband wristbands --event gala --count 500 --batch door-a',
    'glowband wristbands --event gala --count 200 --batch door-a --add --out ./print/door-a-more',
    'glowband wristbands --event gala --count 100000 --batch general --paper letter --dry-run',
    'PUBLIC_URL=https://gala.example.com glowband wristbands --event gala --count 50 --png',
  ],
}

export const wristbandsList: CommandSpec = {
  name: 'wristbands list',
  usage: 'wristbands list --event SLUG [--json]',
  summary: 'Lists the wristband batches of an event: first number, count, revoked, when made.',
  options: {
    event: { type: 'string', value: 'SLUG', description: 'the event' },
    json: { type: 'boolean', description: 'print the list as JSON' },
  },
  examples: ['glowband wristbands list --event gala'],
}

export const wristbandsRevoke: CommandSpec = {
  name: 'wristbands revoke',
  usage: 'wristbands revoke --event SLUG (CODE... | --number N... | --batch LABEL)',
  summary:
    'Revokes wristbands: a lost or stolen one stops working at once (no new check-in, and a phone\n' +
    'already checked in with it can no longer vote or post). Name them by secret code, by public\n' +
    'number (N, N,M or a range N-M), or a whole batch.',
  options: {
    event: { type: 'string', value: 'SLUG', description: 'the event' },
    number: {
      type: 'string',
      value: 'N',
      description: 'public number(s): 42, 42,43 or 40-49; may be repeated',
      multiple: true,
    },
    batch: { type: 'string', value: 'LABEL', description: 'every wristband of this batch' },
  },
  positionals: 'CODE...',
  examples: [
    'glowband wristbands revoke --event gala 7K3M-0Q9T-ZX4A',
    'glowband wristbands revoke --event gala --number 42 --number 100-120',
    'glowband wristbands revoke --event gala --batch door-a',
  ],
}

export const wristbandsExport: CommandSpec = {
  name: 'wristbands export',
  usage: 'wristbands export --event SLUG --batch LABEL [--out DIR] [--png] [--svg]',
  summary:
    'Writes the CSV and the sheet of a batch again, from the database: to reprint a lost sheet, or\n' +
    'when writing the files of a new batch was interrupted. Revoked wristbands are left out.',
  options: {
    event: { type: 'string', value: 'SLUG', description: 'the event' },
    batch: { type: 'string', value: 'LABEL', description: 'the batch (see glowband wristbands list)' },
    ...fileOptions,
  },
  examples: ['glowband wristbands export --event gala --batch door-a --out ./reprint'],
}

function paperOf(args: Parsed, spec: CommandSpec): Paper {
  const paper = String(args.values.paper ?? 'a4').toLowerCase()
  if (!(paper in PAPERS)) throw new UsageError(`--paper must be a4 or letter (got "${args.values.paper}")`, spec.name)
  return paper as Paper
}

/** `gala.example.com/e/gala`: where a guest types a code by hand. */
const typeAt = (base: string, slug: string) => {
  const u = new URL(base)
  return `${u.host}${u.pathname.replace(/\/+$/, '')}/e/${slug}`
}

const range = (first: number, count: number) => (count === 1 ? `${first}` : `${first}-${first + count - 1}`)
const plural = (n: number, word: string, words = `${word}s`) => `${fmt(n)} ${n === 1 ? word : words}`
const seconds = (from: number, to = performance.now()) => `${((to - from) / 1000).toFixed(1)} s`

function describeFiles(
  dir: string,
  files: Pick<WrittenFiles, 'sheets' | 'pages' | 'png' | 'svg'>,
  count: number,
  paper: Paper,
) {
  const lines = [`  wristbands.csv   ${plural(count, 'row')}: number,code,url`]
  const pages = `${plural(files.pages, `${PAPERS[paper].name} page`)} of ${LABELS_PER_PAGE} labels`
  if (files.sheets.length === 1) lines.push(`  ${files.sheets[0].padEnd(16)} ${pages}`)
  else
    lines.push(
      `  ${files.sheets[0]} to ${files.sheets[files.sheets.length - 1]}: ${pages}, ${LABELS_PER_FILE / LABELS_PER_PAGE} pages a file`,
    )
  if (files.png) lines.push(`  png/             ${plural(files.png, 'QR image')}`)
  if (files.svg) lines.push(`  svg/             ${plural(files.svg, 'QR image')}`)
  return [`${shown(dir)}/`, ...lines]
}

/** Ctrl-C and kill: say what state things are in, then exit (the exit handlers clean up). */
function onInterrupt(message: () => string) {
  const handler = (signal: NodeJS.Signals) => {
    warn(`\n${signal === 'SIGINT' ? 'interrupted' : `stopped (${signal})`}: ${message()}`)
    process.exit(130)
  }
  process.once('SIGINT', handler)
  process.once('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}

export async function runWristbandsCreate(argv: string[]): Promise<number> {
  const started = performance.now()
  const spec = wristbandsCreate
  const args = parse(spec, argv)
  const slug = required(args, 'event', spec)
  if (args.values.count === undefined) throw new UsageError('--count is required', spec.name)
  const count = integer(args, 'count', spec, 1, MAX_COUNT)!
  const startNumber = integer(args, 'start-number', spec, 1, 99_999_999)
  const label =
    typeof args.values.batch === 'string'
      ? args.values.batch.trim()
      : `batch-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`
  const checked = wristbandBatchSchema.safeParse({ count, label, startNumber, add: !!args.values.add })
  if (!checked.success) throw new UsageError(`--batch: ${checked.error.issues[0].message} (got "${label}")`, spec.name)
  if (startNumber !== undefined && startNumber + count - 1 > 99_999_999) {
    throw new UsageError('--start-number plus --count goes past 99,999,999', spec.name)
  }
  const paper = paperOf(args, spec)
  const add = !!args.values.add
  const dryRun = !!args.values['dry-run']
  const explicitOut = typeof args.values.out === 'string' ? resolve(args.values.out) : null
  const config = cliConfig(args, spec)

  return withBackend(config, { create: false }, async (backend) => {
    const event = await findEvent(backend, slug)
    const base = publicUrl(config, backend)
    const warning = localWarning(base)
    if (warning) warn(warning)
    fitsQr(base)
    // The target folder; with --add and no --out it is named after the numbers, known after step 2.
    const defaultDir = (suffix = '') => resolve('wristbands', `${event.slug}-${label}${suffix}`)
    let target = explicitOut ?? (add ? null : defaultDir())
    const problem = target ? unusableTarget(target) : null
    if (problem) throw new CliError(`cannot write the batch: ${problem}`, 'choose another folder with --out DIR')
    const staging = Staging.open(target ?? defaultDir('-more'))
    const progress = new Progress()
    let stage: 'database' | 'files' = 'database'
    const stopHandling = onInterrupt(() =>
      stage === 'database'
        ? backend.progress
          ? 'the batch was not saved; nothing was written'
          : `the server may still finish saving the batch; check with: glowband wristbands list --event ${event.slug}`
        : `the batch "${label}" is saved, but its files were not written. Write them with:\n  glowband wristbands export --event ${event.slug} --batch ${label}`,
    )
    try {
      if (dryRun) {
        const plan = await backend.createBatch(event.slug, { count, label, startNumber, add, dryRun: true })
        staging.discard()
        const pages = Math.ceil(count / LABELS_PER_PAGE)
        const files = Math.ceil(count / LABELS_PER_FILE)
        const sheets = files === 1 ? ['sheet.html'] : ['sheet-001.html', `sheet-${String(files).padStart(3, '0')}.html`]
        const dir = target ?? defaultDir(`-${plan.firstNumber}-${plan.firstNumber + count - 1}`)
        out(`Dry run, nothing was written. This would:`)
        out(
          `- ${add ? 'add' : 'create'} ${plural(count, 'wristband')} ${add ? 'to' : 'in'} batch ${label} of "${event.name}" (${event.slug}), numbers ${range(plan.firstNumber, count)}, in ${backend.via}`,
        )
        out(
          `- write ${describeFiles(dir, { sheets, pages, png: args.values.png ? count : 0, svg: args.values.svg ? count : 0 }, count, paper).join('\n  ')}`,
        )
        out(`- print QR codes that open ${base}/w/<code>`)
        return 0
      }

      const savingStarted = performance.now()
      const saving = backend.progress ? progress.phase('database', count) : null
      if (!saving) progress.note(`saving ${plural(count, 'wristband')} through ${backend.via}...`)
      const batch = await backend.createBatch(event.slug, { count, label, startNumber, add }, (done) =>
        saving?.update(done),
      )
      saving?.finish()
      stage = 'files'
      const filesStarted = performance.now()
      const wristbands: Wristband[] = batch.wristbands.map((w) => ({ ...w, url: `${base}/w/${w.code}` }))
      const info: SheetInfo = { eventName: event.name, typeAt: typeAt(base, event.slug), paper, batch: label }
      let files: WrittenFiles
      try {
        files = await writeBatchFiles(
          staging.path,
          wristbands,
          info,
          { png: !!args.values.png, svg: !!args.values.svg },
          progress,
        )
        target ??= freeDir(defaultDir(`-${range(batch.firstNumber, count)}`))
        staging.commit(target)
        // From here on the files are in place: a late Ctrl-C must not say they were not written.
        stopHandling()
      } catch (err) {
        staging.discard()
        throw new CliError(
          `the batch "${label}" is saved, but writing its files failed: ${(err as Error).message}`,
          `write them with: glowband wristbands export --event ${event.slug} --batch ${label} --out DIR`,
        )
      }
      out(
        `${add ? 'Added' : 'Created'} ${plural(count, 'wristband')} for "${event.name}" (${event.slug}): numbers ${range(batch.firstNumber, count)}, batch ${label}.`,
      )
      out(
        `  saved     in ${backend.via}; ${backend.liveAtOnce ? 'they work at once' : 'they work once the server starts'}`,
      )
      out(`  files     ${describeFiles(target, files, count, paper).join('\n            ')}`)
      out(`  QR codes  ${base}/w/<code>`)
      out(
        `Done in ${seconds(started)} (database ${seconds(savingStarted, filesStarted)}, files ${seconds(filesStarted)}).`,
      )
      return 0
    } finally {
      stopHandling()
      staging.discard()
    }
  })
}

/** Checks, before anything is saved, that the wristband URLs fit in a label's QR code. */
function fitsQr(base: string) {
  try {
    qrMatrix(`${base}/w/${'0'.repeat(CODE_LENGTH)}`)
  } catch {
    throw new CliError(
      `the public URL ${base} is too long for a wristband QR code`,
      'use a shorter PUBLIC_URL (at most about 190 characters)',
    )
  }
}

/** `dir`, or `dir-2`, `dir-3`... if it is taken. */
function freeDir(dir: string): string {
  let candidate = dir
  for (let i = 2; unusableTarget(candidate); i++) candidate = `${dir}-${i}`
  return candidate
}

export async function runWristbandsList(argv: string[]): Promise<number> {
  const args = parse(wristbandsList, argv)
  const slug = required(args, 'event', wristbandsList)
  const config = cliConfig(args, wristbandsList)
  return withBackend(config, { create: false }, async (backend) => {
    const event = await findEvent(backend, slug)
    const batches = await backend.batches(event.slug)
    if (args.values.json) {
      out(JSON.stringify(batches, null, 2))
      return 0
    }
    if (!batches.length) {
      out(`"${event.name}" has no wristbands yet. Make some:  glowband wristbands --event ${event.slug} --count 500`)
      return 0
    }
    out(
      table(
        ['BATCH', 'FIRST', 'COUNT', 'REVOKED', 'CREATED'],
        batches.map((b) => [b.label, b.firstNumber, b.count, b.revoked, b.createdAt.slice(0, 16).replace('T', ' ')]),
      ),
    )
    const total = batches.reduce((s, b) => s + b.count, 0)
    out()
    out(
      `${plural(total, 'wristband')} in ${plural(batches.length, 'batch', 'batches')} of "${event.name}" (${event.slug}).`,
    )
    return 0
  })
}

/** `42`, `42,43`, `40-49`, repeated: the numbers, or a usage error. */
function numbersOf(values: string[], spec: CommandSpec): number[] {
  const numbers = new Set<number>()
  for (const part of values.flatMap((v) => v.split(','))) {
    const m = part.trim().match(/^(\d{1,8})(?:-(\d{1,8}))?$/)
    const from = Number(m?.[1])
    const to = Number(m?.[2] ?? m?.[1])
    if (!m || from < 1 || to < from)
      throw new UsageError(`--number takes 42, 42,43 or 40-49 (got "${part}")`, spec.name)
    if (to - from >= 10_000 || numbers.size > 10_000)
      throw new UsageError('--number names at most 10,000 wristbands at once; use --batch for more', spec.name)
    for (let n = from; n <= to; n++) numbers.add(n)
  }
  return [...numbers]
}

export async function runWristbandsRevoke(argv: string[]): Promise<number> {
  const spec = wristbandsRevoke
  const args = parse(spec, argv)
  const slug = required(args, 'event', spec)
  const codes = args.positionals
  const numbers = numbersOf((args.values.number as string[] | undefined) ?? [], spec)
  const batch = typeof args.values.batch === 'string' ? args.values.batch : undefined
  const given = [codes.length > 0, numbers.length > 0, batch !== undefined].filter(Boolean).length
  if (given !== 1) throw new UsageError('name the wristbands one way: by CODE, by --number, or by --batch', spec.name)
  for (const code of codes) {
    const parsed = parseCode(code)
    if (!parsed.ok) {
      const why = {
        length: 'a code has 12 letters and digits',
        symbol: 'a code uses only letters and digits',
        check: 'it has a typo (the check character does not match)',
      }
      throw new UsageError(`"${code}" is not a wristband code: ${why[parsed.reason]}`, spec.name)
    }
  }
  if (codes.length > 1000) throw new UsageError('revoke at most 1,000 codes at once', spec.name)
  const config = cliConfig(args, spec)
  return withBackend(config, { create: false }, async (backend) => {
    const event = await findEvent(backend, slug)
    const target = codes.length ? { codes } : numbers.length ? { numbers } : { batch }
    const { revoked } = await backend.revoke(event.slug, target)
    const list = revoked.length > 20 ? `${revoked.slice(0, 20).join(', ')}, ...` : revoked.join(', ')
    out(`Revoked ${plural(revoked.length, 'wristband')} of "${event.name}" (${event.slug}): ${list}.`)
    out(
      backend.liveAtOnce
        ? 'They stop working now: no new check-ins, and phones checked in with them can no longer take part.'
        : 'They are refused from the moment the server starts.',
    )
    if (numbers.length && revoked.length < numbers.length) {
      warn(`note: ${plural(numbers.length - revoked.length, 'number')} named did not match a wristband of this event`)
    }
    return 0
  })
}

export async function runWristbandsExport(argv: string[]): Promise<number> {
  const started = performance.now()
  const spec = wristbandsExport
  const args = parse(spec, argv)
  const slug = required(args, 'event', spec)
  const label = required(args, 'batch', spec)
  const paper = paperOf(args, spec)
  const config = cliConfig(args, spec)
  return withBackend(config, { create: false }, async (backend) => {
    const event = await findEvent(backend, slug)
    const base = publicUrl(config, backend)
    const warning = localWarning(base)
    if (warning) warn(warning)
    fitsQr(base)
    const target =
      typeof args.values.out === 'string' ? resolve(args.values.out) : resolve('wristbands', `${event.slug}-${label}`)
    const problem = unusableTarget(target)
    if (problem) throw new CliError(`cannot write the batch: ${problem}`, 'choose another folder with --out DIR')
    const batch = await backend.exportBatch(event.slug, label)
    if (!batch.wristbands.length) throw new CliError(`batch "${label}" has no wristbands that still work`)
    const staging = Staging.open(target)
    const stopHandling = onInterrupt(() => 'nothing was written')
    try {
      const wristbands = batch.wristbands.map((w) => ({ ...w, url: `${base}/w/${w.code}` }))
      const info: SheetInfo = { eventName: event.name, typeAt: typeAt(base, event.slug), paper, batch: label }
      const files = await writeBatchFiles(
        staging.path,
        wristbands,
        info,
        { png: !!args.values.png, svg: !!args.values.svg },
        new Progress(),
      )
      staging.commit(target)
      out(`Wrote ${plural(wristbands.length, 'wristband')} of batch ${label} of "${event.name}" (${event.slug}).`)
      if (batch.revoked) out(`Left out ${plural(batch.revoked, 'revoked wristband')}.`)
      out(`  files     ${describeFiles(target, files, wristbands.length, paper).join('\n            ')}`)
      out(`Done in ${seconds(started)}.`)
      return 0
    } finally {
      stopHandling()
      staging.discard()
    }
  })
}
