// Pooling in io_stream. Pool (1-D, 2-D): the line buffer of fixnn_conv_stream.h (the writer
// passes a 1-D pool as a column), each window's cells visited row-major as fixnn_pool.h visits
// them, padded cells holding pad_value. GlobalPool: the positions accumulated per channel as
// their packets arrive, in the same order. The same values as io_parallel.
#ifndef FIXNN_POOL_STREAM_H_
#define FIXNN_POOL_STREAM_H_

#include "fixnn_conv_stream.h"
#include "fixnn_pool.h"

namespace fixnn {

// A pool config seen as a window config (filt_h, filt_w, n_in).
template <typename CONFIG_T>
struct pool_window : CONFIG_T {
  static const unsigned filt_h = CONFIG_T::pool_h;
  static const unsigned filt_w = CONFIG_T::pool_w;
  static const unsigned n_in = CONFIG_T::pool_h * CONFIG_T::pool_w * CONFIG_T::n_chan;
};

// One output pixel from its window `row` (cells (kh, kw, c), pad_value where padded).
template <class data_T, class res_T, typename CONFIG_T>
void pool_pixel(const data_T row[CONFIG_T::pool_h * CONFIG_T::pool_w * CONFIG_T::n_chan],
                const unsigned oh, const unsigned ow, res_T out[CONFIG_T::n_chan]) {
#pragma HLS INLINE
  typedef typename CONFIG_T::accum_t accum_t;
Channels:
  for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
    data_T m = row[c];
    accum_t acc = 0;
    unsigned count = 0;
  WindowRows:
    for (unsigned kh = 0; kh < CONFIG_T::pool_h; kh++) {
#pragma HLS UNROLL
    WindowCols:
      for (unsigned kw = 0; kw < CONFIG_T::pool_w; kw++) {
#pragma HLS UNROLL
        const int ih = (int)(oh * CONFIG_T::stride_h + kh) - (int)CONFIG_T::pad_top;
        const int iw = (int)(ow * CONFIG_T::stride_w + kw) - (int)CONFIG_T::pad_left;
        const bool inside =
            ih >= 0 && ih < (int)CONFIG_T::in_h && iw >= 0 && iw < (int)CONFIG_T::in_w;
        const data_T v = row[(kh * CONFIG_T::pool_w + kw) * CONFIG_T::n_chan + c];
        if (CONFIG_T::is_max) {
          if ((kh == 0 && kw == 0) || v > m) m = v;
        } else if (inside) {
          acc += v;
          count++;
        }
      }
    }
    if (CONFIG_T::is_max) {
      acc = m;
    } else {
      acc /= count;
    }
    out[c] = (res_T)acc;
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void pool_stream(hls::stream<packet<data_T, CONFIG_T::n_chan> >& data,
                 hls::stream<packet<res_T, CONFIG_T::n_chan> >& res, const data_T pad_value) {
  typedef pool_window<CONFIG_T> W;
  data_T lines[W::filt_h][CONFIG_T::in_w * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable = lines complete dim = 1
  unsigned next_oh = 0;
InRows:
  for (unsigned ih = 0; ih < CONFIG_T::in_h; ih++) {
    read_line<data_T, W>(data, lines);
  OutRows:
    for (unsigned n = 0; n < CONFIG_T::out_h; n++) {
      if (next_oh >= CONFIG_T::out_h || window_last_row<W>(next_oh) != (int)ih) break;
    OutCols:
      for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
#pragma HLS PIPELINE
        data_T row[W::n_in];
#pragma HLS ARRAY_PARTITION variable = row complete
        window_from_lines<data_T, W>(lines, (int)ih, next_oh, ow, row, pad_value);
        packet<res_T, CONFIG_T::n_chan> out;
        pool_pixel<data_T, res_T, CONFIG_T>(row, next_oh, ow, out.data);
        res.write(out);
      }
      next_oh++;
    }
  }
}

// Global pooling: in_w positions (the writer's config), one output packet.
template <class data_T, class res_T, typename CONFIG_T>
void global_pool_stream(hls::stream<packet<data_T, CONFIG_T::n_chan> >& data,
                        hls::stream<packet<res_T, CONFIG_T::n_chan> >& res) {
  typedef typename CONFIG_T::accum_t accum_t;
  data_T m[CONFIG_T::n_chan];
  accum_t acc[CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable = m complete
#pragma HLS ARRAY_PARTITION variable = acc complete
Positions:
  for (unsigned p = 0; p < CONFIG_T::in_w; p++) {
#pragma HLS PIPELINE
    const packet<data_T, CONFIG_T::n_chan> pk = data.read();
  Channels:
    for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
      if (CONFIG_T::is_max) {
        if (p == 0 || pk[c] > m[c]) m[c] = pk[c];
      } else {
        if (p == 0) acc[c] = 0;
        acc[c] += pk[c];
      }
    }
  }
  packet<res_T, CONFIG_T::n_chan> out;
Result:
  for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
    accum_t r;
    if (CONFIG_T::is_max) {
      r = m[c];
    } else {
      r = acc[c];
      r /= CONFIG_T::in_w;
    }
    out[c] = (res_T)r;
  }
  res.write(out);
}

}  // namespace fixnn

#endif  // FIXNN_POOL_STREAM_H_
