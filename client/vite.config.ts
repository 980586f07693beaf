import { resolve } from 'node:path'
import { defineConfig } from 'vite'

// Four small pages, built into dist/client and served by the server (server/pages/routes.ts).
export default defineConfig({
  root: resolve(import.meta.dirname, '.'),
  base: '/',
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
      },
    },
  },
})
