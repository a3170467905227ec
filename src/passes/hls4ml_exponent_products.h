// hls4ml's product for a QKeras quantized_po2 weight: hls4ml stores such a weight as a sign
// and an exponent (an ExponentPrecisionType, model/quantizers.py QKerasPO2Quantizer) and its
// backend multiplies with nnet::product::weight_exponential (backends/fpga/fpga_backend.py,
// product_type), a shift inside ap_fixed<2(B+W), B+W> that can drop the product's low bits.
// It does so for every layer whose product config names the weight: Dense, Conv, DepthwiseConv
// and both stages of SeparableConv. fixnn's own choice multiplies exactly.
// ConfigureOptions::Hls4ml() runs this after the restructuring passes.
#pragma once

#include "ir/graph.h"

namespace fixnn::passes {

// Sets LayerSettings::exponent_products on every Dense, Conv, DepthwiseConv and SeparableConv
// with a quantized_po2 (not quantized_relu_po2) kernel. Returns how many nodes it marked.
int MarkHls4mlExponentProducts(ir::Graph& graph);

}  // namespace fixnn::passes
