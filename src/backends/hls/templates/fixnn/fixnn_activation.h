// Elementwise activations with hls4ml's io_parallel numerics (every result assigned to res_T):
//   linear          y = x
//   relu_threshold  y = x > theta ? x : 0           (relu: theta = 0)
//   relu_max        y = x < 0 ? 0 : x > M ? M : x   (M an int)
//   leaky_relu      y = x > 0 ? x : alpha * x       (alpha in param_t)
//   prelu           y = x > 0 ? x : alpha[i] * x
//   table           y = table[index(x)], index = int(x * N / range) + range/2 * N / range
//                   clamped to [0, N-1] (range 16: sigmoid, softplus, softsign; 8: tanh)
//   elu             y = x >= 0 ? x : alpha * table[min(int(x * N / -8), N-1)]
//   selu            y = x >= 0 ? lambda * x : table[int(x * N / -8) clamped]
//   hard_sigmoid    v = slope * x + shift (exact), clipped to [0, 1]; hard_tanh: 2v - 1
//   binary_tanh     y = x >= 0 ? plus : minus
//   ternary_tanh    y = x > hi ? plus : x <= lo ? minus : zero
// The tables hold the values hls4ml's C++ computes at its first call (float libm arithmetic,
// then table_t); they are written into the project as constants.
#ifndef FIXNN_ACTIVATION_H_
#define FIXNN_ACTIVATION_H_

#include "fixnn_common.h"

namespace fixnn {

struct activ_config {
  static const unsigned n_in = 1;
  static const unsigned table_size = 1024;
  static const int table_range = 16;  // the input range the table spans
  static const int max_value = 6;     // relu_max
  typedef ap_fixed<18, 8> table_t;
};

template <class data_T, class res_T, typename CONFIG_T>
void linear(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    res[i] = (res_T)data[i];
  }
}

template <class data_T, class param_T, class res_T, typename CONFIG_T>
void relu_threshold(const data_T data[CONFIG_T::n_in], const param_T theta,
                    res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    if (x > theta) {
      res[i] = (res_T)x;
    } else {
      res[i] = 0;
    }
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void relu_max(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    if (x < 0) {
      res[i] = 0;
    } else if (x > CONFIG_T::max_value) {
      res[i] = CONFIG_T::max_value;
    } else {
      res[i] = (res_T)x;
    }
  }
}

template <class data_T, class param_T, class res_T, typename CONFIG_T>
void leaky_relu(const data_T data[CONFIG_T::n_in], const param_T alpha, res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    if (x > 0) {
      res[i] = (res_T)x;
    } else {
      res[i] = (res_T)(alpha * x);
    }
  }
}

template <class data_T, class param_T, class res_T, typename CONFIG_T>
void prelu(const data_T data[CONFIG_T::n_in], const param_T alpha[CONFIG_T::n_in],
           res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    if (x > 0) {
      res[i] = (res_T)x;
    } else {
      res[i] = (res_T)(alpha[i] * x);
    }
  }
}

// sigmoid, tanh, softplus, softsign: the index truncates toward zero (x * N is exact, the
// division by the range keeps x's LSB, the int conversion truncates).
template <class data_T, class res_T, typename CONFIG_T>
void table_activation(const data_T data[CONFIG_T::n_in],
                      const typename CONFIG_T::table_t table[CONFIG_T::table_size],
                      res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const int data_round = data[i] * CONFIG_T::table_size / CONFIG_T::table_range;
    int index =
        data_round + (CONFIG_T::table_range / 2) * CONFIG_T::table_size / CONFIG_T::table_range;
    if (index < 0) index = 0;
    if (index > (int)CONFIG_T::table_size - 1) index = (int)CONFIG_T::table_size - 1;
    res[i] = (res_T)table[index];
  }
}

template <class data_T, class param_T, class res_T, typename CONFIG_T>
void elu(const data_T data[CONFIG_T::n_in], const param_T alpha,
         const typename CONFIG_T::table_t table[CONFIG_T::table_size], res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    if (x >= 0) {
      res[i] = (res_T)x;
    } else {
      int index = x * CONFIG_T::table_size / -8;
      // An unsigned comparison, as hls4ml's: a negative index also takes the last entry.
      if ((unsigned)index > CONFIG_T::table_size - 1) index = CONFIG_T::table_size - 1;
      res[i] = (res_T)(alpha * table[index]);
    }
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void selu(const data_T data[CONFIG_T::n_in],
          const typename CONFIG_T::table_t table[CONFIG_T::table_size], res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  // Keras' scale 1.0507009873554805 as hls4ml holds it: 34429 / 32768.
  const ap_ufixed<16, 1> lambda = 1.0507009873554805;
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    if (x >= 0) {
      res[i] = (res_T)(lambda * x);
    } else {
      int index = x * CONFIG_T::table_size / -8;
      if (index < 0) index = 0;
      if (index > (int)CONFIG_T::table_size - 1) index = (int)CONFIG_T::table_size - 1;
      res[i] = (res_T)table[index];
    }
  }
}

// hard_sigmoid (tanh = false) and hard_tanh: v = slope * x + shift in the exact sum's type.
template <class data_T, class slope_T, class shift_T, class res_T, typename CONFIG_T>
void hard_activation(const data_T data[CONFIG_T::n_in], const slope_T slope, const shift_T shift,
                     const bool tanh, res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    auto v = slope * data[i] + shift;
    if (v > 1) {
      v = 1;
    } else if (v < 0) {
      v = 0;
    }
    if (tanh) {
      res[i] = (res_T)(2 * v - 1);
    } else {
      res[i] = (res_T)v;
    }
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void binary_tanh(const data_T data[CONFIG_T::n_in], const res_T plus, const res_T minus,
                 res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    res[i] = data[i] >= 0 ? plus : minus;
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void ternary_tanh(const data_T data[CONFIG_T::n_in], const data_T hi, const data_T lo,
                  const res_T plus, const res_T zero, const res_T minus,
                  res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    res[i] = x > hi ? plus : (x > lo ? zero : minus);
  }
}

}  // namespace fixnn

#endif  // FIXNN_ACTIVATION_H_
