// Softmax with hls4ml's io_parallel numerics, per slice of n_slice values:
//   stable:  m = max x;  d_i = inp_norm_t(m - x_i);  e_i = accum_t(exp_table[top bits of d_i])
//   latency: e_i = accum_t(exp_table[top bits of x_i])
//            s = inv_inp_t(tree sum of e in accum_t);  r = inv_table[top bits of s]
//            y_i = res_T(e_i * r)
//   legacy:  acc_i = table_t(sum over j, in order, of (i == j ? 1 : exp_table[k_ij])), each
//            addition cast to table_t, k_ij = int((x_j - x_i) * N / 16) + N / 2 clamped to
//            [0, N-1]; y_i = res_T(inv_table[int(acc_i * N / 64) clamped])  (table_t is
//            exp_table_t = inv_table_t; int() truncates toward zero)
//   argmax:  y = 0 everywhere but 1 at the first largest x_i
// "Top bits": the top log2(size) bits of the value's raw bit pattern, as an unsigned index.
// The tree sum splits a run of n into 2^floor(log2(n-1)) and the rest, each addition cast to
// accum_t. A tensor of rank > 1 is softmaxed along one axis: it is [n_outer, n_slice, n_inner].
#ifndef FIXNN_SOFTMAX_H_
#define FIXNN_SOFTMAX_H_

#include "fixnn_common.h"

namespace fixnn {

enum softmax_implementation { softmax_stable, softmax_latency, softmax_argmax, softmax_legacy };

struct softmax_config {
  static const unsigned n_slice = 1;
  static const unsigned n_outer = 1;
  static const unsigned n_inner = 1;
  static const unsigned implementation = softmax_stable;
  static const unsigned exp_table_size = 1024;
  static const unsigned inv_table_size = 1024;
  static const int exp_bits = 10;  // top bits that index exp_table
  static const int inv_bits = 10;  // top bits that index inv_table
  typedef ap_fixed<18, 8, AP_RND, AP_SAT> exp_table_t;
  typedef ap_fixed<18, 8, AP_RND, AP_SAT> inv_table_t;
  typedef ap_fixed<18, 8, AP_RND, AP_SAT> accum_t;
  typedef ap_fixed<18, 8, AP_RND, AP_SAT> inv_inp_t;
  typedef ap_ufixed<15, 5> inp_norm_t;  // stable: the type of max - x
};

// The largest power of two below n (n >= 2): where the tree sum splits a run of n.
template <int N>
struct tree_split {
  static const int half = tree_split<(N + 1) / 2>::half * 2;
};
template <>
struct tree_split<2> {
  static const int half = 1;
};
template <>
struct tree_split<1> {
  static const int half = 1;
};

template <class T, int N>
struct tree_sum {
  static const int left = tree_split<N>::half;
  static T sum(const T* x) {
#pragma HLS INLINE
    const T a = tree_sum<T, left>::sum(x);
    const T b = tree_sum<T, N - left>::sum(x + left);
    return (T)(a + b);
  }
};
template <class T>
struct tree_sum<T, 2> {
  static T sum(const T* x) {
#pragma HLS INLINE
    return (T)(x[0] + x[1]);
  }
};
template <class T>
struct tree_sum<T, 1> {
  static T sum(const T* x) {
#pragma HLS INLINE
    return x[0];
  }
};

// The top `bits` bits of v's raw pattern.
template <int bits, class T>
unsigned top_bits(const T& v) {
#pragma HLS INLINE
  ap_uint<bits> index = v.range(T::width - 1, T::width - bits);
  return index.to_uint();
}

template <class data_T, class res_T, typename CONFIG_T>
void softmax_slice(const data_T data[CONFIG_T::n_slice], res_T res[CONFIG_T::n_slice],
                   const typename CONFIG_T::exp_table_t exp_table[CONFIG_T::exp_table_size],
                   const typename CONFIG_T::inv_table_t inv_table[CONFIG_T::inv_table_size]) {
#pragma HLS INLINE
  typedef typename CONFIG_T::accum_t accum_t;
  if (CONFIG_T::implementation == softmax_argmax) {
    unsigned best = 0;
    for (unsigned i = 1; i < CONFIG_T::n_slice; i++) {
      if (data[i] > data[best]) best = i;
    }
    for (unsigned i = 0; i < CONFIG_T::n_slice; i++) {
#pragma HLS UNROLL
      res[i] = i == best ? 1 : 0;
    }
    return;
  }
  if (CONFIG_T::implementation == softmax_legacy) {
    typedef typename CONFIG_T::exp_table_t table_t;
    static const int n_exp = CONFIG_T::exp_table_size, n_inv = CONFIG_T::inv_table_size;
    for (unsigned i = 0; i < CONFIG_T::n_slice; i++) {
#pragma HLS UNROLL
      table_t acc = 0;
      for (unsigned j = 0; j < CONFIG_T::n_slice; j++) {
#pragma HLS UNROLL
        table_t term = 1;
        if (i != j) {
          const int data_round = (data[j] - data[i]) * CONFIG_T::exp_table_size / 16;
          int index = data_round + 8 * CONFIG_T::exp_table_size / 16;
          if (index < 0) index = 0;
          if (index > n_exp - 1) index = n_exp - 1;
          term = exp_table[index];
        }
        acc += term;
      }
      int index = acc * CONFIG_T::inv_table_size / 64;
      if (index < 0) index = 0;
      if (index > n_inv - 1) index = n_inv - 1;
      res[i] = (res_T)inv_table[index];
    }
    return;
  }
  accum_t e[CONFIG_T::n_slice];
#pragma HLS ARRAY_PARTITION variable = e complete
  if (CONFIG_T::implementation == softmax_stable) {
    data_T top = data[0];
    for (unsigned i = 1; i < CONFIG_T::n_slice; i++) {
#pragma HLS UNROLL
      if (data[i] > top) top = data[i];
    }
    for (unsigned i = 0; i < CONFIG_T::n_slice; i++) {
#pragma HLS UNROLL
      const typename CONFIG_T::inp_norm_t d = top - data[i];
      e[i] = exp_table[top_bits<CONFIG_T::exp_bits>(d)];
    }
  } else {
    for (unsigned i = 0; i < CONFIG_T::n_slice; i++) {
#pragma HLS UNROLL
      e[i] = exp_table[top_bits<CONFIG_T::exp_bits>(data[i])];
    }
  }
  const typename CONFIG_T::inv_inp_t total = tree_sum<accum_t, CONFIG_T::n_slice>::sum(e);
  const typename CONFIG_T::inv_table_t inv = inv_table[top_bits<CONFIG_T::inv_bits>(total)];
  for (unsigned i = 0; i < CONFIG_T::n_slice; i++) {
#pragma HLS UNROLL
    res[i] = (res_T)(e[i] * inv);
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void softmax(const data_T data[CONFIG_T::n_outer * CONFIG_T::n_slice * CONFIG_T::n_inner],
             res_T res[CONFIG_T::n_outer * CONFIG_T::n_slice * CONFIG_T::n_inner],
             const typename CONFIG_T::exp_table_t exp_table[CONFIG_T::exp_table_size],
             const typename CONFIG_T::inv_table_t inv_table[CONFIG_T::inv_table_size]) {
#pragma HLS INLINE recursive
  data_T in[CONFIG_T::n_slice];
  res_T out[CONFIG_T::n_slice];
#pragma HLS ARRAY_PARTITION variable = in complete
#pragma HLS ARRAY_PARTITION variable = out complete
  for (unsigned o = 0; o < CONFIG_T::n_outer; o++) {
    for (unsigned k = 0; k < CONFIG_T::n_inner; k++) {
      const unsigned base = o * CONFIG_T::n_slice * CONFIG_T::n_inner + k;
      for (unsigned j = 0; j < CONFIG_T::n_slice; j++) {
#pragma HLS UNROLL
        in[j] = data[base + j * CONFIG_T::n_inner];
      }
      softmax_slice<data_T, res_T, CONFIG_T>(in, out, exp_table, inv_table);
      for (unsigned j = 0; j < CONFIG_T::n_slice; j++) {
#pragma HLS UNROLL
        res[base + j * CONFIG_T::n_inner] = out[j];
      }
    }
  }
}

}  // namespace fixnn

#endif  // FIXNN_SOFTMAX_H_
