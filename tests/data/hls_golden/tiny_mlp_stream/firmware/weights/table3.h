// layer 'sig': activation table, 16 entries in ap_fixed<10,2>
#ifndef WEIGHTS_TABLE3_H_
#define WEIGHTS_TABLE3_H_

#ifndef __SYNTHESIS__
// C simulation reads table3.txt (the top function's _load_weights).
layer3_table_t table3[16];
#else
layer3_table_t table3[16] = {
    0, 0, 0, 0.00390625, 0.015625, 0.046875, 0.1171875, 0.265625,
    0.5, 0.73046875, 0.87890625, 0.94921875, 0.98046875, 0.9921875, 0.99609375, 0.99609375};
#endif

#endif  // WEIGHTS_TABLE3_H_
