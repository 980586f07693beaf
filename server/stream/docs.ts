/**
 * How /openapi.json describes the stream routes, whose answers are built as raw bodies
 * (SSE frames, pre-serialised JSON) rather than validated objects.
 */
import type { DocumentDecoration } from 'elysia'
import { z } from 'zod'
import { pollResponseSchema } from '../../protocol/index.ts'

// The OpenAPI types want their own schema object type; a JSON Schema is one.
const jsonSchemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { unrepresentable: 'any' }) as object

export const streamDocs = (summary: string): DocumentDecoration => ({
  summary,
  description:
    'Server-sent events: `snapshot` first, then `delta` frames whose ids are the `seq`; resume with Last-Event-ID or `?lastEventId=`. docs/protocol.md describes the frames.',
  responses: {
    200: {
      description: 'An endless text/event-stream',
      content: { 'text/event-stream': { schema: { type: 'string' as const } } },
    },
    429: { description: 'This client address holds MAX_STREAMS_PER_ADDRESS streams already: retry after Retry-After' },
    503: {
      description:
        'The counter layer is down, or this instance is full (`instance_full`, MAX_STREAMS): retry after Retry-After seconds, elsewhere if you can',
    },
  },
})

export const pollDocs: DocumentDecoration = {
  summary: 'The polling fallback: a snapshot, or the deltas since `?since=`',
  responses: {
    200: {
      description: 'Snapshot or deltas',
      content: { 'application/json': { schema: jsonSchemaOf(pollResponseSchema) } },
    },
    304: { description: 'Nothing new since the ETag' },
    503: { description: 'The counter layer is down: retry after Retry-After seconds' },
  },
}
