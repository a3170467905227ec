// The top function of the HLS project 'tiny'.
#ifndef TINY_H_
#define TINY_H_

#include "ap_fixed.h"
#include "ap_int.h"

#include "defines.h"

void tiny(hls::stream<fixnn::packet<input1_t, 3> >& input1, hls::stream<fixnn::packet<result1_t, 2> >& out1);

#ifndef __SYNTHESIS__
// C simulation: reads the weights kept in .txt files (dir: their folder; NULL: firmware/weights
// or weights, whichever holds them). Call it once before tiny; false when a file is missing.
bool tiny_load_weights(const char* dir);
#endif

#endif  // TINY_H_
