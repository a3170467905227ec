// Two-input merges with hls4ml's io_parallel numerics (a, b in their own types, every
// operation exact before the cast into res_T):
//   add, subtract, multiply  y = a + b, a - b, a * b
//   average                  y = (a + b) * 0.5   (0.5 as ap_ufixed<1,0>)
//   maximum, minimum         y = a > b ? a : b,  a < b ? a : b
// Inputs of different sizes broadcast flat: output k reads a[k % n_a] and b[k % n_b].
//   concatenate              per position before the axis: a's block, then b's block
//   dot                      acc = accum_t(0); acc = accum_t(acc + accum_t(a_i * b_i)) in
//                            order; y = res_T(acc)   (rank-1 inputs)
#ifndef FIXNN_MERGE_H_
#define FIXNN_MERGE_H_

#include "fixnn_common.h"

namespace fixnn {

enum merge_op {
  merge_add,
  merge_subtract,
  merge_multiply,
  merge_average,
  merge_maximum,
  merge_minimum
};

struct merge_config {
  static const unsigned n_out = 1;
  static const unsigned n_a = 1;
  static const unsigned n_b = 1;
  static const unsigned op = merge_add;
};

template <class a_T, class b_T, class res_T, typename CONFIG_T>
void merge(const a_T a[CONFIG_T::n_a], const b_T b[CONFIG_T::n_b], res_T res[CONFIG_T::n_out]) {
#pragma HLS INLINE
  const ap_ufixed<1, 0> half = 0.5;
  for (unsigned k = 0; k < CONFIG_T::n_out; k++) {
#pragma HLS UNROLL
    const a_T u = a[k % CONFIG_T::n_a];
    const b_T v = b[k % CONFIG_T::n_b];
    switch (CONFIG_T::op) {
      case merge_add:
        res[k] = (res_T)(u + v);
        break;
      case merge_subtract:
        res[k] = (res_T)(u - v);
        break;
      case merge_multiply:
        res[k] = (res_T)(u * v);
        break;
      case merge_average:
        res[k] = (res_T)((u + v) * half);
        break;
      case merge_maximum:
        res[k] = u > v ? (res_T)u : (res_T)v;
        break;
      default:
        res[k] = u < v ? (res_T)u : (res_T)v;
        break;
    }
  }
}

struct concat_config {
  static const unsigned n_outer = 1;  // positions before the joined axis
  static const unsigned block_a = 1;  // a's elements per position
  static const unsigned block_b = 1;
};

template <class a_T, class b_T, class res_T, typename CONFIG_T>
void concatenate(const a_T a[CONFIG_T::n_outer * CONFIG_T::block_a],
                 const b_T b[CONFIG_T::n_outer * CONFIG_T::block_b],
                 res_T res[CONFIG_T::n_outer * (CONFIG_T::block_a + CONFIG_T::block_b)]) {
#pragma HLS INLINE
  for (unsigned o = 0; o < CONFIG_T::n_outer; o++) {
#pragma HLS UNROLL
    const unsigned base = o * (CONFIG_T::block_a + CONFIG_T::block_b);
    for (unsigned i = 0; i < CONFIG_T::block_a; i++) {
#pragma HLS UNROLL
      res[base + i] = (res_T)a[o * CONFIG_T::block_a + i];
    }
    for (unsigned i = 0; i < CONFIG_T::block_b; i++) {
#pragma HLS UNROLL
      res[base + CONFIG_T::block_a + i] = (res_T)b[o * CONFIG_T::block_b + i];
    }
  }
}

struct dot_config {
  static const unsigned n_in = 1;
  typedef ap_fixed<16, 6> accum_t;
};

template <class a_T, class b_T, class res_T, typename CONFIG_T>
void dot(const a_T a[CONFIG_T::n_in], const b_T b[CONFIG_T::n_in], res_T res[1]) {
#pragma HLS INLINE
  typename CONFIG_T::accum_t acc = 0;
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    acc += (typename CONFIG_T::accum_t)(a[i] * b[i]);
  }
  res[0] = (res_T)acc;
}

}  // namespace fixnn

#endif  // FIXNN_MERGE_H_
