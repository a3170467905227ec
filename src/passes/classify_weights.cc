#include "passes/classify_weights.h"

#include <fmt/format.h>

#include <bit>

#include "passes/weight_values.h"

namespace fixnn::passes {

namespace {

bool Multiplies(const ir::Node& node) {
  switch (node.kind()) {
    case ir::OpKind::kDense:
    case ir::OpKind::kConv:
    case ir::OpKind::kDepthwiseConv:
    case ir::OpKind::kSeparableConv:
    case ir::OpKind::kRecurrent:
    case ir::OpKind::kBidirectional:
      return true;
    default:
      return false;
  }
}

// |m| is a power of two (m nonzero): exactly one bit set in the magnitude.
bool PowerOfTwo(const fixed::WideInt& m) {
  const fixed::WideInt magnitude = m.IsNegative() ? -m : m;
  int bits = 0;
  for (int i = 0; i < fixed::WideInt::kLimbs; ++i) bits += std::popcount(magnitude.Limb(i));
  return bits == 1;
}

}  // namespace

Status ClassifyWeights(ir::Graph& graph) {
  for (ir::Node& node : graph.nodes()) {
    node.weight_classes.clear();
    if (!Multiplies(node)) continue;
    for (const ir::Weight& w : node.weights) {
      Result<StoredValues> values = StoredWeightValues(w);
      if (!values.ok()) {
        return Error(fmt::format("layer '{}': {}", node.name, values.error().message()));
      }
      ir::WeightClassCounts counts;
      counts.weight = w.name;
      counts.total = static_cast<int64_t>(values->mantissas.size());
      for (const fixed::WideInt& m : values->mantissas) {
        if (m.IsZero()) {
          ++counts.zeros;
        } else if (PowerOfTwo(m)) {
          ++counts.powers_of_two;
        }
      }
      node.weight_classes.push_back(std::move(counts));
    }
  }
  return Status::Ok();
}

}  // namespace fixnn::passes
