// Dense (y = x . W + b over the last axis, per position of the leading axes), with hls4ml's
// io_parallel numerics: per output j,
//   acc = accum_t(b[j]);  for i in order: acc = accum_t(acc + accum_t(x[i] * w[i][j]));
//   y[j] = res_T(acc)
// Latency sums i = 0..n_in-1 in one fully unrolled step. Resource with reuse factor RF < n_in
// sums i = r + k*RF for r = 0..RF-1 (one r per clock), k = 0..n_in/RF-1; RF >= n_in sums
// i = 0..n_in-1, one i per clock. The order matters only when a partial sum saturates.
// The kernel is w[i * n_out + j] (Keras' [n_in, n_out] layout) for both strategies. The
// product accum_t(x[i] * w[i][j]) is CONFIG_T::product's (fixnn_common.h): the plain one, or
// hls4ml's shifted product for power-of-two weights.
#ifndef FIXNN_DENSE_H_
#define FIXNN_DENSE_H_

#include "fixnn_common.h"

namespace fixnn {

struct dense_config {
  static const unsigned n_in = 1;
  static const unsigned n_out = 1;
  static const unsigned n_pos = 1;  // positions of the leading axes
  static const unsigned reuse_factor = 1;
  static const unsigned strategy = latency;
  typedef ap_fixed<16, 6> accum_t;
  typedef ap_fixed<16, 6> weight_t;
  typedef ap_fixed<16, 6> bias_t;
  typedef plain_product product;  // or exponent_product<r_T> (fixnn_common.h)
};

template <class data_T, class res_T, typename CONFIG_T>
void dense_latency(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_out],
                   const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                   const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
OutLoop:
  for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    typename CONFIG_T::accum_t acc = biases[j];
  InLoop:
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
      acc += CONFIG_T::product::template mult<typename CONFIG_T::accum_t>(
          data[i], weights[i * CONFIG_T::n_out + j]);
    }
    res[j] = (res_T)acc;
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void dense_resource(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_out],
                    const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                    const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
  // The products summed per clock: n_in / RF inputs (RF < n_in) or one (RF >= n_in).
  static const unsigned stride =
      CONFIG_T::reuse_factor < CONFIG_T::n_in ? CONFIG_T::reuse_factor : CONFIG_T::n_in;
  static const unsigned per_step = CONFIG_T::n_in / stride;
  typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
#pragma HLS ARRAY_PARTITION variable = acc complete
InitAccum:
  for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    acc[j] = biases[j];
  }
ReuseLoop:
  for (unsigned r = 0; r < stride; r++) {
#pragma HLS PIPELINE II = 1 rewind
  StepLoop:
    for (unsigned k = 0; k < per_step; k++) {
#pragma HLS UNROLL
      const unsigned i = r + k * stride;
    OutLoop:
      for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
        acc[j] += CONFIG_T::product::template mult<typename CONFIG_T::accum_t>(
            data[i], weights[i * CONFIG_T::n_out + j]);
      }
    }
  }
Result:
  for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    res[j] = (res_T)acc[j];
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void dense(const data_T data[CONFIG_T::n_pos * CONFIG_T::n_in],
           res_T res[CONFIG_T::n_pos * CONFIG_T::n_out],
           const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
           const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE recursive
PositionLoop:
  for (unsigned p = 0; p < CONFIG_T::n_pos; p++) {
    if (CONFIG_T::strategy == latency) {
      dense_latency<data_T, res_T, CONFIG_T>(data + p * CONFIG_T::n_in, res + p * CONFIG_T::n_out,
                                             weights, biases);
    } else {
      dense_resource<data_T, res_T, CONFIG_T>(data + p * CONFIG_T::n_in, res + p * CONFIG_T::n_out,
                                              weights, biases);
    }
  }
}

}  // namespace fixnn

#endif  // FIXNN_DENSE_H_
