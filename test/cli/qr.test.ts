/**
 * The sheet's QR encoder picks its mask itself for speed: its symbols must be exactly the
 * ones the `qrcode` package makes, and the PNGs must decode back to their URL.
 */
import { describe, expect, test } from 'bun:test'
import { PNG } from 'pngjs'
import QRCode from 'qrcode'
import { QUIET_ZONE, qrMatrix, qrPath, qrPng, qrSvg } from '../../scripts/cli/qr.ts'
import { generateCodes } from '../../server/host/wristbands/codes.ts'
import { decodeQrPng } from './cli-helpers.ts'

const reference = (text: string) =>
  QRCode.create([{ data: Buffer.from(text), mode: 'byte' }], { errorCorrectionLevel: 'M' })

describe('QR symbols', () => {
  test('are the qrcode package symbols, mask included, for URLs of every length up to version 10', () => {
    const codes = generateCodes(600)
    const versions = new Set<number>()
    for (const [i, code] of codes.entries()) {
      // Hosts from short to very long: symbols from version 2 to 10.
      const host = 'h'.repeat(i % 180)
      const url = `https://${host}.example/w/${code}`
      const mine = qrMatrix(url)
      const theirs = reference(url)
      expect(mine.version).toBe(theirs.version!)
      expect(mine.maskPattern).toBe(theirs.maskPattern!)
      expect(Buffer.from(mine.modules).equals(Buffer.from(theirs.modules.data))).toBe(true)
      versions.add(mine.version)
    }
    expect(Math.min(...versions)).toBeLessThanOrEqual(3)
    expect(Math.max(...versions)).toBe(10)
  })

  test('refuses a URL too long for a label', () => {
    expect(() => qrMatrix(`https://${'x'.repeat(300)}.example/w/ABC`)).toThrow(/too long/)
  })

  test('every PNG decodes back to its URL, black on white with the quiet zone', () => {
    for (const code of generateCodes(20)) {
      const url = `https://gala.example.com/w/${code}`
      const png = qrPng(qrMatrix(url))
      expect(decodeQrPng(png)).toBe(url)
      const image = PNG.sync.read(png)
      expect(image.width).toBe((29 + 8) * 8)
      const grey = (x: number, y: number) => image.data[(y * image.width + x) * 4]
      expect(grey(0, 0)).toBe(255)
      expect(grey(31, 31)).toBe(255)
      // The top-left finder pattern starts after the quiet zone of 4 modules of 8 pixels.
      expect(grey(32, 32)).toBe(0)
    }
  })

  test('the SVG path draws exactly the dark modules, inside the quiet zone', () => {
    const qr = qrMatrix('https://gala.example.com/w/7K3M0Q9TZX4A')
    const drawn = new Uint8Array(qr.size * qr.size)
    let x = 0
    let y = 0
    for (const [, cmd, a, b] of qrPath(qr).matchAll(/([Mmh])([\d.]+)(?: ([\d.]+))?/g)) {
      if (cmd === 'M') [x, y] = [Number(a) - QUIET_ZONE, Number(b) - 0.5 - QUIET_ZONE]
      else if (cmd === 'm') x += Number(a)
      else for (let end = x + Number(a); x < end; x++) drawn[y * qr.size + x] = 1
    }
    expect(Buffer.from(drawn).equals(Buffer.from(qr.modules))).toBe(true)
    expect(qrSvg(qr)).toContain(`viewBox="0 0 ${qr.size + 8} ${qr.size + 8}"`)
  })
})
