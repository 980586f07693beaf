/**
 * Every English string the pages pass to `msg()`, read from the client's source the way the
 * locale modules key them: `msg('Join in')` -> "Join in", `msg(str\`${n} votes\`)` -> "${0} votes".
 * Run as a script, it prints the strings a locale lacks:
 * `bun test/support/locale-strings.ts zh-CN`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const CLIENT_SRC = resolve(import.meta.dir, '../../client/src')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name)
    if (d.isDirectory()) return d.name === 'locales' ? [] : sources(path)
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [path] : []
  })
}

/** Reads a quoted literal starting at `i` (the quote); returns its value and the index after it. */
function quoted(s: string, i: number): [string, number] {
  const q = s[i]
  let out = ''
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') {
      out += s[++j]
      continue
    }
    if (s[j] === q) return [out, j + 1]
    out += s[j]
  }
  throw new Error(`unterminated string at ${i}`)
}

/** Reads a template literal starting at `i` (the backtick), with each `${...}` as `${n}`. */
function template(s: string, i: number): [string, number] {
  let out = ''
  let n = 0
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') {
      out += s[++j]
      continue
    }
    if (s[j] === '`') return [out, j + 1]
    if (s[j] === '$' && s[j + 1] === '{') {
      let depth = 0
      for (j++; j < s.length; j++) {
        if (s[j] === '{') depth++
        else if (s[j] === '}' && --depth === 0) break
        else if (s[j] === '`') j = template(s, j)[1] - 1
        else if (s[j] === "'" || s[j] === '"') j = quoted(s, j)[1] - 1
      }
      out += `\${${n++}}`
      continue
    }
    out += s[j]
  }
  throw new Error(`unterminated template at ${i}`)
}

/** English string -> the files that use it. */
export function sourceStrings(): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const file of sources(CLIENT_SRC)) {
    const s = readFileSync(file, 'utf8')
    for (const m of s.matchAll(/\bmsg\(\s*/g)) {
      const at = m.index + m[0].length
      let text: string
      if (s[at] === "'" || s[at] === '"') text = quoted(s, at)[0]
      else if (s.startsWith('str`', at)) text = template(s, at + 3)[0]
      else continue
      const rel = file.slice(CLIENT_SRC.length + 1)
      found.set(text, [...(found.get(text) ?? []), rel])
    }
  }
  return found
}

if (import.meta.main) {
  const locale = process.argv[2] ?? 'zh-CN'
  const strings: Record<string, string> = (await import(join(CLIENT_SRC, 'locales', `${locale}.ts`))).default
  for (const [en, files] of sourceStrings()) {
    if (!(en in strings)) console.log(`  ${JSON.stringify(en)}: '', // ${files[0]}`)
  }
}
