// The top function of the HLS project 'tiny'.
#ifndef TINY_H_
#define TINY_H_

#include "ap_fixed.h"
#include "ap_int.h"

#include "defines.h"

void tiny(input1_t input1[N_INPUT1], result1_t out1[N_OUTPUT1]);

#ifndef __SYNTHESIS__
// C simulation: reads the weights kept in .txt files (dir: their folder; NULL: firmware/weights
// or weights, whichever holds them). Call it once before tiny; false when a file is missing.
bool tiny_load_weights(const char* dir);
#endif

#endif  // TINY_H_
