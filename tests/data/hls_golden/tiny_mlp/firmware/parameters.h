// Every layer's configuration: sizes, settings and internal types.
#ifndef PARAMETERS_H_
#define PARAMETERS_H_

#include "defines.h"
#include "fixnn/fixnn_common.h"
#include "fixnn/fixnn_activation.h"
#include "fixnn/fixnn_dense.h"
#include "fixnn/fixnn_softmax.h"

// layer 'fc1' (Dense)
struct config2 : fixnn::dense_config {
  static const unsigned n_in = 3;
  static const unsigned n_out = 2;
  static const unsigned n_pos = 1;
  static const unsigned reuse_factor = 1;
  static const unsigned strategy = fixnn::latency;
  typedef layer2_accum_t accum_t;
  typedef layer2_weight_t weight_t;
  typedef layer2_bias_t bias_t;
  typedef fixnn::plain_product product;
};

// layer 'sig' (Activation)
struct config3 : fixnn::activ_config {
  static const unsigned n_in = 2;
  static const unsigned table_size = 16;
  static const int table_range = 16;
  typedef layer3_table_t table_t;
};

// layer 'fc2' (Dense)
struct config4 : fixnn::dense_config {
  static const unsigned n_in = 2;
  static const unsigned n_out = 2;
  static const unsigned n_pos = 1;
  static const unsigned reuse_factor = 2;
  static const unsigned strategy = fixnn::resource;
  typedef layer4_accum_t accum_t;
  typedef layer4_weight_t weight_t;
  typedef layer4_bias_t bias_t;
  typedef fixnn::plain_product product;
};

// layer 'sm' (Activation)
struct config5 : fixnn::softmax_config {
  static const unsigned n_slice = 2;
  static const unsigned n_outer = 1;
  static const unsigned n_inner = 1;
  static const unsigned implementation = fixnn::softmax_stable;
  static const unsigned exp_table_size = 8;
  static const unsigned inv_table_size = 8;
  static const int exp_bits = 3;
  static const int inv_bits = 3;
  typedef layer5_exp_table_t exp_table_t;
  typedef layer5_inv_table_t inv_table_t;
  typedef layer5_accum_t accum_t;
  typedef layer5_inv_inp_t inv_inp_t;
  typedef layer5_inp_norm_t inp_norm_t;
};

#endif  // PARAMETERS_H_
