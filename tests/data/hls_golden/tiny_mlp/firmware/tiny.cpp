// The top function of the HLS project 'tiny': the model's layers in order, io_parallel.
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

void tiny(input1_t input1[N_INPUT1], result1_t out1[N_OUTPUT1]) {
#pragma HLS ARRAY_RESHAPE variable = input1 complete dim = 0
#pragma HLS ARRAY_PARTITION variable = out1 complete dim = 0
#pragma HLS INTERFACE ap_vld port = input1, out1
#pragma HLS PIPELINE

  layer2_t layer2_out[2];
#pragma HLS ARRAY_PARTITION variable = layer2_out complete dim = 0
  fixnn::dense<input1_t, layer2_t, config2>(input1, layer2_out, w2, b2);
  layer3_t layer3_out[2];
#pragma HLS ARRAY_PARTITION variable = layer3_out complete dim = 0
  fixnn::table_activation<layer2_t, layer3_t, config3>(layer2_out, table3, layer3_out);
  layer4_t layer4_out[2];
#pragma HLS ARRAY_PARTITION variable = layer4_out complete dim = 0
  fixnn::dense<layer3_t, layer4_t, config4>(layer3_out, layer4_out, w4, b4);
  layer5_t layer5_out[2];
#pragma HLS ARRAY_PARTITION variable = layer5_out complete dim = 0
  fixnn::softmax<layer4_t, layer5_t, config5>(layer4_out, layer5_out, exp_table5, inv_table5);

  fixnn::copy_out<result1_t, N_OUTPUT1>(layer5_out, out1);
}
