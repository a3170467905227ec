// Embedding with hls4ml's io_parallel numerics: for id j and output i,
//   v = x_j * n_out + i (exact);  y[j * n_out + i] = res_T(table[long(v)])
// the subscript truncated toward zero. hls4ml does not check it; here a subscript outside the
// table (an id past the vocabulary, or a negative one) gives 0, as fixnn's emulator gives it.
#ifndef FIXNN_EMBEDDING_H_
#define FIXNN_EMBEDDING_H_

#include "fixnn_common.h"

namespace fixnn {

struct embedding_config {
  static const unsigned n_in = 1;        // ids
  static const unsigned n_out = 1;       // values per id
  static const unsigned vocab_size = 1;  // ids in the table
  typedef ap_fixed<16, 6> embeddings_t;
};

template <class data_T, class res_T, typename CONFIG_T>
void embedding(
    const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in * CONFIG_T::n_out],
    const typename CONFIG_T::embeddings_t embeddings[CONFIG_T::vocab_size * CONFIG_T::n_out]) {
#pragma HLS INLINE
  static const unsigned entries = CONFIG_T::vocab_size * CONFIG_T::n_out;
  for (unsigned j = 0; j < CONFIG_T::n_in; j++) {
#pragma HLS UNROLL
    for (unsigned i = 0; i < CONFIG_T::n_out; i++) {
#pragma HLS UNROLL
      const ap_int<32> offset = i;
      const ap_int<32> width = CONFIG_T::n_out;
      const ap_int<32> limit = entries;
      const ap_int<2> below = -1;
      const auto v = data[j] * width + offset;
      if (v > below && v < limit) {
        res[j * CONFIG_T::n_out + i] = (res_T)embeddings[v.to_int()];
      } else {
        res[j * CONFIG_T::n_out + i] = 0;
      }
    }
  }
}

}  // namespace fixnn

#endif  // FIXNN_EMBEDDING_H_
