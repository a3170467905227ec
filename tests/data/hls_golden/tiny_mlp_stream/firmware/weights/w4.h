// layer 'fc2': kernel [2, 2], weight i of output j at [i * 2 + j]
#ifndef WEIGHTS_W4_H_
#define WEIGHTS_W4_H_

static const layer4_weight_t w4[4] = {
    1, -1, 0.5, 0.375};

#endif  // WEIGHTS_W4_H_
