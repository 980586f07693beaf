#!/usr/bin/env node
// Runs before `npm start` and `npm test`: installs the npm packages (Bun among them)
// when they are missing or older than package-lock.json, so a fresh clone needs only
// Node.js and npm. Plain Node on purpose: Bun is not there yet when this runs.
import { execSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'

const marker = 'node_modules/.package-lock.json'
const stale =
  !existsSync('node_modules/.bin/bun') ||
  !existsSync(marker) ||
  statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs
if (stale) {
  console.log('Installing npm packages (first run)...')
  execSync('npm install --no-audit --no-fund', { stdio: 'inherit' })
}
