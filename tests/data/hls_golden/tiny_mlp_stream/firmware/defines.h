// Sizes of the top function's ports and every type of the project.
#ifndef DEFINES_H_
#define DEFINES_H_

#include "ap_fixed.h"
#include "ap_int.h"

#include "fixnn/fixnn_stream.h"

#define N_INPUT1 3  // input 'x'
#define N_OUTPUT1 2  // output 'sm'

typedef ap_fixed<10,4> input1_t;
typedef ap_fixed<18,8> layer2_accum_t;
typedef ap_fixed<8,3> layer2_weight_t;
typedef ap_fixed<8,3> layer2_bias_t;
typedef ap_fixed<16,6> layer2_t;
typedef ap_fixed<10,2> layer3_table_t;
typedef ap_ufixed<8,0> layer3_t;
typedef ap_fixed<10,3,AP_RND,AP_SAT> layer4_accum_t;
typedef ap_fixed<6,2> layer4_weight_t;
typedef ap_uint<1> layer4_bias_t;
typedef ap_fixed<12,4> layer4_t;
typedef ap_fixed<18,8,AP_RND,AP_SAT> layer5_exp_table_t;
typedef ap_fixed<18,8,AP_RND,AP_SAT> layer5_inv_table_t;
typedef ap_fixed<18,8,AP_RND,AP_SAT> layer5_accum_t;
typedef ap_fixed<18,8,AP_RND,AP_SAT> layer5_inv_inp_t;
typedef ap_ufixed<11,3> layer5_inp_norm_t;
typedef ap_ufixed<10,0,AP_RND,AP_SAT> layer5_t;
typedef ap_ufixed<10,0,AP_RND,AP_SAT> result1_t;

#endif  // DEFINES_H_
