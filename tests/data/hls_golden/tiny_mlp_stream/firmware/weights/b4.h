// layer 'fc2': no bias (zeros)
#ifndef WEIGHTS_B4_H_
#define WEIGHTS_B4_H_

static const layer4_bias_t b4[2] = {
    0, 0};

#endif  // WEIGHTS_B4_H_
