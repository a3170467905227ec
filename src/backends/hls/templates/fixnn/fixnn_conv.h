// Conv1D / Conv2D and DepthwiseConv1D / DepthwiseConv2D (channels last, io_parallel) with
// hls4ml's numerics. A 1-D layer is a 2-D one of height 1.
//   conv:       per output pixel, the receptive field as one row ordered (kh, kw, c), a 0 for
//               each padded tap, then the pixel is a Dense (fixnn_dense.h) of that row against
//               the (filt_h*filt_w*n_chan) x n_filt kernel: the same summation order for the
//               Latency and Resource strategies, the same casts into accum_t.
//   depthwise:  per pixel and channel c, over the taps t in order:
//               acc = accum_t(bias[c]); acc = accum_t(acc + accum_t(x_tc * w_tc)); y = res_T(acc)
// The padding before the first row and column is pad_top and pad_left (the writer computes it
// as hls4ml's converters do: 'same' puts the smaller half before, 'causal' k - 1).
#ifndef FIXNN_CONV_H_
#define FIXNN_CONV_H_

#include "fixnn_common.h"
#include "fixnn_dense.h"

namespace fixnn {

struct conv_config {
  static const unsigned in_h = 1;
  static const unsigned in_w = 1;
  static const unsigned n_chan = 1;
  static const unsigned filt_h = 1;
  static const unsigned filt_w = 1;
  static const unsigned stride_h = 1;
  static const unsigned stride_w = 1;
  static const unsigned pad_top = 0;
  static const unsigned pad_left = 0;
  static const unsigned out_h = 1;
  static const unsigned out_w = 1;
  static const unsigned n_filt = 1;
  // The Dense every pixel computes (fixnn_dense.h): n_in = filt_h * filt_w * n_chan inputs.
  static const unsigned n_in = 1;
  static const unsigned n_out = 1;
  static const unsigned n_pos = 1;
  static const unsigned reuse_factor = 1;
  static const unsigned strategy = latency;
  typedef ap_fixed<16, 6> accum_t;
  typedef ap_fixed<16, 6> weight_t;
  typedef ap_fixed<16, 6> bias_t;
  typedef plain_product product;  // or exponent_product<r_T> (fixnn_common.h)
};

// The receptive field of output pixel (oh, ow), ordered (kh, kw, c); 0 where padded.
template <class data_T, typename CONFIG_T>
void im2col_row(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                const unsigned oh, const unsigned ow,
                data_T row[CONFIG_T::filt_h * CONFIG_T::filt_w * CONFIG_T::n_chan]) {
#pragma HLS INLINE
KernelRows:
  for (unsigned kh = 0; kh < CONFIG_T::filt_h; kh++) {
#pragma HLS UNROLL
  KernelCols:
    for (unsigned kw = 0; kw < CONFIG_T::filt_w; kw++) {
#pragma HLS UNROLL
      const int ih = (int)(oh * CONFIG_T::stride_h + kh) - (int)CONFIG_T::pad_top;
      const int iw = (int)(ow * CONFIG_T::stride_w + kw) - (int)CONFIG_T::pad_left;
      const bool inside =
          ih >= 0 && ih < (int)CONFIG_T::in_h && iw >= 0 && iw < (int)CONFIG_T::in_w;
      const unsigned base = (kh * CONFIG_T::filt_w + kw) * CONFIG_T::n_chan;
    Channels:
      for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        if (inside) {
          row[base + c] = data[(ih * CONFIG_T::in_w + iw) * CONFIG_T::n_chan + c];
        } else {
          row[base + c] = 0;
        }
      }
    }
  }
}

// One output pixel of a convolution: its receptive field `row` through the Dense.
template <class data_T, class res_T, typename CONFIG_T>
void conv_pixel(const data_T row[CONFIG_T::n_in], res_T out[CONFIG_T::n_filt],
                const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
  if (CONFIG_T::strategy == latency) {
    dense_latency<data_T, res_T, CONFIG_T>(row, out, weights, biases);
  } else {
    dense_resource<data_T, res_T, CONFIG_T>(row, out, weights, biases);
  }
}

// One output pixel of a depthwise convolution: per channel over the taps of `row`.
template <class data_T, class res_T, typename CONFIG_T>
void depthwise_pixel(const data_T row[CONFIG_T::n_in], res_T out[CONFIG_T::n_chan],
                     const typename CONFIG_T::weight_t weights[CONFIG_T::n_in],
                     const typename CONFIG_T::bias_t biases[CONFIG_T::n_chan]) {
#pragma HLS INLINE
  static const unsigned taps = CONFIG_T::filt_h * CONFIG_T::filt_w;
Channels:
  for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
    typename CONFIG_T::accum_t acc = biases[c];
  Taps:
    for (unsigned t = 0; t < taps; t++) {
#pragma HLS UNROLL
      const unsigned i = t * CONFIG_T::n_chan + c;
      acc += CONFIG_T::product::template mult<typename CONFIG_T::accum_t>(row[i], weights[i]);
    }
    out[c] = (res_T)acc;
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void conv(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
          res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_filt],
          const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
          const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE recursive
OutRows:
  for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
  OutCols:
    for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
      data_T row[CONFIG_T::n_in];
#pragma HLS ARRAY_PARTITION variable = row complete
      im2col_row<data_T, CONFIG_T>(data, oh, ow, row);
      conv_pixel<data_T, res_T, CONFIG_T>(row, res + (oh * CONFIG_T::out_w + ow) * CONFIG_T::n_filt,
                                          weights, biases);
    }
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void depthwise_conv(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                    res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan],
                    const typename CONFIG_T::weight_t weights[CONFIG_T::n_in],
                    const typename CONFIG_T::bias_t biases[CONFIG_T::n_chan]) {
#pragma HLS INLINE recursive
OutRows:
  for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
  OutCols:
    for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
      data_T row[CONFIG_T::n_in];
#pragma HLS ARRAY_PARTITION variable = row complete
      im2col_row<data_T, CONFIG_T>(data, oh, ow, row);
      depthwise_pixel<data_T, res_T, CONFIG_T>(
          row, res + (oh * CONFIG_T::out_w + ow) * CONFIG_T::n_chan, weights, biases);
    }
  }
}

}  // namespace fixnn

#endif  // FIXNN_CONV_H_
