/**
 * Renders the OpenAPI description as one readable HTML page: each route with what it
 * takes and what it answers, the fields shown as nested lists. No script, no CDN.
 */

type JsonSchema = {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  additionalProperties?: JsonSchema | boolean
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  pattern?: string
  default?: unknown
  description?: string
}
type Operation = {
  summary?: string
  description?: string
  tags?: string[]
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[]
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>
}
type Spec = {
  info: { title: string; version: string; description?: string }
  tags?: { name: string; description?: string }[]
  paths: Record<string, Record<string, Operation>>
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
/** Prose from the route docs: escaped, with `backticks` as code. */
const prose = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>')
/** The generator's filler ("Response for status 200") says nothing the code does not. */
const described = (s: string | undefined) => (s && !s.startsWith('Response for status') ? prose(s) : '')

/** A one-line name for a schema's type: `integer 1-12`, `"live" | "paused"`, `string[]`. */
function typeName(s: JsonSchema): string {
  if (s.const !== undefined) return escapeHtml(JSON.stringify(s.const))
  if (s.enum) return s.enum.map((v) => escapeHtml(JSON.stringify(v))).join(' | ')
  const variants = s.anyOf ?? s.oneOf
  if (variants) return variants.map(typeName).join(' | ')
  if (s.type === 'array' && s.items) return `${typeName(s.items)}[]`
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any')
  const range = (lo?: number, hi?: number, unit = '') => {
    const text =
      lo !== undefined && hi !== undefined
        ? `${lo}-${hi}`
        : lo !== undefined
          ? `≥ ${lo}`
          : hi !== undefined
            ? `≤ ${hi}`
            : ''
    return text ? ` <span class="c">${text}${unit}</span>` : ''
  }
  if (type === 'integer' || type === 'number') {
    const safe = (n?: number) => (n !== undefined && Math.abs(n) >= Number.MAX_SAFE_INTEGER ? undefined : n)
    return type + range(safe(s.minimum), safe(s.maximum))
  }
  if (type === 'string') return type + range(s.minLength, s.maxLength, ' chars')
  return escapeHtml(type)
}

/** The fields of an object schema (and of objects inside it), as nested lists. */
function fields(s: JsonSchema | undefined, depth = 0): string {
  if (!s || depth > 5) return ''
  const variants = s.anyOf ?? s.oneOf
  if (variants?.some((v) => v.properties))
    return variants.map((v, i) => `<div class="alt">variant ${i + 1}${fields(v, depth + 1)}</div>`).join('')
  const inner = s.type === 'array' && s.items ? s.items : s
  if (!inner.properties) {
    if (inner.additionalProperties && typeof inner.additionalProperties === 'object')
      return `<ul><li><code>{key}</code>: ${typeName(inner.additionalProperties)}${fields(inner.additionalProperties, depth + 1)}</li></ul>`
    return ''
  }
  const required = new Set(inner.required ?? [])
  const rows = Object.entries(inner.properties).map(([name, f]) => {
    const flags = required.has(name) ? '' : ' <span class="opt">optional</span>'
    const dflt =
      f.default !== undefined ? ` <span class="c">default ${escapeHtml(JSON.stringify(f.default))}</span>` : ''
    const doc = f.description ? ` — ${prose(f.description)}` : ''
    return `<li><code>${escapeHtml(name)}</code>: ${typeName(f)}${flags}${dflt}${doc}${fields(f, depth + 1)}</li>`
  })
  return `<ul>${rows.join('')}</ul>`
}

function operation(method: string, path: string, op: Operation): string {
  const params = (op.parameters ?? [])
    .map((p) => `<li><code>${escapeHtml(p.name)}</code> (${p.in}): ${p.schema ? typeName(p.schema) : 'string'}</li>`)
    .join('')
  const body = op.requestBody?.content?.['application/json']?.schema
  const responses = Object.entries(op.responses ?? {})
    .map(([code, r]) => {
      const [type, media] = Object.entries(r.content ?? {})[0] ?? []
      const shape = media?.schema ? `${typeName(media.schema)}${fields(media.schema)}` : ''
      return `<li><b>${code}</b> ${type ? `<span class="c">${escapeHtml(type)}</span> ` : ''}${described(r.description)} ${shape}</li>`
    })
    .join('')
  const id = `${method}-${path}`.replace(/[^a-z0-9]+/gi, '-')
  return `<section class="op" id="${id}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
${op.summary ? `<p>${prose(op.summary)}</p>` : ''}${op.description ? `<p>${prose(op.description)}</p>` : ''}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}
${body ? `<h4>Body</h4>${typeName(body)}${fields(body)}` : ''}
${responses ? `<h4>Answers</h4><ul>${responses}</ul>` : ''}
</section>`
}

export function renderApiDocs(spec: Spec): string {
  const byTag = new Map<string, string[]>()
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? 'other'
      if (!byTag.has(tag)) byTag.set(tag, [])
      byTag.get(tag)?.push(operation(method, path, op))
    }
  }
  const tags = spec.tags ?? [...byTag.keys()].map((name) => ({ name, description: '' }))
  const toc = tags.map((t) => `<a href="#tag-${t.name}">${escapeHtml(t.name)}</a>`).join(' · ')
  const sections = tags
    .filter((t) => byTag.has(t.name))
    .map(
      (t) =>
        `<h2 id="tag-${t.name}">${escapeHtml(t.name)}</h2><p>${prose(t.description ?? '')}</p>${byTag.get(t.name)?.join('\n')}`,
    )
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(spec.info.title)} ${escapeHtml(spec.info.version)}</title>
<link rel="stylesheet" href="/docs/api.css"></head><body><main>
<h1>${escapeHtml(spec.info.title)} <small>${escapeHtml(spec.info.version)}</small></h1>
<p>${prose(spec.info.description ?? '')} Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
<nav>${toc}</nav>
${sections.join('\n')}
</main></body></html>`
}

export const styles = `
:root { color-scheme: light dark; --fg: #1b1b1f; --bg: #fafafa; --mute: #666; --card: #fff; --line: #ddd; }
@media (prefers-color-scheme: dark) { :root { --fg: #eee; --bg: #141418; --mute: #aaa; --card: #1e1e24; --line: #333; } }
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 small { color: var(--mute); font-weight: normal; font-size: 60%; }
h2 { margin-top: 2.5rem; text-transform: capitalize; border-bottom: 1px solid var(--line); }
nav a { text-transform: capitalize; }
.op { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0.25rem 1rem; margin: 0.75rem 0; }
.op h3 { font-size: 1rem; overflow-wrap: anywhere; }
.op h4 { margin: 0.5rem 0 0; font-size: 0.85rem; color: var(--mute); text-transform: uppercase; }
.m { display: inline-block; min-width: 4.5em; text-align: center; border-radius: 4px; color: #fff; font-size: 0.8rem; padding: 0 0.3em; }
.get { background: #1d6fd1; } .post { background: #1a8a4a; } .put { background: #a86200; } .patch { background: #7a4fc2; } .delete { background: #c0392b; }
.c, .opt { color: var(--mute); font-size: 0.85em; }
ul { margin: 0.2rem 0; padding-left: 1.2rem; }
.alt { border-left: 2px solid var(--line); padding-left: 0.5rem; margin: 0.3rem 0; }
code { font-size: 0.95em; }
`
