// BatchNormalization (not folded) and Scale with hls4ml's io_parallel numerics:
//   y_i = res_T(x_i * scale[c] + bias[c]),  c = i % n_filt (the last axis)
// the product and the sum exact, no accumulator.
// A power-of-two scale (QKeras alpha 'auto_po2') is a sign and an exponent per channel; the
// product is hls4ml's exponential product in product_t = ap_fixed<2N, N> (TRN, WRAP):
//   r = product_t(x_i) shifted left by exponent[c] (right, flooring, when it is negative; bits
//   above product_t's are lost), r = product_t(-r) when negative[c];  y_i = res_T(r + bias[c])
#ifndef FIXNN_BATCHNORM_H_
#define FIXNN_BATCHNORM_H_

#include "fixnn_common.h"

namespace fixnn {

struct batchnorm_config {
  static const unsigned n_in = 1;
  static const unsigned n_filt = 1;
  typedef ap_fixed<16, 6> scale_t;
  typedef ap_fixed<16, 6> bias_t;
};

template <class data_T, class res_T, typename CONFIG_T>
void normalize(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
               const typename CONFIG_T::scale_t scale[CONFIG_T::n_filt],
               const typename CONFIG_T::bias_t bias[CONFIG_T::n_filt]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const unsigned c = i % CONFIG_T::n_filt;
    res[i] = (res_T)(data[i] * scale[c] + bias[c]);
  }
}

struct batchnorm_po2_config {
  static const unsigned n_in = 1;
  static const unsigned n_filt = 1;
  typedef ap_fixed<32, 16> product_t;
  typedef ap_fixed<16, 6> bias_t;
};

template <class data_T, class res_T, typename CONFIG_T>
void normalize_po2(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
                   const int exponent[CONFIG_T::n_filt], const bool negative[CONFIG_T::n_filt],
                   const typename CONFIG_T::bias_t bias[CONFIG_T::n_filt]) {
#pragma HLS INLINE
  typedef typename CONFIG_T::product_t product_t;
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const unsigned c = i % CONFIG_T::n_filt;
    product_t r = (product_t)data[i];
    const int e = exponent[c];
    if (e >= 0) {
      r = r << e;
    } else {
      r = r >> -e;
    }
    if (negative[c]) r = (product_t)(-r);
    res[i] = (res_T)(r + bias[c]);
  }
}

}  // namespace fixnn

#endif  // FIXNN_BATCHNORM_H_
