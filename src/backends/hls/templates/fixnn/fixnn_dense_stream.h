// Dense in io_stream: each packet (a position's last axis; the whole vector for a flat input)
// through fixnn_dense.h's Dense, one output packet per input packet. The same numerics as
// io_parallel.
#ifndef FIXNN_DENSE_STREAM_H_
#define FIXNN_DENSE_STREAM_H_

#include "fixnn_dense.h"
#include "fixnn_stream.h"

namespace fixnn {

template <class data_T, class res_T, typename CONFIG_T>
void dense_stream(hls::stream<packet<data_T, CONFIG_T::n_in> >& data,
                  hls::stream<packet<res_T, CONFIG_T::n_out> >& res,
                  const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                  const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
Positions:
  for (unsigned p = 0; p < CONFIG_T::n_pos; p++) {
    const packet<data_T, CONFIG_T::n_in> in = data.read();
    packet<res_T, CONFIG_T::n_out> out;
#pragma HLS ARRAY_PARTITION variable = out.data complete
    if (CONFIG_T::strategy == latency) {
      dense_latency<data_T, res_T, CONFIG_T>(in.data, out.data, weights, biases);
    } else {
      dense_resource<data_T, res_T, CONFIG_T>(in.data, out.data, weights, biases);
    }
    res.write(out);
  }
}

}  // namespace fixnn

#endif  // FIXNN_DENSE_STREAM_H_
