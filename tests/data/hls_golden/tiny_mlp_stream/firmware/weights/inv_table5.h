// layer 'sm': softmax inverse table, 8 entries
#ifndef WEIGHTS_INV_TABLE5_H_
#define WEIGHTS_INV_TABLE5_H_

#ifndef __SYNTHESIS__
// C simulation reads inv_table5.txt (the top function's _load_weights).
layer5_inv_table_t inv_table5[8];
#else
layer5_inv_table_t inv_table5[8] = {
    127.9990234375, 0.03125, 0.015625, 0.0107421875, -0.0078125, -0.0107421875, -0.015625, -0.03125};
#endif

#endif  // WEIGHTS_INV_TABLE5_H_
