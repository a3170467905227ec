// The top function of the HLS project 'tiny': the model's layers in order, io_stream.
#include "tiny.h"

#include "parameters.h"

#include "weights/w2.h"
#include "weights/b2.h"
#include "weights/table3.h"
#include "weights/w4.h"
#include "weights/b4.h"
#include "weights/exp_table5.h"
#include "weights/inv_table5.h"

#ifndef __SYNTHESIS__
#include "fixnn/fixnn_weights.h"

bool tiny_load_weights(const char* dir) {
  static bool loaded = false;
  if (loaded) return true;
  bool ok = true;
  const std::string d = dir != NULL ? dir : fixnn::default_weights_dir("w2.txt");
  ok = ok && fixnn::load_weights_from_txt(w2, 6, d, "w2.txt");
  ok = ok && fixnn::load_weights_from_txt(table3, 16, d, "table3.txt");
  ok = ok && fixnn::load_weights_from_txt(exp_table5, 8, d, "exp_table5.txt");
  ok = ok && fixnn::load_weights_from_txt(inv_table5, 8, d, "inv_table5.txt");
  loaded = ok;
  return ok;
}
#endif

// layer 'fc1' (Dense)
static void layer2(hls::stream<fixnn::packet<input1_t, 3> >& in0, hls::stream<fixnn::packet<layer2_t, 2> >& out) {
#pragma HLS INLINE off
  fixnn::dense_stream<input1_t, layer2_t, config2>(in0, out, w2, b2);
}

// layer 'sig' (Activation)
static void layer3(hls::stream<fixnn::packet<layer2_t, 2> >& in0, hls::stream<fixnn::packet<layer3_t, 2> >& out) {
#pragma HLS INLINE off
Positions:
  for (unsigned p = 0; p < 1; p++) {
#pragma HLS PIPELINE
  layer2_t layer2_out[2];
#pragma HLS ARRAY_PARTITION variable = layer2_out complete dim = 0
  fixnn::read_tensor<layer2_t, 1, 2>(in0, layer2_out);
  layer3_t layer3_out[2];
#pragma HLS ARRAY_PARTITION variable = layer3_out complete dim = 0
  fixnn::table_activation<layer2_t, layer3_t, config3>(layer2_out, table3, layer3_out);
  fixnn::write_tensor<layer3_t, 1, 2>(layer3_out, out);
  }
}

// layer 'fc2' (Dense)
static void layer4(hls::stream<fixnn::packet<layer3_t, 2> >& in0, hls::stream<fixnn::packet<layer4_t, 2> >& out) {
#pragma HLS INLINE off
  fixnn::dense_stream<layer3_t, layer4_t, config4>(in0, out, w4, b4);
}

// layer 'sm' (Activation)
static void layer5(hls::stream<fixnn::packet<layer4_t, 2> >& in0, hls::stream<fixnn::packet<layer5_t, 2> >& out) {
#pragma HLS INLINE off
Positions:
  for (unsigned p = 0; p < 1; p++) {
#pragma HLS PIPELINE
  layer4_t layer4_out[2];
#pragma HLS ARRAY_PARTITION variable = layer4_out complete dim = 0
  fixnn::read_tensor<layer4_t, 1, 2>(in0, layer4_out);
  layer5_t layer5_out[2];
#pragma HLS ARRAY_PARTITION variable = layer5_out complete dim = 0
  fixnn::softmax<layer4_t, layer5_t, config5>(layer4_out, layer5_out, exp_table5, inv_table5);
  fixnn::write_tensor<layer5_t, 1, 2>(layer5_out, out);
  }
}

void tiny(hls::stream<fixnn::packet<input1_t, 3> >& input1, hls::stream<fixnn::packet<result1_t, 2> >& out1) {
#pragma HLS INTERFACE axis port = input1, out1
#pragma HLS DATAFLOW

  hls::stream<fixnn::packet<layer2_t, 2> > layer2_out_s("layer2_out_s");
#pragma HLS STREAM variable = layer2_out_s depth = 1
  layer2(input1, layer2_out_s);
  hls::stream<fixnn::packet<layer3_t, 2> > layer3_out_s("layer3_out_s");
#pragma HLS STREAM variable = layer3_out_s depth = 1
  layer3(layer2_out_s, layer3_out_s);
  hls::stream<fixnn::packet<layer4_t, 2> > layer4_out_s("layer4_out_s");
#pragma HLS STREAM variable = layer4_out_s depth = 1
  layer4(layer3_out_s, layer4_out_s);
  hls::stream<fixnn::packet<layer5_t, 2> > layer5_out_s("layer5_out_s");
#pragma HLS STREAM variable = layer5_out_s depth = 1
  layer5(layer4_out_s, layer5_out_s);
  fixnn::copy_stream<layer5_t, 1, 2>(layer5_out_s, out1);
}
