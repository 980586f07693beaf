/**
 * What an uploaded image is, from its own bytes (never the client's Content-Type):
 * PNG, JPEG or WebP by their signatures, with the size read from the header where it is
 * cheap to find. Anything else (SVG, which can carry script; GIF; a text file renamed
 * .png) is refused: a host's logo is shown to every phone in the room.
 */

export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp'

export interface SniffedImage {
  type: ImageType
  ext: 'png' | 'jpg' | 'webp'
  width: number | null
  height: number | null
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const ascii = (b: Uint8Array, at: number, text: string) =>
  b.length >= at + text.length && [...text].every((c, i) => b[at + i] === c.charCodeAt(0))
const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1]
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8)
const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)

/** A JPEG's size from its first start-of-frame marker, or null when the scan finds none. */
function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let at = 2
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null
    const marker = b[at + 1]
    if (marker === 0xff) {
      at++
      continue
    }
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(b, at + 5), width: u16be(b, at + 7) }
    }
    at += 2 + u16be(b, at + 2)
  }
  return null
}

/** A WebP's size from its VP8, VP8L or VP8X chunk. */
function webpSize(b: Uint8Array): { width: number; height: number } | null {
  if (ascii(b, 12, 'VP8 ') && b.length >= 30) return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff }
  if (ascii(b, 12, 'VP8L') && b.length >= 25) {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
  }
  if (ascii(b, 12, 'VP8X') && b.length >= 30) return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 }
  return null
}

/**
 * The image type and size of `bytes`, or null when they are not a PNG, JPEG or WebP.
 * @example sniffImage(await Bun.file('logo.png').bytes()) // { type: 'image/png', ext: 'png', width: 512, height: 512 }
 */
export function sniffImage(b: Uint8Array): SniffedImage | null {
  if (b.length >= 24 && PNG_SIGNATURE.every((v, i) => b[i] === v) && ascii(b, 12, 'IHDR')) {
    return { type: 'image/png', ext: 'png', width: u32be(b, 16), height: u32be(b, 20) }
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    const size = jpegSize(b)
    return { type: 'image/jpeg', ext: 'jpg', width: size?.width ?? null, height: size?.height ?? null }
  }
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') && ascii(b, 12, 'VP8')) {
    const size = webpSize(b)
    return { type: 'image/webp', ext: 'webp', width: size?.width ?? null, height: size?.height ?? null }
  }
  return null
}

/** What a refused upload looked like, for the error message: "an SVG", "a GIF", or null. */
export function describeRefused(b: Uint8Array): string | null {
  const head = new TextDecoder().decode(b.subarray(0, 512)).trimStart().toLowerCase()
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'an SVG'
  if (ascii(b, 0, 'GIF8')) return 'a GIF'
  if (head.startsWith('<')) return 'HTML or XML'
  return null
}
