// Layers that move values without arithmetic, with hls4ml's io_parallel numerics; each output
// element is a zero or one input element (cast into res_T, but for UpSampling, whose output
// type is its input type):
//   transpose   Permute of a tensor of rank <= 3 (shorter ranks padded with leading axes of 1):
//               output (o0, o1, o2) reads the input at o0 * s0 + o1 * s1 + o2 * s2
//   window      ZeroPadding and Cropping (1D: height 1): output (oh, ow, c) reads input
//               (oh + off_h, ow + off_w, c) (negative offsets pad, positive ones crop), 0 outside
//   upsample    nearest neighbour: output row i reads input row (i * r) >> 16 with
//               r = (in_h << 16) / out_h + 1 (hls4ml's integer arithmetic), likewise the column
#ifndef FIXNN_LAYOUT_H_
#define FIXNN_LAYOUT_H_

#include "fixnn_common.h"

namespace fixnn {

struct transpose_config {
  static const unsigned d0 = 1, d1 = 1, d2 = 1;  // the output's shape
  static const unsigned s0 = 1, s1 = 1, s2 = 1;  // the input stride of each output axis
};

template <class data_T, class res_T, typename CONFIG_T>
void transpose(const data_T data[CONFIG_T::d0 * CONFIG_T::d1 * CONFIG_T::d2],
               res_T res[CONFIG_T::d0 * CONFIG_T::d1 * CONFIG_T::d2]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::d0; i++) {
#pragma HLS UNROLL
    for (unsigned j = 0; j < CONFIG_T::d1; j++) {
#pragma HLS UNROLL
      for (unsigned k = 0; k < CONFIG_T::d2; k++) {
#pragma HLS UNROLL
        res[(i * CONFIG_T::d1 + j) * CONFIG_T::d2 + k] =
            (res_T)data[i * CONFIG_T::s0 + j * CONFIG_T::s1 + k * CONFIG_T::s2];
      }
    }
  }
}

struct window_config {
  static const unsigned in_h = 1, in_w = 1, n_chan = 1;
  static const unsigned out_h = 1, out_w = 1;
  static const int off_h = 0, off_w = 0;
};

template <class data_T, class res_T, typename CONFIG_T>
void window(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
            res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
#pragma HLS INLINE
  for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
#pragma HLS UNROLL
    for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
#pragma HLS UNROLL
      const int ih = (int)oh + CONFIG_T::off_h;
      const int iw = (int)ow + CONFIG_T::off_w;
      const bool inside =
          ih >= 0 && ih < (int)CONFIG_T::in_h && iw >= 0 && iw < (int)CONFIG_T::in_w;
      for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        const unsigned o = (oh * CONFIG_T::out_w + ow) * CONFIG_T::n_chan + c;
        if (inside) {
          res[o] = (res_T)data[(ih * CONFIG_T::in_w + iw) * CONFIG_T::n_chan + c];
        } else {
          res[o] = 0;
        }
      }
    }
  }
}

struct upsample_config {
  static const unsigned in_h = 1, in_w = 1, n_chan = 1;
  static const unsigned out_h = 1, out_w = 1;
};

template <class data_T, typename CONFIG_T>
void upsample_nearest(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                      data_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
#pragma HLS INLINE
  static const unsigned long ratio_h = (CONFIG_T::in_h << 16) / CONFIG_T::out_h + 1;
  static const unsigned long ratio_w = (CONFIG_T::in_w << 16) / CONFIG_T::out_w + 1;
  for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
#pragma HLS UNROLL
    const unsigned ih = (unsigned)((oh * ratio_h) >> 16);
    for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
#pragma HLS UNROLL
      const unsigned iw = (unsigned)((ow * ratio_w) >> 16);
      for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        res[(oh * CONFIG_T::out_w + ow) * CONFIG_T::n_chan + c] =
            data[(ih * CONFIG_T::in_w + iw) * CONFIG_T::n_chan + c];
      }
    }
  }
}

}  // namespace fixnn

#endif  // FIXNN_LAYOUT_H_
