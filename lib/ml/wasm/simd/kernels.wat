;; SIMD loops for the wasm training kernels (lib/ml/wasm/simd/index.ts). They run on tfjs-backend-wasm's own memory
;; (imported), on tensors it allocated: pointers are byte offsets, counts are floats. The module has no data, no
;; stack and no globals, so it can never write anywhere it was not pointed to.
;;
;; "Span" loops treat a channels-last activation as `groups` consecutive rows of `span` floats, where span is a
;; multiple of both 4 and the channel count: per-channel factors repeat exactly once per span, so every loop runs
;; over contiguous, 4-aligned vectors whatever the channel count. Accumulators are zeroed on entry.
;;
;; Rebuild lib/ml/wasm/simd/kernels-wasm.ts after editing: npx tsx lib/ml/wasm/simd/build.ts
(module
  (import "env" "memory" (memory 0))

  (func $zero (param $p i32) (param $bytes i32)
    (local $j i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $bytes)))
      (v128.store (i32.add (local.get $p) (local.get $j)) (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $next))))

  ;; acc[j] = Σ_g x[g·span + j]
  (func (export "spanSum") (param $x i32) (param $groups i32) (param $span i32) (param $acc i32)
    (local $bytes i32) (local $end i32) (local $j i32)
    (local.set $bytes (i32.shl (local.get $span) (i32.const 2)))
    (call $zero (local.get $acc) (local.get $bytes))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $groups) (local.get $bytes))))
    (block $done (loop $group
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $j (i32.const 0))
      (block $row (loop $vec
        (br_if $row (i32.ge_u (local.get $j) (local.get $bytes)))
        (v128.store (i32.add (local.get $acc) (local.get $j))
          (f32x4.add
            (v128.load (i32.add (local.get $acc) (local.get $j)))
            (v128.load (i32.add (local.get $x) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (br $group))))

  ;; acc[j] = Σ_g (x[g·span + j] − centre[j])²
  (func (export "spanSquaredDeviation")
    (param $x i32) (param $groups i32) (param $span i32) (param $centre i32) (param $acc i32)
    (local $bytes i32) (local $end i32) (local $j i32) (local $d v128)
    (local.set $bytes (i32.shl (local.get $span) (i32.const 2)))
    (call $zero (local.get $acc) (local.get $bytes))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $groups) (local.get $bytes))))
    (block $done (loop $group
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $j (i32.const 0))
      (block $row (loop $vec
        (br_if $row (i32.ge_u (local.get $j) (local.get $bytes)))
        (local.set $d
          (f32x4.sub
            (v128.load (i32.add (local.get $x) (local.get $j)))
            (v128.load (i32.add (local.get $centre) (local.get $j)))))
        (v128.store (i32.add (local.get $acc) (local.get $j))
          (f32x4.add
            (v128.load (i32.add (local.get $acc) (local.get $j)))
            (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (br $group))))

  ;; sumDy[j] = Σ_g dy[g·span + j];  sumDyDev[j] = Σ_g dy[g·span + j]·(x[g·span + j] − centre[j])
  (func (export "spanGradientSums")
    (param $dy i32) (param $x i32) (param $groups i32) (param $span i32) (param $centre i32)
    (param $sumDy i32) (param $sumDyDev i32)
    (local $bytes i32) (local $g i32) (local $j i32) (local $v v128)
    (local.set $bytes (i32.shl (local.get $span) (i32.const 2)))
    (call $zero (local.get $sumDy) (local.get $bytes))
    (call $zero (local.get $sumDyDev) (local.get $bytes))
    (block $done (loop $group
      (br_if $done (i32.ge_u (local.get $g) (local.get $groups)))
      (local.set $j (i32.const 0))
      (block $row (loop $vec
        (br_if $row (i32.ge_u (local.get $j) (local.get $bytes)))
        (local.set $v (v128.load (i32.add (local.get $dy) (local.get $j))))
        (v128.store (i32.add (local.get $sumDy) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $sumDy) (local.get $j))) (local.get $v)))
        (v128.store (i32.add (local.get $sumDyDev) (local.get $j))
          (f32x4.add
            (v128.load (i32.add (local.get $sumDyDev) (local.get $j)))
            (f32x4.mul
              (local.get $v)
              (f32x4.sub
                (v128.load (i32.add (local.get $x) (local.get $j)))
                (v128.load (i32.add (local.get $centre) (local.get $j)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (local.set $dy (i32.add (local.get $dy) (local.get $bytes)))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br $group))))

  ;; out[g·span + j] = x[g·span + j]·a[j] + b[j]
  (func (export "spanAffine")
    (param $x i32) (param $out i32) (param $groups i32) (param $span i32) (param $a i32) (param $b i32)
    (local $bytes i32) (local $g i32) (local $j i32)
    (local.set $bytes (i32.shl (local.get $span) (i32.const 2)))
    (block $done (loop $group
      (br_if $done (i32.ge_u (local.get $g) (local.get $groups)))
      (local.set $j (i32.const 0))
      (block $row (loop $vec
        (br_if $row (i32.ge_u (local.get $j) (local.get $bytes)))
        (v128.store (i32.add (local.get $out) (local.get $j))
          (f32x4.add
            (f32x4.mul
              (v128.load (i32.add (local.get $x) (local.get $j)))
              (v128.load (i32.add (local.get $a) (local.get $j))))
            (v128.load (i32.add (local.get $b) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (local.set $out (i32.add (local.get $out) (local.get $bytes)))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br $group))))

  ;; out[g·span + j] = dy[g·span + j]·a[j] + x[g·span + j]·k[j] + d[j]
  (func (export "spanAffine2")
    (param $dy i32) (param $x i32) (param $out i32) (param $groups i32) (param $span i32)
    (param $a i32) (param $k i32) (param $d i32)
    (local $bytes i32) (local $g i32) (local $j i32)
    (local.set $bytes (i32.shl (local.get $span) (i32.const 2)))
    (block $done (loop $group
      (br_if $done (i32.ge_u (local.get $g) (local.get $groups)))
      (local.set $j (i32.const 0))
      (block $row (loop $vec
        (br_if $row (i32.ge_u (local.get $j) (local.get $bytes)))
        (v128.store (i32.add (local.get $out) (local.get $j))
          (f32x4.add
            (f32x4.add
              (f32x4.mul
                (v128.load (i32.add (local.get $dy) (local.get $j)))
                (v128.load (i32.add (local.get $a) (local.get $j))))
              (f32x4.mul
                (v128.load (i32.add (local.get $x) (local.get $j)))
                (v128.load (i32.add (local.get $k) (local.get $j)))))
            (v128.load (i32.add (local.get $d) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (local.set $dy (i32.add (local.get $dy) (local.get $bytes)))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (local.set $out (i32.add (local.get $out) (local.get $bytes)))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br $group))))

  ;; out[i] = x[i] > 0 ? dy[i] : 0 for i < n (n a multiple of 4)
  (func (export "reluGrad") (param $dy i32) (param $x i32) (param $out i32) (param $n i32)
    (local $bytes i32) (local $j i32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $vec
      (br_if $done (i32.ge_u (local.get $j) (local.get $bytes)))
      (v128.store (i32.add (local.get $out) (local.get $j))
        (v128.and
          (v128.load (i32.add (local.get $dy) (local.get $j)))
          (f32x4.gt (v128.load (i32.add (local.get $x) (local.get $j))) (v128.const f32x4 0 0 0 0))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $vec))))

  ;; dst[j] += src[j]·pattern(j) for j < bytes/4 (bytes a multiple of 16). The pattern is the pixel's dy repeated:
;; with channels < 4 one vector (a splat for 1 channel, (d0, d1, d0, d1) for 2), else dy's own channel vectors.
(func $rowMultiplyAdd (param $dst i32) (param $src i32) (param $dy i32) (param $bytes i32) (param $channelBytes i32)
    (local $j i32) (local $pj i32) (local $pattern v128)
    (if (i32.lt_u (local.get $channelBytes) (i32.const 16))
      (then
        (local.set $pattern
          (if (result v128) (i32.eq (local.get $channelBytes) (i32.const 4))
            (then (v128.load32_splat (local.get $dy)))
            (else (v128.load64_splat (local.get $dy)))))
        (block $done (loop $vec
          (br_if $done (i32.ge_u (local.get $j) (local.get $bytes)))
          (v128.store (i32.add (local.get $dst) (local.get $j))
            (f32x4.add
              (v128.load (i32.add (local.get $dst) (local.get $j)))
              (f32x4.mul (v128.load (i32.add (local.get $src) (local.get $j))) (local.get $pattern))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $vec))))
      (else
        (block $done (loop $vec
          (br_if $done (i32.ge_u (local.get $j) (local.get $bytes)))
          (v128.store (i32.add (local.get $dst) (local.get $j))
            (f32x4.add
              (v128.load (i32.add (local.get $dst) (local.get $j)))
              (f32x4.mul
                (v128.load (i32.add (local.get $src) (local.get $j)))
                (v128.load (i32.add (local.get $dy) (local.get $pj))))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (local.set $pj (i32.add (local.get $pj) (i32.const 16)))
          (if (i32.eq (local.get $pj) (local.get $channelBytes)) (then (local.set $pj (i32.const 0))))
          (br $vec))))))

  ;; Depthwise convolution gradients (channel multiplier 1) for one image, on an input padded so that every tap is
  ;; inside it: padded pixel (oh·SH + kh, ow·SW + kw) is the one tap (kh, kw) of output pixel (oh, ow) reads. For a
  ;; given output pixel and kh the KW taps are KW·C contiguous floats in both the padded image and the filter row,
  ;; rounded up to `rowFloats` (a multiple of 4): callers leave slack after the buffers and zeros in padded filter rows.
  ;;
  ;; Filter gradient: acc[kh·rowFloats + kw·C + c] = Σ_{oh,ow} padded[oh·SH + kh, ow·SW + kw, c]·dy[oh, ow, c].
  (func (export "depthwiseFilterGradImage")
    (param $padded i32) (param $dy i32) (param $acc i32) (param $outHeight i32) (param $outWidth i32)
    (param $paddedWidth i32) (param $channels i32) (param $kernelHeight i32) (param $rowFloats i32)
    (param $strideHeight i32) (param $strideWidth i32)
    (local $oh i32) (local $ow i32) (local $kh i32) (local $pixel i32) (local $channelBytes i32)
    (local $rowBytes i32) (local $paddedRowBytes i32)
    (local.set $channelBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowBytes (i32.shl (local.get $rowFloats) (i32.const 2)))
    (local.set $paddedRowBytes (i32.mul (local.get $paddedWidth) (local.get $channelBytes)))
    (call $zero (local.get $acc) (i32.mul (local.get $kernelHeight) (local.get $rowBytes)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $oh) (local.get $outHeight)))
      (local.set $ow (i32.const 0))
      (block $colsDone (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $ow) (local.get $outWidth)))
        (local.set $pixel
          (i32.add (local.get $padded)
            (i32.add
              (i32.mul (i32.mul (local.get $oh) (local.get $strideHeight)) (local.get $paddedRowBytes))
              (i32.mul (i32.mul (local.get $ow) (local.get $strideWidth)) (local.get $channelBytes)))))
        (local.set $kh (i32.const 0))
        (block $tapsDone (loop $taps
          (br_if $tapsDone (i32.ge_u (local.get $kh) (local.get $kernelHeight)))
          (call $rowMultiplyAdd
            (i32.add (local.get $acc) (i32.mul (local.get $kh) (local.get $rowBytes)))
            (i32.add (local.get $pixel) (i32.mul (local.get $kh) (local.get $paddedRowBytes)))
            (local.get $dy) (local.get $rowBytes) (local.get $channelBytes))
          (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
          (br $taps)))
        (local.set $dy (i32.add (local.get $dy) (local.get $channelBytes)))
        (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
        (br $cols)))
      (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
      (br $rows))))

  ;; Input gradient, scattered: padded[oh·SH + kh, ow·SW + kw, c] += filter[kh, kw, c]·dy[oh, ow, c] (padded zeroed
  ;; by the caller, filter rows padded to rowFloats with zeros).
  (func (export "depthwiseInputGradImage")
    (param $padded i32) (param $dy i32) (param $filter i32) (param $outHeight i32) (param $outWidth i32)
    (param $paddedWidth i32) (param $channels i32) (param $kernelHeight i32) (param $rowFloats i32)
    (param $strideHeight i32) (param $strideWidth i32)
    (local $oh i32) (local $ow i32) (local $kh i32) (local $pixel i32) (local $channelBytes i32)
    (local $rowBytes i32) (local $paddedRowBytes i32)
    (local.set $channelBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowBytes (i32.shl (local.get $rowFloats) (i32.const 2)))
    (local.set $paddedRowBytes (i32.mul (local.get $paddedWidth) (local.get $channelBytes)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $oh) (local.get $outHeight)))
      (local.set $ow (i32.const 0))
      (block $colsDone (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $ow) (local.get $outWidth)))
        (local.set $pixel
          (i32.add (local.get $padded)
            (i32.add
              (i32.mul (i32.mul (local.get $oh) (local.get $strideHeight)) (local.get $paddedRowBytes))
              (i32.mul (i32.mul (local.get $ow) (local.get $strideWidth)) (local.get $channelBytes)))))
        (local.set $kh (i32.const 0))
        (block $tapsDone (loop $taps
          (br_if $tapsDone (i32.ge_u (local.get $kh) (local.get $kernelHeight)))
          (call $rowMultiplyAdd
            (i32.add (local.get $pixel) (i32.mul (local.get $kh) (local.get $paddedRowBytes)))
            (i32.add (local.get $filter) (i32.mul (local.get $kh) (local.get $rowBytes)))
            (local.get $dy) (local.get $rowBytes) (local.get $channelBytes))
          (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
          (br $taps)))
        (local.set $dy (i32.add (local.get $dy) (local.get $channelBytes)))
        (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
        (br $cols)))
      (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
      (br $rows))))

  ;; acc[i·bCols + j] = Σ_r a[r·aCols + i]·b[r·bCols + j] over `rows` rows (bCols a multiple of 4): the sum of the rows'
  ;; outer products, i.e. aᵀ·b without transposing anything. acc stays in L1 for the small matrices of filter gradients.
  (func (export "outerProductSum")
    (param $a i32) (param $b i32) (param $acc i32) (param $rows i32) (param $aCols i32) (param $bCols i32)
    (local $r i32) (local $i i32) (local $j i32) (local $s v128) (local $bBytes i32) (local $accRow i32)
    (local.set $bBytes (i32.shl (local.get $bCols) (i32.const 2)))
    (call $zero (local.get $acc) (i32.mul (local.get $aCols) (local.get $bBytes)))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $i (i32.const 0))
      (local.set $accRow (local.get $acc))
      (block $colsDone (loop $colLoop
        (br_if $colsDone (i32.ge_u (local.get $i) (local.get $aCols)))
        (local.set $s (v128.load32_splat (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $j (i32.const 0))
        (block $vecDone (loop $vec
          (br_if $vecDone (i32.ge_u (local.get $j) (local.get $bBytes)))
          (v128.store (i32.add (local.get $accRow) (local.get $j))
            (f32x4.add
              (v128.load (i32.add (local.get $accRow) (local.get $j)))
              (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $b) (local.get $j))))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $vec)))
        (local.set $accRow (i32.add (local.get $accRow) (local.get $bBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $colLoop)))
      (local.set $a (i32.add (local.get $a) (i32.shl (local.get $aCols) (i32.const 2))))
      (local.set $b (i32.add (local.get $b) (local.get $bBytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop))))

  ;; out[r·mCols + j] = Σ_k a[r·aCols + k]·m[k·mCols + j] (mCols a multiple of 4): a tall, thin matrix times a small
  ;; one, each output row built in place from aCols scaled rows of m (which stays in L1).
  (func (export "matrixRows")
    (param $a i32) (param $m i32) (param $out i32) (param $rows i32) (param $aCols i32) (param $mCols i32)
    (local $r i32) (local $k i32) (local $j i32) (local $s v128) (local $mBytes i32) (local $mRow i32)
    (local.set $mBytes (i32.shl (local.get $mCols) (i32.const 2)))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (call $zero (local.get $out) (local.get $mBytes))
      (local.set $k (i32.const 0))
      (local.set $mRow (local.get $m))
      (block $kDone (loop $kLoop
        (br_if $kDone (i32.ge_u (local.get $k) (local.get $aCols)))
        (local.set $s (v128.load32_splat (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $j (i32.const 0))
        (block $vecDone (loop $vec
          (br_if $vecDone (i32.ge_u (local.get $j) (local.get $mBytes)))
          (v128.store (i32.add (local.get $out) (local.get $j))
            (f32x4.add
              (v128.load (i32.add (local.get $out) (local.get $j)))
              (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $mRow) (local.get $j))))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $vec)))
        (local.set $mRow (i32.add (local.get $mRow) (local.get $mBytes)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kLoop)))
      (local.set $a (i32.add (local.get $a) (i32.shl (local.get $aCols) (i32.const 2))))
      (local.set $out (i32.add (local.get $out) (local.get $mBytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop))))

  ;; Depthwise convolution forward for one image on a padded input (see above; filter rows padded to rowFloats):
  ;; out[oh, ow, c] = Σ_{kh,kw} padded[oh·SH + kh, ow·SW + kw, c]·filter[kh, kw, c]. With 4k channels each vector is 4
  ;; channels of one tap; with 1 or 2 channels a vector spans taps, reduced across lanes at the end.
  (func (export "depthwiseForwardImage")
    (param $padded i32) (param $filter i32) (param $out i32) (param $outHeight i32) (param $outWidth i32)
    (param $paddedWidth i32) (param $channels i32) (param $kernelHeight i32) (param $kernelWidth i32)
    (param $rowFloats i32) (param $strideHeight i32) (param $strideWidth i32)
    (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32) (local $j i32) (local $c i32)
    (local $pixel i32) (local $src i32) (local $w i32) (local $acc v128)
    (local $channelBytes i32) (local $rowBytes i32) (local $paddedRowBytes i32)
    (local.set $channelBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowBytes (i32.shl (local.get $rowFloats) (i32.const 2)))
    (local.set $paddedRowBytes (i32.mul (local.get $paddedWidth) (local.get $channelBytes)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $oh) (local.get $outHeight)))
      (local.set $ow (i32.const 0))
      (block $colsDone (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $ow) (local.get $outWidth)))
        (local.set $pixel
          (i32.add (local.get $padded)
            (i32.add
              (i32.mul (i32.mul (local.get $oh) (local.get $strideHeight)) (local.get $paddedRowBytes))
              (i32.mul (i32.mul (local.get $ow) (local.get $strideWidth)) (local.get $channelBytes)))))
        (if (i32.ge_u (local.get $channelBytes) (i32.const 16))
          (then
            (local.set $c (i32.const 0))
            (block $chDone (loop $ch
              (br_if $chDone (i32.ge_u (local.get $c) (local.get $channelBytes)))
              (local.set $acc (v128.const i32x4 0 0 0 0))
              (local.set $kh (i32.const 0))
              (block $khDone (loop $khLoop
                (br_if $khDone (i32.ge_u (local.get $kh) (local.get $kernelHeight)))
                (local.set $src
                  (i32.add (i32.add (local.get $pixel) (i32.mul (local.get $kh) (local.get $paddedRowBytes)))
                    (local.get $c)))
                (local.set $w
                  (i32.add (i32.add (local.get $filter) (i32.mul (local.get $kh) (local.get $rowBytes)))
                    (local.get $c)))
                (local.set $kw (i32.const 0))
                (block $kwDone (loop $kwLoop
                  (br_if $kwDone (i32.ge_u (local.get $kw) (local.get $kernelWidth)))
                  (local.set $acc
                    (f32x4.add (local.get $acc)
                      (f32x4.mul (v128.load (local.get $src)) (v128.load (local.get $w)))))
                  (local.set $src (i32.add (local.get $src) (local.get $channelBytes)))
                  (local.set $w (i32.add (local.get $w) (local.get $channelBytes)))
                  (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
                  (br $kwLoop)))
                (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
                (br $khLoop)))
              (v128.store (i32.add (local.get $out) (local.get $c)) (local.get $acc))
              (local.set $c (i32.add (local.get $c) (i32.const 16)))
              (br $ch))))
          (else
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $kh (i32.const 0))
            (block $khDone (loop $khLoop
              (br_if $khDone (i32.ge_u (local.get $kh) (local.get $kernelHeight)))
              (local.set $src (i32.add (local.get $pixel) (i32.mul (local.get $kh) (local.get $paddedRowBytes))))
              (local.set $w (i32.add (local.get $filter) (i32.mul (local.get $kh) (local.get $rowBytes))))
              (local.set $j (i32.const 0))
              (block $vecDone (loop $vec
                (br_if $vecDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
                (local.set $acc
                  (f32x4.add (local.get $acc)
                    (f32x4.mul
                      (v128.load (i32.add (local.get $src) (local.get $j)))
                      (v128.load (i32.add (local.get $w) (local.get $j))))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $vec)))
              (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
              (br $khLoop)))
            (if (i32.eq (local.get $channelBytes) (i32.const 4))
              (then
                (f32.store (local.get $out)
                  (f32.add
                    (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
                    (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))))
              (else
                (f32.store (local.get $out)
                  (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 2 (local.get $acc))))
                (f32.store offset=4 (local.get $out)
                  (f32.add (f32x4.extract_lane 1 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))))))
        (local.set $out (i32.add (local.get $out) (local.get $channelBytes)))
        (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
        (br $cols)))
      (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
      (br $rows))))

  ;; Copies `rows` runs of `width` floats from src to dst, advancing by the given strides (floats) after each run:
  ;; concatenation and splitting along channels, padding and cropping images. Vectors first, then a scalar tail.
  (func (export "copyRows")
    (param $src i32) (param $srcStride i32) (param $dst i32) (param $dstStride i32) (param $rows i32) (param $width i32)
    (local $r i32) (local $j i32) (local $vectorBytes i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $srcStride (i32.shl (local.get $srcStride) (i32.const 2)))
    (local.set $dstStride (i32.shl (local.get $dstStride) (i32.const 2)))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $j) (local.get $vectorBytes)))
        (v128.store (i32.add (local.get $dst) (local.get $j)) (v128.load (i32.add (local.get $src) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $j) (local.get $bytes)))
        (f32.store (i32.add (local.get $dst) (local.get $j)) (f32.load (i32.add (local.get $src) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail)))
      (local.set $src (i32.add (local.get $src) (local.get $srcStride)))
      (local.set $dst (i32.add (local.get $dst) (local.get $dstStride)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop))))

  ;; As copyRows, but adds into dst (col2im). Runs are processed in order, so overlapping destinations accumulate.
  (func (export "addRows")
    (param $src i32) (param $srcStride i32) (param $dst i32) (param $dstStride i32) (param $rows i32) (param $width i32)
    (local $r i32) (local $j i32) (local $vectorBytes i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $srcStride (i32.shl (local.get $srcStride) (i32.const 2)))
    (local.set $dstStride (i32.shl (local.get $dstStride) (i32.const 2)))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $j) (local.get $vectorBytes)))
        (v128.store (i32.add (local.get $dst) (local.get $j))
          (f32x4.add
            (v128.load (i32.add (local.get $dst) (local.get $j)))
            (v128.load (i32.add (local.get $src) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $j) (local.get $bytes)))
        (f32.store (i32.add (local.get $dst) (local.get $j))
          (f32.add
            (f32.load (i32.add (local.get $dst) (local.get $j)))
            (f32.load (i32.add (local.get $src) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail)))
      (local.set $src (i32.add (local.get $src) (local.get $srcStride)))
      (local.set $dst (i32.add (local.get $dst) (local.get $dstStride)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop))))

  ;; matrixRows for exactly 4 output columns: the output row stays in 1 register(s) across k.
  (func (export "matrixRows4")
    (param $a i32) (param $m i32) (param $out i32) (param $rows i32) (param $aCols i32)
    (local $r i32) (local $k i32) (local $s v128) (local $mRow i32) (local $acc0 v128)
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $acc0 (v128.const i32x4 0 0 0 0))
      (local.set $k (i32.const 0))
      (local.set $mRow (local.get $m))
      (block $kDone (loop $kLoop
        (br_if $kDone (i32.ge_u (local.get $k) (local.get $aCols)))
        (local.set $s (v128.load32_splat (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $acc0 (f32x4.add (local.get $acc0)
          (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $mRow)))))
        (local.set $mRow (i32.add (local.get $mRow) (i32.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kLoop)))
      (v128.store offset=0 (local.get $out) (local.get $acc0))
      (local.set $a (i32.add (local.get $a) (i32.shl (local.get $aCols) (i32.const 2))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop))))

  ;; matrixRows for exactly 8 output columns: the output row stays in 2 register(s) across k.
  (func (export "matrixRows8")
    (param $a i32) (param $m i32) (param $out i32) (param $rows i32) (param $aCols i32)
    (local $r i32) (local $k i32) (local $s v128) (local $mRow i32) (local $acc0 v128) (local $acc1 v128)
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $acc0 (v128.const i32x4 0 0 0 0))
      (local.set $acc1 (v128.const i32x4 0 0 0 0))
      (local.set $k (i32.const 0))
      (local.set $mRow (local.get $m))
      (block $kDone (loop $kLoop
        (br_if $kDone (i32.ge_u (local.get $k) (local.get $aCols)))
        (local.set $s (v128.load32_splat (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $acc0 (f32x4.add (local.get $acc0)
          (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $mRow)))))
        (local.set $acc1 (f32x4.add (local.get $acc1)
          (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $mRow)))))
        (local.set $mRow (i32.add (local.get $mRow) (i32.const 32)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kLoop)))
      (v128.store offset=0 (local.get $out) (local.get $acc0))
      (v128.store offset=16 (local.get $out) (local.get $acc1))
      (local.set $a (i32.add (local.get $a) (i32.shl (local.get $aCols) (i32.const 2))))
      (local.set $out (i32.add (local.get $out) (i32.const 32)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop))))

  ;; matrixRows for exactly 16 output columns: the output row stays in 4 register(s) across k.
  (func (export "matrixRows16")
    (param $a i32) (param $m i32) (param $out i32) (param $rows i32) (param $aCols i32)
    (local $r i32) (local $k i32) (local $s v128) (local $mRow i32) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $acc0 (v128.const i32x4 0 0 0 0))
      (local.set $acc1 (v128.const i32x4 0 0 0 0))
      (local.set $acc2 (v128.const i32x4 0 0 0 0))
      (local.set $acc3 (v128.const i32x4 0 0 0 0))
      (local.set $k (i32.const 0))
      (local.set $mRow (local.get $m))
      (block $kDone (loop $kLoop
        (br_if $kDone (i32.ge_u (local.get $k) (local.get $aCols)))
        (local.set $s (v128.load32_splat (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $acc0 (f32x4.add (local.get $acc0)
          (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $mRow)))))
        (local.set $acc1 (f32x4.add (local.get $acc1)
          (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $mRow)))))
        (local.set $acc2 (f32x4.add (local.get $acc2)
          (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $mRow)))))
        (local.set $acc3 (f32x4.add (local.get $acc3)
          (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $mRow)))))
        (local.set $mRow (i32.add (local.get $mRow) (i32.const 64)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kLoop)))
      (v128.store offset=0 (local.get $out) (local.get $acc0))
      (v128.store offset=16 (local.get $out) (local.get $acc1))
      (v128.store offset=32 (local.get $out) (local.get $acc2))
      (v128.store offset=48 (local.get $out) (local.get $acc3))
      (local.set $a (i32.add (local.get $a) (i32.shl (local.get $aCols) (i32.const 2))))
      (local.set $out (i32.add (local.get $out) (i32.const 64)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop))))
)
