import { defineConfig } from 'drizzle-kit'

// Migrations are generated from db/schema.ts with `bun run db:generate`, committed,
// and applied automatically when the server or the CLI starts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
})
