import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'

/**
 * Writes dist/client/sw.js from client/src/sw/sw.js with the guest page's files (its HTML's
 * scripts and styles, and every chunk they import, the lazy ones too) and a version made of
 * them, so the worker precaches exactly them and each build installs a new worker.
 */
function guestServiceWorker(): Plugin {
  return {
    name: 'glowband-guest-service-worker',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = new Set<string>()
      const html = bundle['guest.html']
      if (html?.type === 'asset') {
        for (const m of String(html.source).matchAll(/\/(assets\/[\w.-]+)/g)) files.add(m[1])
      }
      const seen = new Set<string>()
      const visit = (fileName: string) => {
        const chunk = bundle[fileName]
        if (chunk?.type !== 'chunk' || seen.has(fileName)) return
        seen.add(fileName)
        files.add(fileName)
        for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css)
        for (const next of [...chunk.imports, ...chunk.dynamicImports]) visit(next)
      }
      for (const [fileName, chunk] of Object.entries(bundle)) {
        if (chunk.type === 'chunk' && chunk.isEntry && chunk.name === 'guest') visit(fileName)
      }
      const list = [...files].sort().map((f) => `/${f}`)
      if (!list.length) throw new Error('service worker: found none of the guest page files')
      const source = readFileSync(resolve(import.meta.dirname, 'src/sw/sw.js'), 'utf8')
      const version = createHash('sha256').update(source).update(list.join('\n')).digest('hex').slice(0, 12)
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: source
          .replace("'__GB_SW_VERSION__'", JSON.stringify(version))
          .replace("JSON.parse('__GB_SW_PRECACHE__')", JSON.stringify(list)),
      })
    },
  }
}

// Five small pages, built into dist/client and served by the server (server/pages/routes.ts).
export default defineConfig({
  root: resolve(import.meta.dirname, '.'),
  base: '/',
  plugins: [guestServiceWorker()],
  build: {
    outDir: resolve(import.meta.dirname, '../dist/client'),
    emptyOutDir: true,
    // Phones from three years back: nothing newer than what they run.
    target: ['es2020', 'safari15', 'chrome100', 'firefox100'],
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        guest: resolve(import.meta.dirname, 'guest.html'),
        screen: resolve(import.meta.dirname, 'screen.html'),
        admin: resolve(import.meta.dirname, 'admin.html'),
        verify: resolve(import.meta.dirname, 'verify.html'),
      },
    },
  },
})
