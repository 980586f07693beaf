/**
 * The tree's boundaries, checked on every import: the client reaches outside client/
 * only for the wire protocol; db/ and protocol/ never import the server; the counter
 * layer and the pipeline know nothing of HTTP frameworks; services stay Elysia-free.
 */
import { describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dir, '../..')

function sources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name)
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path))
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

/** Every module a file imports (static and dynamic), relative ones resolved to repo paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1])
  return specs.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), s)) : s))
}

function violations(dirs: string[], allowed: (spec: string, file: string) => boolean): string[] {
  const bad: string[] = []
  for (const dir of dirs)
    for (const file of sources(dir))
      for (const spec of importsOf(file)) if (!allowed(spec, file)) bad.push(`${file} -> ${spec}`)
  return bad
}

describe('layout boundaries', () => {
  test('the client imports only itself, the wire protocol and packages', () => {
    const bad = violations(['client/src'], (spec) => !/^(server|db|scripts|test)\//.test(spec))
    expect(bad).toEqual([])
  })

  test('db/ and protocol/ import nothing from server/', () => {
    expect(violations(['db', 'protocol'], (spec) => !spec.startsWith('server/'))).toEqual([])
  })

  test('protocol/ is plain: no database, server framework or Node-only module', () => {
    const bad = violations(
      ['protocol'],
      (spec) => !/^(elysia|drizzle|postgres|ioredis|@electric-sql|node:|db\/)/.test(spec),
    )
    expect(bad).toEqual([])
  })

  test('the counter layer, the pipeline and fan-out know nothing of Elysia', () => {
    const bad = violations(
      ['server/live', 'server/pipeline', 'server/fanout', 'server/database'],
      (spec) => spec !== 'elysia',
    )
    expect(bad).toEqual([])
  })

  test('feature services are Elysia-free (routes are where HTTP lives)', () => {
    const services = sources('server').filter((f) => f.endsWith('/service.ts'))
    expect(services.length).toBeGreaterThan(5)
    const bad = services.filter((f) => importsOf(f).includes('elysia'))
    expect(bad).toEqual([])
  })
})
