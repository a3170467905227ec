// layer 'fc1': bias [2]
#ifndef WEIGHTS_B2_H_
#define WEIGHTS_B2_H_

static const layer2_bias_t b2[2] = {
    0.25, -0.5};

#endif  // WEIGHTS_B2_H_
