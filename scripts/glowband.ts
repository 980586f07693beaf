#!/usr/bin/env bun
/**
 * The glowband CLI: `bun run glowband <command>` (or `npx glowband` once installed).
 * Commands and their options: `glowband --help`, and docs/cli.md.
 */
import { main } from './cli/main.ts'

// Exit explicitly: a closed database or Redis client must not keep the process waiting.
process.exit(await main(process.argv.slice(2)))
