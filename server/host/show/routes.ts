/** The light show: upload a cue sheet, start and stop the show; cue sheets are public and immutable. */
import { Elysia } from 'elysia'
import { z } from 'zod'
import { findFlashViolation } from '../../../protocol/cue-limits.ts'
import { cueSheetStoredSchema, showStoppedSchema } from '../../../protocol/host.ts'
import { cueSheetSchema, showSchema } from '../../../protocol/index.ts'
import { badRequest, notFound } from '../../http/errors.ts'
import { slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'
import { showBodySchema } from './model.ts'

/** GET /cues/:hash.json: anyone may read a sheet; its URL never changes meaning, so it caches forever. */
export const cueSheetRoutes = (rt: Runtime) =>
  new Elysia({ name: 'cue-sheets' }).get(
    '/cues/:hash',
    async ({ params }) => {
      const sheet = await rt.show.cueSheet(params.hash.replace(/\.json$/, ''))
      if (!sheet) throw notFound('cue sheet')
      return new Response(JSON.stringify(sheet), {
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'public, max-age=31536000, immutable',
        },
      })
    },
    {
      params: z.object({ hash: z.string().regex(/^[0-9a-f]{20}(\.json)?$/, 'not a cue sheet hash') }),
      response: cueSheetSchema,
    },
  )

export const showRoutes = (rt: Runtime) =>
  hostScope(rt, 'show')
    .post(
      '/cue-sheets',
      async ({ event, body, set }) => {
        // Three flashes a second at most (photosensitivity): refused here, not quietly capped on the phones.
        const flash = findFlashViolation(body)
        if (flash) throw badRequest('flash_limit', flash.message, { [`cues.${flash.cue}`]: flash.message })
        const hash = await rt.show.putCueSheet(event, body)
        set.status = 201
        return { hash, url: `/cues/${hash}.json` }
      },
      { params: slugParams, body: cueSheetSchema, response: { 201: cueSheetStoredSchema }, host: true },
    )
    .put(
      '/show',
      async ({ event, body }) => {
        if (!(await rt.show.cueSheet(body.cueSheet))) throw notFound('cue sheet')
        const show = { cueSheet: `/cues/${body.cueSheet}.json`, startAt: Date.now() + body.startInMs }
        await rt.show.setShow(event, show)
        return show
      },
      { params: slugParams, body: showBodySchema, response: showSchema, host: true },
    )
    .delete(
      '/show',
      async ({ event }) => {
        await rt.show.setShow(event, null)
        return { show: null }
      },
      { params: slugParams, response: showStoppedSchema, host: true },
    )
