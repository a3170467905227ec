// MaxPooling / AveragePooling (1D, 2D) and GlobalMaxPooling / GlobalAveragePooling with
// hls4ml's io_parallel numerics, per output position and channel, the window's cells visited
// row-major (a 1-D layer is a 2-D one of height 1; a global pool is one window over every
// position):
//   max      m = cell 0; m = cell t > m ? cell t : m;  y = res_T(accum_t(m))
//            a padded cell holds pad_value: the input type with only its top bit set
//   average  acc = accum_t(0); acc = accum_t(acc + cell t) over the unpadded cells;
//            acc = acc / count (an ap_fixed divided by an unsigned: the quotient truncated
//            toward zero at accum_t's LSB); y = res_T(acc), count = the unpadded cells
#ifndef FIXNN_POOL_H_
#define FIXNN_POOL_H_

#include "fixnn_common.h"

namespace fixnn {

struct pool_config {
  static const unsigned in_h = 1;
  static const unsigned in_w = 1;
  static const unsigned n_chan = 1;
  static const unsigned pool_h = 1;
  static const unsigned pool_w = 1;
  static const unsigned stride_h = 1;
  static const unsigned stride_w = 1;
  static const unsigned pad_top = 0;
  static const unsigned pad_left = 0;
  static const unsigned out_h = 1;
  static const unsigned out_w = 1;
  static const bool is_max = true;
  typedef ap_fixed<16, 6> accum_t;
};

template <class data_T, class res_T, typename CONFIG_T>
void pool(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
          res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan], const data_T pad_value) {
#pragma HLS INLINE
  typedef typename CONFIG_T::accum_t accum_t;
OutRows:
  for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
  OutCols:
    for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
    Channels:
      for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        data_T m = pad_value;
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
            const data_T v =
                inside ? data[(ih * CONFIG_T::in_w + iw) * CONFIG_T::n_chan + c] : pad_value;
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
        res[(oh * CONFIG_T::out_w + ow) * CONFIG_T::n_chan + c] = (res_T)acc;
      }
    }
  }
}

}  // namespace fixnn

#endif  // FIXNN_POOL_H_
