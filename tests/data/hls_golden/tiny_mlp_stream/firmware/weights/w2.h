// layer 'fc1': kernel [3, 2], weight i of output j at [i * 2 + j]
#ifndef WEIGHTS_W2_H_
#define WEIGHTS_W2_H_

#ifndef __SYNTHESIS__
// C simulation reads w2.txt (the top function's _load_weights).
layer2_weight_t w2[6];
#else
layer2_weight_t w2[6] = {
    0.5, -0.25, 1, 0.125, -1.5, 0.75};
#endif

#endif  // WEIGHTS_W2_H_
