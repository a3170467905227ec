// hls4ml's type for a QKeras quantized_bits weight: ap_fixed<bits, integer + 1> whatever
// keep_negative says (model/quantizers.py, QKerasQuantizer._get_type). For keep_negative=False
// that signed type has one fraction bit fewer than the quantizer's values, so hls4ml stores
// them truncated; fixnn's own choice keeps the quantizer's exact ap_ufixed<bits, integer>.
// ConfigureOptions::Hls4ml() runs this after ApplyConfig.
#pragma once

#include "ir/graph.h"

namespace fixnn::passes {

// Gives every stored weight held in its keep_negative=False quantized_bits quantizer's type
// hls4ml's signed type instead. Returns how many weights changed.
int UseHls4mlQuantizedBitsTypes(ir::Graph& graph);

}  // namespace fixnn::passes
