// BatchNormalization (not folded) and Scale with hls4ml's io_parallel numerics:
//   y_i = res_T(x_i * scale[c] + bias[c]),  c = i % n_filt (the last axis)
// the product and the sum exact, no accumulator.
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

}  // namespace fixnn

#endif  // FIXNN_BATCHNORM_H_
