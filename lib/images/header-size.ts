import type { PhotoFormat } from "./sniff";

export interface HeaderSize {
  width: number;
  height: number;
}

// Start-of-frame markers: baseline, extended, progressive, lossless, hierarchical, arithmetic.
// 0xC4 (DHT), 0xC8 (reserved) and 0xCC (DAC) share the range but carry no size.
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpegSize(b: Buffer): HeaderSize | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    i += 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9 || marker === 0xda) return undefined; // image data or end before any frame header
    if (i + 2 > b.length) return undefined;
    const length = b.readUInt16BE(i);
    if (length < 2) return undefined;
    if (JPEG_SOF.has(marker)) {
      if (i + 7 > b.length) return undefined;
      return { height: b.readUInt16BE(i + 3), width: b.readUInt16BE(i + 5) };
    }
    i += length;
  }
  return undefined;
}

function pngSize(b: Buffer): HeaderSize | undefined {
  // IHDR must be the first chunk, 13 bytes long.
  if (b.length < 24 || b.readUInt32BE(8) !== 13 || b.toString("latin1", 12, 16) !== "IHDR") return undefined;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function webpSize(b: Buffer): HeaderSize | undefined {
  if (b.length < 30 || b.toString("latin1", 0, 4) !== "RIFF" || b.toString("latin1", 8, 12) !== "WEBP")
    return undefined;
  const chunk = b.toString("latin1", 12, 16);
  if (chunk === "VP8X") {
    return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  }
  if (chunk === "VP8 ") {
    // Frame tag (3 bytes), then the key-frame start code, then 14-bit dimensions.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined;
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === "VP8L") {
    if (b[20] !== 0x2f) return undefined;
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return undefined;
}

/**
 * The size a JPEG, PNG or WebP file claims, read in plain JS from its first bytes, so the pixel
 * cap is enforced before any native decoder parses the file. Undefined when the header is malformed.
 */
export function readHeaderSize(bytes: Buffer, format: PhotoFormat): HeaderSize | undefined {
  if (format === "jpeg") return jpegSize(bytes);
  if (format === "png") return pngSize(bytes);
  return webpSize(bytes);
}
