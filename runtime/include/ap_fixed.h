// fixnn's implementation of the ap_fixed / ap_ufixed types used by HLS C++
// code. Source written against the vendor's ap_fixed.h compiles unchanged
// against this header (and the other way round) and computes the same bits.
#ifndef FIXNN_RUNTIME_AP_FIXED_H_
#define FIXNN_RUNTIME_AP_FIXED_H_

#include "fixnn_ap/all.h"

#endif  // FIXNN_RUNTIME_AP_FIXED_H_
