/**
 * The built client's files (HTML, the content-hashed assets, the service worker), each
 * compressed once with brotli and gzip and kept in memory, and served in the encoding the
 * browser asks for (`Accept-Encoding`, q-values honoured, brotli first) with
 * `Vary: Accept-Encoding`, so a cache in between never hands brotli to a browser that
 * did not ask for it. Compression runs on zlib's thread pool (async), never on the event
 * loop; a file is read again when its size or mtime changes (a rebuild under a running
 * server). Images and fonts are sent as they are: they are compressed already.
 */
import { stat } from 'node:fs/promises'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

export type Encoding = 'br' | 'gzip'

const COMPRESSIBLE = /\.(?:html|js|mjs|css|svg|json|map|txt|webmanifest)$/
/** Entries kept at most: the build's files (a few dozen), with room for one rebuild's worth of new names. */
const MAX_ENTRIES = 512

interface Entry {
  version: string
  type: string
  identity: Uint8Array<ArrayBuffer>
  br?: Uint8Array<ArrayBuffer>
  gzip?: Uint8Array<ArrayBuffer>
}

const files = new Map<string, Promise<Entry>>()

/**
 * The encoding to send for an `Accept-Encoding` header: `br`, then `gzip`, when the
 * browser accepts it (a q of 0 refuses it, `*` stands for the ones not named), else null.
 *
 * @example
 * chooseEncoding('gzip, deflate, br') // 'br'
 * chooseEncoding('br;q=0, gzip') // 'gzip'
 */
export function chooseEncoding(accept: string | null): Encoding | null {
  if (!accept) return null
  const q = new Map<string, number>()
  for (const part of accept.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';')
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const value = qParam ? Number(qParam.slice(2)) : 1
    if (name) q.set(name.trim(), Number.isFinite(value) ? value : 0)
  }
  const accepts = (name: Encoding) => (q.get(name) ?? q.get('*') ?? 0) > 0
  if (accepts('br')) return 'br'
  if (accepts('gzip')) return 'gzip'
  return null
}

async function load(path: string, version: string): Promise<Entry> {
  const file = Bun.file(path)
  const identity = new Uint8Array(await file.arrayBuffer())
  const entry: Entry = { version, type: file.type, identity }
  if (COMPRESSIBLE.test(path) && identity.length > 256) {
    const [br, gz] = await Promise.all([
      brotli(identity, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        },
      }),
      gzipAsync(identity, { level: 9 }),
    ])
    // Only where it pays: a tiny file can come out bigger.
    if (br.length < identity.length)
      entry.br = new Uint8Array(br.buffer.slice(br.byteOffset, br.byteOffset + br.length) as ArrayBuffer)
    if (gz.length < identity.length)
      entry.gzip = new Uint8Array(gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.length) as ArrayBuffer)
  }
  return entry
}

/**
 * A file of the build as a response in the best encoding this request accepts, or null
 * when there is no such file. `headers` (Cache-Control) are added.
 */
export async function serveFile(
  path: string,
  request: Request,
  headers: Record<string, string>,
): Promise<Response | null> {
  const info = await stat(path).catch(() => null)
  if (!info?.isFile()) return null
  const version = `${info.size}:${info.mtimeMs}`
  let pending = files.get(path)
  let entry = pending ? await pending.catch(() => null) : null
  if (!entry || entry.version !== version) {
    if (files.size >= MAX_ENTRIES) files.clear()
    pending = load(path, version)
    files.set(path, pending)
    try {
      entry = await pending
    } catch (err) {
      files.delete(path)
      throw err
    }
  }
  const out: Record<string, string> = { 'content-type': entry.type, ...headers }
  let body = entry.identity
  if (entry.br || entry.gzip) {
    out.vary = 'Accept-Encoding'
    const encoding = chooseEncoding(request.headers.get('accept-encoding'))
    const encoded = encoding && entry[encoding]
    if (encoding && encoded) {
      body = encoded
      out['content-encoding'] = encoding
    }
  }
  return new Response(request.method === 'HEAD' ? null : body, { headers: out })
}
