import sharp, { type SharpOptions } from "sharp";

let configured = false;

/**
 * sharp, configured once for untrusted uploads. Every decode of a seller's bytes goes through
 * this. The settings are process-wide, so they are applied on the first ingestion rather than
 * on import: training and dataset scripts import toModelInput from lib/images and rasterize SVG
 * with sharp in the same process, which the loader block below would break.
 */
export function ingestSharp(): typeof sharp {
  if (configured) return sharp;
  configured = true;

  // Only the three formats we accept may ever be parsed by libvips. Sniffing already refuses the
  // rest, but blocking the loaders means a sniffing bug can't expose the PDF, SVG, TIFF, GIF,
  // HEIF or matrix/FITS parsers (large, rarely fuzzed attack surface) to a seller's bytes. Raw
  // pixel input is not a loader, so derived images built from decoded buffers are unaffected.
  sharp.block({ operation: ["VipsForeignLoad"] });
  sharp.unblock({
    operation: ["VipsForeignLoadJpegBuffer", "VipsForeignLoadPngBuffer", "VipsForeignLoadWebpBuffer"],
  });

  // Each upload is decoded once and never again, so libvips' operation cache only holds memory
  // (up to 50 MB by default) without ever hitting; the file cache is irrelevant for buffers.
  sharp.cache(false);

  // One libvips worker thread per image: a request already processes several photos at once on
  // the libuv pool and the machine runs inference too, so per-image parallelism would only add
  // thread contention. Photos, not pixels, are the unit of parallelism.
  sharp.concurrency(1);

  return sharp;
}

/** Decoder options every untrusted decode uses: refuse damaged data, cap the pixel count. */
export function untrustedInputOptions(maxPixels: number): SharpOptions {
  return {
    // "error" also covers truncated input: a half-decoded photo is refused, never padded with grey.
    failOn: "error",
    limitInputPixels: maxPixels,
    // A still photo: never decode further frames even if a container claims them.
    pages: 1,
    sequentialRead: true,
  };
}
