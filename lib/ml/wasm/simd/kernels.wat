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
)
