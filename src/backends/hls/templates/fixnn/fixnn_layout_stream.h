// ZeroPadding, Cropping and UpSampling (nearest; 1-D, 2-D) in io_stream.
// Padding and cropping take fixnn_layout.h's window_config: output pixel (oh, ow) is input pixel
// (oh + off_h, ow + off_w), 0 outside the input. Padding (offsets <= 0) walks the output,
// reading a packet for each pixel inside the input; cropping (offsets >= 0) walks the input,
// writing the pixels inside the output. Values are cast into res_T as io_parallel casts them.
// Upsampling keeps the input row that output row oh copies (upsample_nearest's index
// formula; the writer passes a 1-D layer as a column, so that the row is one pixel).
#ifndef FIXNN_LAYOUT_STREAM_H_
#define FIXNN_LAYOUT_STREAM_H_

#include "fixnn_layout.h"
#include "fixnn_stream.h"

namespace fixnn {

template <class data_T, class res_T, typename CONFIG_T>
void pad_stream(hls::stream<packet<data_T, CONFIG_T::n_chan> >& data,
                hls::stream<packet<res_T, CONFIG_T::n_chan> >& res) {
OutRows:
  for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
  OutCols:
    for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
#pragma HLS PIPELINE
      const int ih = (int)oh + CONFIG_T::off_h;
      const int iw = (int)ow + CONFIG_T::off_w;
      const bool inside =
          ih >= 0 && ih < (int)CONFIG_T::in_h && iw >= 0 && iw < (int)CONFIG_T::in_w;
      packet<res_T, CONFIG_T::n_chan> out;
      if (inside) {
        const packet<data_T, CONFIG_T::n_chan> in = data.read();
      CopyChannels:
        for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
          out[c] = (res_T)in[c];
        }
      } else {
      ZeroChannels:
        for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
          out[c] = 0;
        }
      }
      res.write(out);
    }
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void crop_stream(hls::stream<packet<data_T, CONFIG_T::n_chan> >& data,
                 hls::stream<packet<res_T, CONFIG_T::n_chan> >& res) {
InRows:
  for (unsigned ih = 0; ih < CONFIG_T::in_h; ih++) {
  InCols:
    for (unsigned iw = 0; iw < CONFIG_T::in_w; iw++) {
#pragma HLS PIPELINE
      const packet<data_T, CONFIG_T::n_chan> in = data.read();
      const int oh = (int)ih - CONFIG_T::off_h;
      const int ow = (int)iw - CONFIG_T::off_w;
      if (oh >= 0 && oh < (int)CONFIG_T::out_h && ow >= 0 && ow < (int)CONFIG_T::out_w) {
        packet<res_T, CONFIG_T::n_chan> out;
      CopyChannels:
        for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
          out[c] = (res_T)in[c];
        }
        res.write(out);
      }
    }
  }
}

// Reads one input row (in_w packets) into row.
template <class data_T, typename CONFIG_T>
void read_row(hls::stream<packet<data_T, CONFIG_T::n_chan> >& data,
              data_T row[CONFIG_T::in_w * CONFIG_T::n_chan]) {
#pragma HLS INLINE
ReadPixels:
  for (unsigned iw = 0; iw < CONFIG_T::in_w; iw++) {
#pragma HLS PIPELINE
    const packet<data_T, CONFIG_T::n_chan> pk = data.read();
  ReadChannels:
    for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
      row[iw * CONFIG_T::n_chan + c] = pk[c];
    }
  }
}

template <class data_T, typename CONFIG_T>
void upsample_stream(hls::stream<packet<data_T, CONFIG_T::n_chan> >& data,
                     hls::stream<packet<data_T, CONFIG_T::n_chan> >& res) {
  static const unsigned long ratio_h = (CONFIG_T::in_h << 16) / CONFIG_T::out_h + 1;
  static const unsigned long ratio_w = (CONFIG_T::in_w << 16) / CONFIG_T::out_w + 1;
  data_T row[CONFIG_T::in_w * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable = row complete
  int loaded = -1;  // the input row in `row`
OutRows:
  for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
    const int ih = (int)((oh * ratio_h) >> 16);
  LoadRows:
    for (unsigned k = 0; k < CONFIG_T::in_h; k++) {
      if (loaded >= ih) break;
      read_row<data_T, CONFIG_T>(data, row);
      loaded++;
    }
  OutCols:
    for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
#pragma HLS PIPELINE
      const unsigned iw = (unsigned)((ow * ratio_w) >> 16);
      packet<data_T, CONFIG_T::n_chan> out;
    CopyChannels:
      for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        out[c] = row[iw * CONFIG_T::n_chan + c];
      }
      res.write(out);
    }
  }
  // Input rows no output row copies.
DrainRows:
  for (unsigned k = 0; k < CONFIG_T::in_h; k++) {
    if (loaded >= (int)CONFIG_T::in_h - 1) break;
    read_row<data_T, CONFIG_T>(data, row);
    loaded++;
  }
}

}  // namespace fixnn

#endif  // FIXNN_LAYOUT_STREAM_H_
