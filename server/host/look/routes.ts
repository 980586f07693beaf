/** The event's look: the host sets colours and a title and uploads images; anyone reads the images. */
import { Elysia } from 'elysia'
import { z } from 'zod'
import {
  imageSlots,
  imageStoredSchema,
  imageUploadSchema,
  lookPatchSchema,
  lookSchema,
} from '../../../protocol/look.ts'
import { notFound } from '../../http/errors.ts'
import { slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'

/**
 * GET /images/:hash.:ext: an uploaded image. The hash is of the bytes, so the URL never
 * changes meaning and caches for a year; nosniff (sent on every answer) keeps a browser
 * from reading it as anything but the image type we checked it to be.
 */
export const imageRoutes = (rt: Runtime) =>
  new Elysia({ name: 'look-images' }).get(
    '/images/:file',
    async ({ params }) => {
      const image = await rt.look.image(params.file.slice(0, 24))
      if (!image) throw notFound('image')
      return new Response(new Uint8Array(image.bytes), {
        headers: {
          'content-type': image.type,
          'cache-control': 'public, max-age=31536000, immutable',
          'x-content-type-options': 'nosniff',
          'content-disposition': 'inline',
        },
      })
    },
    {
      params: z.object({ file: z.string().regex(/^[0-9a-f]{24}\.(png|jpg|webp)$/, 'not an image name') }),
      detail: {
        summary: 'An image of an event look (logo, background), by the hash of its bytes; cached for a year',
        responses: { 200: { description: 'image/png, image/jpeg or image/webp' } },
      },
    },
  )

export const lookRoutes = (rt: Runtime) =>
  hostScope(rt, 'look')
    .get('/look', ({ event }) => event.settings.look ?? {}, {
      params: slugParams,
      response: lookSchema,
      detail: { summary: "The event's look: title, accent and background colours, logo and background image" },
      host: true,
    })
    .patch('/look', ({ event, body }) => rt.look.setLook(event, body), {
      params: slugParams,
      body: lookPatchSchema,
      response: lookSchema,
      detail: {
        summary: "Changes the event's look",
        description: 'Names only what changes; `null` (or an empty title) takes that part away.',
      },
      host: true,
    })
    .put(
      '/look/images/:slot',
      async ({ event, params, body, set }) => {
        const stored = await rt.look.putImage(event, params.slot, body.image)
        set.status = 201
        return stored
      },
      {
        params: slugParams.extend({ slot: z.enum(imageSlots) }),
        body: imageUploadSchema,
        response: { 201: imageStoredSchema },
        detail: {
          summary: 'Uploads the logo or the background image',
          description:
            "The image as base64 in `image`: PNG, JPEG or WebP (checked by its bytes; SVG is refused), a logo up to 512 KB, a background up to 2 MB. It becomes the look's `logo` or `backgroundImage`.",
        },
        host: true,
      },
    )
