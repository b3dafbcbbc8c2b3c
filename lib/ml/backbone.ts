import * as tf from "@tensorflow/tfjs";

/**
 * NASNet-A backbone (Zoph et al. 2018), sized "N @ F" as in the paper: N normal cells per stack,
 * F filters in the penultimate layer (each cell concatenates 6 branches, so the last stack has F/6
 * filters per branch and the first F/24). Layout, following Keras' NASNetMobile:
 *   stem conv (stride 2) → `stemReductions` reduction cells → [N normal] → reduction → [N normal]
 *   → reduction → [N normal] → ReLU → global average pool → feature vector of F.
 * Simplifications, all for speed on a CPU: stride-2 poolings use "same" padding instead of explicit
 * zero padding, and the spatial adjustment of the previous-previous input is one strided path
 * instead of NASNet's two shifted paths.
 */
export interface BackboneConfig {
  inputSize: number;
  /** Normal cells per stack (the N of "N @ F"). */
  cells: number;
  /** Penultimate filters (the F of "N @ F"); must be divisible by 24. */
  penultimateFilters: number;
  /** Output channels of the stem convolution. */
  stemFilters: number;
  /** Reduction cells in the stem (NASNetMobile uses 2 at 224 px; 1 keeps more resolution at 96 px). */
  stemReductions: number;
  /**
   * Global pooling of the last stack: "avg" (NASNet's) or "avg-max", the average and the maximum concatenated
   * (2·F features). A small mark (a logo, a gold marker) that one channel detects covers a few of the 36 positions of
   * the 6×6 map at 96 px; the average divides it by the whole map, the maximum keeps it. Absent means "avg".
   */
  pooling?: BackbonePooling;
  seed: number;
}

export type BackbonePooling = "avg" | "avg-max";

/**
 * NASNet-A 1 @ 192 at 96 px with two stem reductions: the first bundled model's size and the one bench:train measures.
 * `npm run train` defaults to one stem reduction (DEFAULT_TRAIN_CONFIG), the current bundled model (README.md).
 */
export const DEFAULT_BACKBONE: BackboneConfig = {
  inputSize: 96,
  cells: 1,
  penultimateFilters: 192,
  stemFilters: 16,
  stemReductions: 2,
  seed: 1,
};

/** Builds the NASNet-A feature extractor: input [b, S, S, 3] floats in [0,1], output [b, F] (or [b, 2F], see pooling). */
export function buildBackbone(config: BackboneConfig): tf.LayersModel {
  if (config.penultimateFilters % 24 !== 0) throw new Error("penultimateFilters must be divisible by 24");
  const b = new CellBuilder(config.seed);
  const input = tf.input({ shape: [config.inputSize, config.inputSize, 3], name: "image" });
  const filters = config.penultimateFilters / 24;

  let x = b.conv(input, config.stemFilters, 3, 2, "stem_conv");
  x = b.bn(x, "stem_bn");
  let p: tf.SymbolicTensor | null = null;
  for (let i = 0; i < config.stemReductions; i++) {
    const f = Math.max(1, Math.floor(filters / 2 ** (config.stemReductions - i)));
    const out: tf.SymbolicTensor = b.reductionCell(x, p, f, `stem_${i}`);
    p = x;
    x = out;
  }
  for (let stack = 0; stack < 3; stack++) {
    const f = filters * 2 ** stack;
    if (stack > 0) {
      const out = b.reductionCell(x, p, f, `reduce_${stack}`);
      p = x;
      x = out;
    }
    for (let c = 0; c < config.cells; c++) {
      const out = b.normalCell(x, p, f, `normal_${stack}_${c}`);
      p = x;
      x = out;
    }
  }
  x = b.relu(x);
  const pooling = config.pooling ?? "avg";
  const features =
    pooling === "avg"
      ? (tf.layers.globalAveragePooling2d({ name: "features" }).apply(x) as tf.SymbolicTensor)
      : (tf.layers
          .concatenate({ name: "features" })
          .apply([
            tf.layers.globalAveragePooling2d({ name: "features_avg" }).apply(x) as tf.SymbolicTensor,
            tf.layers.globalMaxPooling2d({ name: "features_max" }).apply(x) as tf.SymbolicTensor,
          ]) as tf.SymbolicTensor);
  return tf.model({ inputs: input, outputs: features, name: "nasnet_backbone" });
}

/** Builds layers with deterministic, per-layer seeded initializers. */
class CellBuilder {
  private counter = 0;
  constructor(private readonly seed: number) {}

  private init(): ReturnType<typeof tf.initializers.heNormal> {
    this.counter += 1;
    return tf.initializers.heNormal({ seed: this.seed * 7919 + this.counter });
  }

  conv(x: tf.SymbolicTensor, filters: number, kernel: number, strides: number, name: string): tf.SymbolicTensor {
    return tf.layers
      .conv2d({
        filters,
        kernelSize: kernel,
        strides,
        padding: "same",
        useBias: false,
        kernelInitializer: this.init(),
        name,
      })
      .apply(x) as tf.SymbolicTensor;
  }

  bn(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3, name }).apply(x) as tf.SymbolicTensor;
  }

  relu(x: tf.SymbolicTensor): tf.SymbolicTensor {
    return tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  }

  /** NASNet's separable block: ReLU → sep conv (stride) → BN → ReLU → sep conv → BN. */
  sep(x: tf.SymbolicTensor, filters: number, kernel: number, strides: number, name: string): tf.SymbolicTensor {
    let y = this.relu(x);
    y = tf.layers
      .separableConv2d({
        filters,
        kernelSize: kernel,
        strides,
        padding: "same",
        useBias: false,
        depthwiseInitializer: this.init(),
        pointwiseInitializer: this.init(),
        name: `${name}_sep1`,
      })
      .apply(y) as tf.SymbolicTensor;
    y = this.bn(y, `${name}_bn1`);
    y = this.relu(y);
    y = tf.layers
      .separableConv2d({
        filters,
        kernelSize: kernel,
        padding: "same",
        useBias: false,
        depthwiseInitializer: this.init(),
        pointwiseInitializer: this.init(),
        name: `${name}_sep2`,
      })
      .apply(y) as tf.SymbolicTensor;
    return this.bn(y, `${name}_bn2`);
  }

  pool(kind: "avg" | "max", x: tf.SymbolicTensor, strides: number, name: string): tf.SymbolicTensor {
    const args = { poolSize: 3, strides, padding: "same" as const, name };
    const layer = kind === "avg" ? tf.layers.averagePooling2d(args) : tf.layers.maxPooling2d(args);
    return layer.apply(x) as tf.SymbolicTensor;
  }

  add(xs: tf.SymbolicTensor[], name: string): tf.SymbolicTensor {
    return tf.layers.add({ name }).apply(xs) as tf.SymbolicTensor;
  }

  /** ReLU → 1×1 conv → BN: brings a cell input to `filters` channels. */
  squeeze(x: tf.SymbolicTensor, filters: number, strides: number, name: string): tf.SymbolicTensor {
    return this.bn(this.conv(this.relu(x), filters, 1, strides, `${name}_conv`), `${name}_bn`);
  }

  /** Makes the previous-previous output `p` match `ip` in resolution and channels. */
  adjust(p: tf.SymbolicTensor | null, ip: tf.SymbolicTensor, filters: number, name: string): tf.SymbolicTensor {
    if (p === null) return this.squeeze(ip, filters, 1, `${name}_adjust`);
    const pSize = p.shape[1] ?? 0;
    const ipSize = ip.shape[1] ?? 0;
    if (pSize !== ipSize) {
      const pooled = tf.layers
        .averagePooling2d({ poolSize: 1, strides: pSize / ipSize, padding: "same", name: `${name}_adjust_pool` })
        .apply(this.relu(p)) as tf.SymbolicTensor;
      return this.bn(this.conv(pooled, filters, 1, 1, `${name}_adjust_conv`), `${name}_adjust_bn`);
    }
    if (p.shape[3] !== filters) return this.squeeze(p, filters, 1, `${name}_adjust`);
    return p;
  }

  /** NASNet-A normal cell: five blocks over (h, p), concatenated with p; 6·filters channels out. */
  normalCell(ip: tf.SymbolicTensor, prev: tf.SymbolicTensor | null, filters: number, name: string): tf.SymbolicTensor {
    const p = this.adjust(prev, ip, filters, name);
    const h = this.squeeze(ip, filters, 1, `${name}_h`);
    const x1 = this.add(
      [this.sep(h, filters, 5, 1, `${name}_b1l`), this.sep(p, filters, 3, 1, `${name}_b1r`)],
      `${name}_x1`,
    );
    const x2 = this.add(
      [this.sep(p, filters, 5, 1, `${name}_b2l`), this.sep(p, filters, 3, 1, `${name}_b2r`)],
      `${name}_x2`,
    );
    const x3 = this.add([this.pool("avg", h, 1, `${name}_b3l`), p], `${name}_x3`);
    const x4 = this.add([this.pool("avg", p, 1, `${name}_b4l`), this.pool("avg", p, 1, `${name}_b4r`)], `${name}_x4`);
    const x5 = this.add([this.sep(h, filters, 3, 1, `${name}_b5l`), h], `${name}_x5`);
    return tf.layers.concatenate({ name: `${name}_concat` }).apply([p, x1, x2, x3, x4, x5]) as tf.SymbolicTensor;
  }

  /** NASNet-A reduction cell: halves the resolution; 4·filters channels out. */
  reductionCell(
    ip: tf.SymbolicTensor,
    prev: tf.SymbolicTensor | null,
    filters: number,
    name: string,
  ): tf.SymbolicTensor {
    const p = this.adjust(prev, ip, filters, name);
    const h = this.squeeze(ip, filters, 1, `${name}_h`);
    const x1 = this.add(
      [this.sep(h, filters, 5, 2, `${name}_b1l`), this.sep(p, filters, 7, 2, `${name}_b1r`)],
      `${name}_x1`,
    );
    const x2 = this.add(
      [this.pool("max", h, 2, `${name}_b2l`), this.sep(p, filters, 7, 2, `${name}_b2r`)],
      `${name}_x2`,
    );
    const x3 = this.add(
      [this.pool("avg", h, 2, `${name}_b3l`), this.sep(p, filters, 5, 2, `${name}_b3r`)],
      `${name}_x3`,
    );
    const x4 = this.add([this.pool("avg", x1, 1, `${name}_b4`), x2], `${name}_x4`);
    const x5 = this.add(
      [this.sep(x1, filters, 3, 1, `${name}_b5l`), this.pool("max", h, 2, `${name}_b5r`)],
      `${name}_x5`,
    );
    return tf.layers.concatenate({ name: `${name}_concat` }).apply([x2, x3, x4, x5]) as tf.SymbolicTensor;
  }
}
