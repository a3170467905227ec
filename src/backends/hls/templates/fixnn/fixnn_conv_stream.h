// Conv and DepthwiseConv (1-D and 2-D) in io_stream, with a line buffer: input pixels arrive as
// packets of n_chan values in row-major order; the last filt_h input rows are kept, and once
// input row ih is complete every output row whose window ends there (its last row, clipped to
// the input) is computed, pixel by pixel, from the buffer. Each window is gathered in the
// order (kh, kw, c) with 0 for padded taps and computed by fixnn_conv.h's conv_pixel or
// depthwise_pixel: the same values as io_parallel. The writer passes a 1-D layer as a column
// (in_h = the sequence, in_w = 1), so that its buffer holds filt_h pixels.
#ifndef FIXNN_CONV_STREAM_H_
#define FIXNN_CONV_STREAM_H_

#include "fixnn_conv.h"
#include "fixnn_stream.h"

namespace fixnn {

// The last input row output row oh reads.
template <typename CONFIG_T>
int window_last_row(unsigned oh) {
  const int last = (int)(oh * CONFIG_T::stride_h + CONFIG_T::filt_h) - 1 - (int)CONFIG_T::pad_top;
  return last < (int)CONFIG_T::in_h - 1 ? last : (int)CONFIG_T::in_h - 1;
}

// The window of output pixel (oh, ow) from lines[k], which holds input row ih - filt_h + 1 + k;
// `fill` for padded cells.
template <class data_T, typename CONFIG_T>
void window_from_lines(const data_T lines[CONFIG_T::filt_h][CONFIG_T::in_w * CONFIG_T::n_chan],
                       const int ih, const unsigned oh, const unsigned ow,
                       data_T row[CONFIG_T::filt_h * CONFIG_T::filt_w * CONFIG_T::n_chan],
                       const data_T fill = 0) {
#pragma HLS INLINE
KernelRows:
  for (unsigned kh = 0; kh < CONFIG_T::filt_h; kh++) {
#pragma HLS UNROLL
  KernelCols:
    for (unsigned kw = 0; kw < CONFIG_T::filt_w; kw++) {
#pragma HLS UNROLL
      const int r = (int)(oh * CONFIG_T::stride_h + kh) - (int)CONFIG_T::pad_top;
      const int col = (int)(ow * CONFIG_T::stride_w + kw) - (int)CONFIG_T::pad_left;
      const bool inside =
          r >= 0 && r < (int)CONFIG_T::in_h && col >= 0 && col < (int)CONFIG_T::in_w;
      const int k = r - (ih - (int)CONFIG_T::filt_h + 1);
      const unsigned base = (kh * CONFIG_T::filt_w + kw) * CONFIG_T::n_chan;
    Channels:
      for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        if (inside) {
          row[base + c] = lines[k][col * CONFIG_T::n_chan + c];
        } else {
          row[base + c] = fill;
        }
      }
    }
  }
}

// Shifts the line buffer up one row and reads input row `ih` into its last row.
template <class data_T, typename CONFIG_T>
void read_line(hls::stream<packet<data_T, CONFIG_T::n_chan> >& data,
               data_T lines[CONFIG_T::filt_h][CONFIG_T::in_w * CONFIG_T::n_chan]) {
#pragma HLS INLINE
  static const unsigned row_len = CONFIG_T::in_w * CONFIG_T::n_chan;
ShiftRows:
  for (unsigned k = 0; k + 1 < CONFIG_T::filt_h; k++) {
  ShiftValues:
    for (unsigned i = 0; i < row_len; i++) {
#pragma HLS UNROLL
      lines[k][i] = lines[k + 1][i];
    }
  }
ReadPixels:
  for (unsigned iw = 0; iw < CONFIG_T::in_w; iw++) {
#pragma HLS PIPELINE
    const packet<data_T, CONFIG_T::n_chan> pk = data.read();
  ReadChannels:
    for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
      lines[CONFIG_T::filt_h - 1][iw * CONFIG_T::n_chan + c] = pk[c];
    }
  }
}

// depthwise = false: conv_pixel (n_filt outputs per pixel); true: depthwise_pixel (n_chan).
template <class data_T, class res_T, typename CONFIG_T, bool depthwise, unsigned n_res>
void window_stream(hls::stream<packet<data_T, CONFIG_T::n_chan> >& data,
                   hls::stream<packet<res_T, n_res> >& res,
                   const typename CONFIG_T::weight_t* weights,
                   const typename CONFIG_T::bias_t* biases) {
  data_T lines[CONFIG_T::filt_h][CONFIG_T::in_w * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable = lines complete dim = 1
  unsigned next_oh = 0;
InRows:
  for (unsigned ih = 0; ih < CONFIG_T::in_h; ih++) {
    read_line<data_T, CONFIG_T>(data, lines);
  OutRows:
    for (unsigned n = 0; n < CONFIG_T::out_h; n++) {
      if (next_oh >= CONFIG_T::out_h || window_last_row<CONFIG_T>(next_oh) != (int)ih) break;
    OutCols:
      for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
#pragma HLS PIPELINE
        data_T row[CONFIG_T::n_in];
#pragma HLS ARRAY_PARTITION variable = row complete
        window_from_lines<data_T, CONFIG_T>(lines, (int)ih, next_oh, ow, row);
        packet<res_T, n_res> out;
        if (depthwise) {
          depthwise_pixel<data_T, res_T, CONFIG_T>(row, out.data, weights, biases);
        } else {
          conv_pixel<data_T, res_T, CONFIG_T>(row, out.data, weights, biases);
        }
        res.write(out);
      }
      next_oh++;
    }
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void conv_stream(hls::stream<packet<data_T, CONFIG_T::n_chan> >& data,
                 hls::stream<packet<res_T, CONFIG_T::n_filt> >& res,
                 const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                 const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
  window_stream<data_T, res_T, CONFIG_T, false, CONFIG_T::n_filt>(data, res, weights, biases);
}

template <class data_T, class res_T, typename CONFIG_T>
void depthwise_conv_stream(hls::stream<packet<data_T, CONFIG_T::n_chan> >& data,
                           hls::stream<packet<res_T, CONFIG_T::n_chan> >& res,
                           const typename CONFIG_T::weight_t weights[CONFIG_T::n_in],
                           const typename CONFIG_T::bias_t biases[CONFIG_T::n_chan]) {
  window_stream<data_T, res_T, CONFIG_T, true, CONFIG_T::n_chan>(data, res, weights, biases);
}

}  // namespace fixnn

#endif  // FIXNN_CONV_STREAM_H_
