// fixnn's implementation of the ap_int / ap_uint types used by HLS C++ code.
// Source written against the vendor's ap_int.h compiles unchanged against
// this header (and the other way round) and computes the same bits.
#ifndef FIXNN_RUNTIME_AP_INT_H_
#define FIXNN_RUNTIME_AP_INT_H_

#include "fixnn_ap/all.h"

#endif  // FIXNN_RUNTIME_AP_INT_H_
