// Shared pieces of fixnn's HLS layer templates: the config bases every layer's parameters
// derive from, and small helpers. Synthesizable C++ (static arrays, constant loop bounds).
#ifndef FIXNN_COMMON_H_
#define FIXNN_COMMON_H_

#include "ap_fixed.h"
#include "ap_int.h"

namespace fixnn {

enum strategy { latency, resource };

// A layer's product x * w cast into its accumulator: the full product, cast.
struct plain_product {
  template <class acc_T, class x_T, class w_T>
  static acc_T mult(const x_T& x, const w_T& w) {
#pragma HLS INLINE
    return (acc_T)(x * w);
  }
};

// hls4ml's product with a QKeras quantized_po2 weight (its weight_exponential), the weight
// stored as code = 2 * exponent + (negative ? 1 : 0): x cast into r_T = ap_fixed<2N, N>
// (N = exponent bits + x's width; TRN, WRAP), shifted there by the exponent (the bits above
// r_T's are lost; a right shift floors), negated back into r_T for a negative weight, then
// cast into the accumulator.
template <class r_T>
struct exponent_product {
  template <class acc_T, class x_T, class w_T>
  static acc_T mult(const x_T& x, const w_T& code) {
#pragma HLS INLINE
    const int c = code.to_int();
    const int negative = c & 1;
    const int e = (c - negative) / 2;
    r_T y = (r_T)x;
    if (e >= 0) {
      y = y << (unsigned)e;
    } else {
      y = y >> (unsigned)(-e);
    }
    if (negative) y = (r_T)(-y);
    return (acc_T)y;
  }
};

// A layer's output copied into a port of the same type (no cast).
template <class T, int N>
void copy_out(const T src[N], T dst[N]) {
  for (int i = 0; i < N; i++) {
#pragma HLS UNROLL
    dst[i] = src[i];
  }
}

}  // namespace fixnn

#endif  // FIXNN_COMMON_H_
