import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "@/lib/ml/backend";
import { liveCounts, randomValues, relativeError, runOn } from "./parity";

// Each wasm training kernel against the cpu backend's reference implementation, over random shapes.

const TOLERANCE = 1e-4;
const RUNS = 40;
// A reduction of values in [-1, 1) can cancel to nearly zero, where float32 rounding (~1e-6) is a large
// fraction of the result: measure those kernels' error against the inputs' scale instead.
const SCALE_FLOOR: Partial<Record<string, number>> = { Sum: 1, Mean: 1 };

interface Case {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  pad: "same" | "valid";
  seed: number;
}

const caseArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    height: fc.integer({ min: 1, max: 11 }),
    width: fc.integer({ min: 1, max: 11 }),
    // 8–16 channels: the depthwise SIMD loops step through several 4-channel vectors per pixel.
    inChannels: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(8, 12, 16)),
    outChannels: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(8, 12)),
    kernel: fc.constantFrom(1, 2, 3, 5, 7),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.constantFrom("same" as const, "valid" as const),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .filter((c) => c.pad === "same" || (c.kernel <= c.height && c.kernel <= c.width));

function outSize(size: number, c: Case): number {
  return c.pad === "same" ? Math.ceil(size / c.stride) : Math.ceil((size - c.kernel + 1) / c.stride);
}

type KernelRun = (c: Case) => () => tf.Tensor;

function shapes(c: Case, depthwiseMultiplier?: number) {
  const x: [number, number, number, number] = [c.batch, c.height, c.width, c.inChannels];
  const outChannels = depthwiseMultiplier ? c.inChannels * depthwiseMultiplier : c.outChannels;
  const filter: [number, number, number, number] = [
    c.kernel,
    c.kernel,
    c.inChannels,
    depthwiseMultiplier ?? outChannels,
  ];
  const dy: [number, number, number, number] = [c.batch, outSize(c.height, c), outSize(c.width, c), outChannels];
  return { x, filter, dy };
}

function tensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

const KERNELS: Record<string, KernelRun> = {
  Conv2DBackpropFilter: (c) => () => {
    const s = shapes(c);
    return tf
      .engine()
      .runKernel(
        "Conv2DBackpropFilter",
        { x: tensor(s.x, c.seed), dy: tensor(s.dy, c.seed + 1) },
        { strides: c.stride, pad: c.pad, dataFormat: "NHWC", filterShape: s.filter },
      ) as tf.Tensor;
  },
  Conv2DBackpropInput: (c) => () => {
    const s = shapes(c);
    return tf
      .engine()
      .runKernel(
        "Conv2DBackpropInput",
        { dy: tensor(s.dy, c.seed), filter: tensor(s.filter, c.seed + 1) },
        { strides: c.stride, pad: c.pad, dataFormat: "NHWC", inputShape: s.x },
      ) as tf.Tensor;
  },
  DepthwiseConv2dNativeBackpropFilter: (c) => () => {
    const s = shapes(c, 1 + (c.outChannels % 2));
    return tf
      .engine()
      .runKernel(
        "DepthwiseConv2dNativeBackpropFilter",
        { x: tensor(s.x, c.seed), dy: tensor(s.dy, c.seed + 1) },
        { strides: c.stride, pad: c.pad, dilations: 1, filterShape: s.filter },
      ) as tf.Tensor;
  },
  // Forward convolutions: 1×1 ones with 4, 8, 12 or 16 output channels take the SIMD path, the rest stock XNNPACK.
  Conv2D: (c) => () => {
    const s = shapes(c);
    return tf.conv2d(tensor(s.x, c.seed) as tf.Tensor4D, tensor(s.filter, c.seed + 1) as tf.Tensor4D, c.stride, c.pad);
  },
  FusedConv2D: (c) => () => {
    const s = shapes(c);
    const bias = c.seed % 2 ? tensor([s.filter[3]], c.seed + 2) : undefined;
    return tf.fused.conv2d({
      x: tensor(s.x, c.seed) as tf.Tensor4D,
      filter: tensor(s.filter, c.seed + 1) as tf.Tensor4D,
      strides: c.stride,
      pad: c.pad,
      bias,
    });
  },
  DepthwiseConv2dNative: (c) => () => {
    const s = shapes(c, 1 + (c.outChannels % 2));
    return tf.depthwiseConv2d(
      tensor(s.x, c.seed) as tf.Tensor4D,
      tensor(s.filter, c.seed + 1) as tf.Tensor4D,
      c.stride,
      c.pad,
    );
  },
  DepthwiseConv2dNativeBackpropInput: (c) => () => {
    const s = shapes(c, 1 + (c.outChannels % 2));
    return tf
      .engine()
      .runKernel(
        "DepthwiseConv2dNativeBackpropInput",
        { dy: tensor(s.dy, c.seed), filter: tensor(s.filter, c.seed + 1) },
        { strides: c.stride, pad: c.pad, dilations: 1, inputShape: s.x },
      ) as tf.Tensor;
  },
  MaxPoolGrad: (c) => () => {
    const s = shapes(c, 1);
    const input = tensor(s.x, c.seed);
    const output = tf.maxPool(input as tf.Tensor4D, c.kernel, c.stride, c.pad);
    return tf
      .engine()
      .runKernel(
        "MaxPoolGrad",
        { dy: tensor(output.shape, c.seed + 1), input, output },
        { filterSize: c.kernel, strides: c.stride, pad: c.pad },
      ) as tf.Tensor;
  },
  AvgPoolGrad: (c) => () => {
    const s = shapes(c, 1);
    return tf
      .engine()
      .runKernel(
        "AvgPoolGrad",
        { dy: tensor(s.dy, c.seed + 1), input: tensor(s.x, c.seed) },
        { filterSize: c.kernel, strides: c.stride, pad: c.pad },
      ) as tf.Tensor;
  },
  // Batch norm's reductions: over batch, height and width (the fast path) and over other axes (the stock fallback).
  Sum: (c) => () => tf.sum(tensor(shapes(c).x, c.seed), c.stride === 1 ? [0, 1, 2] : [1, 2], c.pad === "same"),
  Mean: (c) => () => tf.mean(tensor(shapes(c).x, c.seed), c.stride === 3 ? [3] : [0, 1, 2], c.pad === "same"),
  Cast: (c) => () =>
    tf.cast(tf.cast(tensor(shapes(c).x, c.seed).mul(4), c.pad === "same" ? "int32" : "float32"), "float32"),
  Identity: (c) => () => tf.clone(tensor(shapes(c).x, c.seed)),
  // Gradient of FusedBatchNorm with respect to all five inputs (wasm routes it through one fused kernel).
  FusedBatchNormGrad: (c) => () => {
    const s = shapes(c);
    const C = c.inChannels;
    const dy = tensor(s.x, c.seed + 5);
    const grads = tf.grads((x, mean, variance, scale, offset) =>
      tf.batchNorm(x, mean, variance, offset, scale, 1e-3).mul(dy).sum(),
    );
    const inputs = [
      tensor(s.x, c.seed),
      tensor([C], c.seed + 1),
      tensor([C], c.seed + 2)
        .abs()
        .add(0.05),
      tensor([C], c.seed + 3),
      tensor([C], c.seed + 4),
    ];
    return tf.concat(grads(inputs).map((g) => g.flatten()));
  },
  // Gather's gradient (UnsortedSegmentSum, absent from stock wasm), with repeated and out-of-range rows.
  GatherGrad: (c) => () => {
    const x = tensor([c.height, c.width, c.inChannels], c.seed);
    const ids = Array.from({ length: c.batch + c.kernel }, (_, i) => (i * c.stride + c.seed) % c.height);
    const weights = tensor([ids.length, c.width, c.inChannels], c.seed + 1);
    const direct = tf.grad((t) => tf.gather(t, tf.tensor1d(ids, "int32")).mul(weights).sum())(x);
    const dropped = tf.unsortedSegmentSum(
      weights,
      tf.tensor1d(
        ids.map((id, i) => (i % 3 ? id : -1)),
        "int32",
      ),
      c.height,
    );
    return tf.concat([direct.flatten(), dropped.flatten()]);
  },
  // Gradient of Relu (wasm: one SIMD select; odd sizes finish in JS), with exact zeros in x.
  ReluGrad: (c) => () => {
    const x = tensor(shapes(c).x, c.seed).mul(c.kernel).round().div(c.kernel);
    return tf.grad((t) =>
      tf
        .relu(t)
        .mul(tensor(x.shape, c.seed + 1))
        .sum(),
    )(x);
  },
  // Gradient of Mean over leading axes (wasm: repeated rows) and over others (tfjs's own gradient).
  MeanGrad: (c) => () => {
    const s = shapes(c);
    const axes = c.stride === 3 ? [1, 2] : [0, 1, 2];
    const keepDims = c.pad === "same";
    const weights = tensor(c.stride === 3 ? [c.batch, c.inChannels] : [c.inChannels], c.seed + 1);
    return tf.grad((x) => tf.mean(x, axes, keepDims).reshape(weights.shape).mul(weights).sum())(tensor(s.x, c.seed));
  },
  // Concat and its gradient's SplitV along channels (fast path) and along another axis (stock fallback).
  Concat: (c) => () => {
    const [batch, height, width, channels] = shapes(c).x;
    const sizes = [c.inChannels, c.outChannels, 1 + (c.kernel % 3)];
    const parts =
      c.stride === 3
        ? sizes.map((h, i) => tensor([batch, h, width, channels], c.seed + i))
        : sizes.map((w, i) => tensor([batch, height, width, w], c.seed + i));
    return tf.concat(parts, c.stride === 3 ? 1 : -1);
  },
  SplitV: (c) => () => {
    const x = tensor([c.batch, c.height, c.width, c.inChannels + c.outChannels + 1], c.seed);
    const axis = c.stride === 3 ? 1 : 3;
    const sizes = axis === 3 ? [c.inChannels, c.outChannels, 1] : [c.height];
    return tf.concat(tf.split(x, sizes, axis).map((t, i) => t.mul(i + 1).flatten()));
  },
  Tile: (c) => () => tf.tile(tensor([1, c.height, 1, c.inChannels], c.seed), [c.batch, c.stride, c.width, c.kernel]),
};

describe("wasm training kernels", () => {
  beforeAll(async () => {
    await initBackend({ backend: "wasm", log: () => {} });
  });

  for (const [name, run] of Object.entries(KERNELS)) {
    it(`${name} matches the cpu backend within ${TOLERANCE} relative error`, async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const [expected] = await runOn("cpu", run(c));
          await initBackend({ backend: "wasm", log: () => {} });
          const before = liveCounts();
          const [actual] = await runOn("wasm", run(c));
          expect(liveCounts()).toEqual(before);
          expect(relativeError(actual, expected, SCALE_FLOOR[name])).toBeLessThan(TOLERANCE);
        }),
        { numRuns: RUNS },
      );
    });
  }

  // Feature maps above 24×24 outputs: 3 and 5 channels take the depthwise filter gradient's row-wise JS path instead
  // of XNNPACK; 2, 4 and 8 channels the SIMD loops, which sum each image's pixels in float32.
  const largeMaps: Case[] = [
    { batch: 2, height: 27, width: 26, inChannels: 3, outChannels: 2, kernel: 3, stride: 1, pad: "same", seed: 5 },
    { batch: 1, height: 51, width: 50, inChannels: 5, outChannels: 2, kernel: 5, stride: 2, pad: "same", seed: 6 },
    { batch: 1, height: 33, width: 30, inChannels: 4, outChannels: 2, kernel: 7, stride: 1, pad: "valid", seed: 7 },
    { batch: 3, height: 48, width: 48, inChannels: 2, outChannels: 2, kernel: 7, stride: 2, pad: "same", seed: 8 },
    { batch: 2, height: 40, width: 41, inChannels: 8, outChannels: 4, kernel: 5, stride: 1, pad: "same", seed: 9 },
  ];
  it.each(largeMaps)("depthwise convolution and its gradients on large maps match cpu (%o)", async (c) => {
    for (const name of [
      "DepthwiseConv2dNative",
      "DepthwiseConv2dNativeBackpropFilter",
      "DepthwiseConv2dNativeBackpropInput",
    ]) {
      const run = KERNELS[name](c);
      const [expected] = await runOn("cpu", run);
      const [actual] = await runOn("wasm", run);
      expect(relativeError(actual, expected)).toBeLessThan(TOLERANCE);
    }
  });

  // 1×1 stride-1 convolutions with 4k output channels take the SIMD row matmul instead of XNNPACK.
  it.each([
    { batch: 2, height: 5, width: 7, inChannels: 6, outChannels: 8, kernel: 1, stride: 1, pad: "same", seed: 3 },
    { batch: 1, height: 3, width: 3, inChannels: 16, outChannels: 4, kernel: 1, stride: 1, pad: "valid", seed: 4 },
  ] satisfies Case[])("pointwise Conv2D and FusedConv2D match cpu (%o)", async (c) => {
    for (const name of ["Conv2D", "FusedConv2D"]) {
      const [expected] = await runOn("cpu", KERNELS[name](c));
      const [actual] = await runOn("wasm", KERNELS[name](c));
      expect(relativeError(actual, expected)).toBeLessThan(TOLERANCE);
    }
  });

  // Stock wasm computes these wrongly (stride 3 over a 2×2 kernel); the replacements must not fall back to it.
  it.each([
    { batch: 1, height: 1, width: 3, inChannels: 8, outChannels: 1, kernel: 2, stride: 3, pad: "same", seed: 1 },
    { batch: 2, height: 7, width: 8, inChannels: 3, outChannels: 4, kernel: 2, stride: 3, pad: "same", seed: 2 },
  ] satisfies Case[])("Conv2D and FusedConv2D with stride above the kernel match cpu (%o)", async (c) => {
    for (const name of ["Conv2D", "FusedConv2D"]) {
      const [expected] = await runOn("cpu", KERNELS[name](c));
      const [actual] = await runOn("wasm", KERNELS[name](c));
      expect(relativeError(actual, expected)).toBeLessThan(TOLERANCE);
    }
  });

  it.each([
    { batch: 1, height: 1, width: 6, inChannels: 1, outChannels: 1, kernel: 2, stride: 3, pad: "same", seed: 1 },
    { batch: 1, height: 4, width: 6, inChannels: 3, outChannels: 2, kernel: 2, stride: 3, pad: "same", seed: 2 },
  ] satisfies Case[])("DepthwiseConv2dNative with stride above the kernel matches cpu (%o)", async (c) => {
    const run = KERNELS.DepthwiseConv2dNative(c);
    const [expected] = await runOn("cpu", run);
    const [actual] = await runOn("wasm", run);
    expect(relativeError(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it("names the unsupported attribute", async () => {
    await initBackend({ backend: "wasm", log: () => {} });
    const x = tf.zeros([1, 4, 4, 2]);
    const dy = tf.zeros([1, 4, 4, 3]);
    expect(() =>
      tf
        .engine()
        .runKernel(
          "Conv2DBackpropFilter",
          { x, dy },
          { strides: 1, pad: "same", dataFormat: "NCHW", filterShape: [1, 1, 2, 3] },
        ),
    ).toThrow(/dataFormat=NCHW/);
    const dyDepthwise = tf.zeros([1, 4, 4, 2]);
    expect(() =>
      tf
        .engine()
        .runKernel(
          "DepthwiseConv2dNativeBackpropFilter",
          { x, dy: dyDepthwise },
          { strides: 1, pad: "same", dilations: 2, filterShape: [3, 3, 2, 1] },
        ),
    ).toThrow(/dilations=2/);
    tf.dispose([x, dy, dyDepthwise]);
  });
});
