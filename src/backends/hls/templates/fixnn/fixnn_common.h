// Shared pieces of fixnn's HLS layer templates: the config bases every layer's parameters
// derive from, and small helpers. Synthesizable C++ (static arrays, constant loop bounds).
#ifndef FIXNN_COMMON_H_
#define FIXNN_COMMON_H_

#include "ap_fixed.h"
#include "ap_int.h"

namespace fixnn {

enum strategy { latency, resource };

// A layer's output copied into a port of the same type (no cast).
template <class T, int N>
void copy_out(const T src[N], T dst[N]) {
  for (int i = 0; i < N; i++) {
#pragma HLS UNROLL
    dst[i] = src[i];
  }
}

}  // namespace fixnn

#endif  // FIXNN_COMMON_H_
