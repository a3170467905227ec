// layer 'sm': softmax exp table, 8 entries
#ifndef WEIGHTS_EXP_TABLE5_H_
#define WEIGHTS_EXP_TABLE5_H_

#ifndef __SYNTHESIS__
// C simulation reads exp_table5.txt (the top function's _load_weights).
layer5_exp_table_t exp_table5[8];
#else
layer5_exp_table_t exp_table5[8] = {
    1, 0.3681640625, 0.1357421875, 0.0498046875, 0.0185546875, 0.0068359375, 0.0029296875, 0.0009765625};
#endif

#endif  // WEIGHTS_EXP_TABLE5_H_
