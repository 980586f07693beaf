/**
 * A worker that renders sheet files: QR encoding is most of the time a big batch takes,
 * and the files are independent, so they are shared out over the machine's cores.
 */
import { renderSheet, type SheetJob } from './sheet.ts'

declare const self: Worker

self.onmessage = async (message: MessageEvent<SheetJob>) => {
  const job = message.data
  try {
    await Bun.write(job.path, renderSheet(job.items, job.info, job.file))
    self.postMessage({ ok: true, labels: job.items.length })
  } catch (err) {
    self.postMessage({ ok: false, error: (err as Error).message })
  }
}
