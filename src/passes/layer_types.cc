#include "passes/layer_types.h"

#include "config/layer_classes.h"

namespace fixnn::passes {

using fixed::FixedType;

namespace {

const FixedType kTable = FixedType::Fixed(18, 8);
const FixedType kSoftmaxTable =
    FixedType::Fixed(18, 8, fixed::Rounding::kRnd, fixed::Overflow::kSat);

std::vector<InternalType> ActivationTypes(const ir::ActivationAttrs& a) {
  std::vector<InternalType> out = {{"table", kTable}};
  switch (a.fn) {
    case ir::ActivationFn::kSoftmax:
      out.push_back({"exp_table", kSoftmaxTable});
      out.push_back({"inv_table", kSoftmaxTable});
      out.push_back({"inv_inp", kSoftmaxTable});
      out.push_back({"accum", std::nullopt});
      break;
    case ir::ActivationFn::kLeakyReLU:
    case ir::ActivationFn::kELU:
    case ir::ActivationFn::kThresholdedReLU:
      out.push_back({"param", std::nullopt});
      break;
    case ir::ActivationFn::kReLU:
      // A Keras 3 ReLU with a negative slope is hls4ml's LeakyReLU, with the slope in param_t.
      if (a.alpha != 0.0) out.push_back({"param", std::nullopt});
      break;
    case ir::ActivationFn::kHardSigmoid:
      out.push_back({"slope", FixedType::UFixed(16, 0)});
      out.push_back({"shift", FixedType::UFixed(2, 0)});
      break;
    default:
      break;
  }
  return out;
}

bool HasRecurrentBias(ir::RecurrentCell cell) { return cell != ir::RecurrentCell::kSimpleRNN; }

}  // namespace

std::vector<InternalType> InternalTypes(const ir::Node& node) {
  switch (node.kind()) {
    case ir::OpKind::kDense:
    case ir::OpKind::kConv:
    case ir::OpKind::kDepthwiseConv:
    case ir::OpKind::kPool:
    case ir::OpKind::kGlobalPool:
    case ir::OpKind::kDot:
      return {{"accum", std::nullopt}};
    case ir::OpKind::kSeparableConv:
      return {{"depthwise_accum", std::nullopt},
              {"depthwise_result", std::nullopt},
              {"pointwise_accum", std::nullopt}};
    case ir::OpKind::kBatchNorm:
      return {{"scale", std::nullopt}, {"bias", std::nullopt}};
    case ir::OpKind::kActivation:
      return ActivationTypes(node.as<ir::ActivationAttrs>());
    case ir::OpKind::kPReLU:
      return {{"table", kTable}};
    case ir::OpKind::kQuantize:
      if (config::Hls4mlClassName(node) == "Activation") return {{"table", kTable}};
      return {};
    case ir::OpKind::kRecurrent: {
      std::vector<InternalType> out = {
          {"accum", std::nullopt}, {"table", kTable}, {"state", std::nullopt}};
      if (HasRecurrentBias(node.as<ir::RecurrentAttrs>().cell)) {
        out.push_back({"recurrent_bias", std::nullopt});
      }
      return out;
    }
    case ir::OpKind::kBidirectional: {
      const auto& a = node.as<ir::BidirectionalAttrs>();
      std::vector<InternalType> out = {
          {"accum", std::nullopt}, {"table", kTable}, {"state", std::nullopt}};
      if (HasRecurrentBias(a.forward.cell)) {
        out.push_back({"forward_recurrent_bias", std::nullopt});
      }
      if (HasRecurrentBias(a.backward.cell)) {
        out.push_back({"backward_recurrent_bias", std::nullopt});
      }
      return out;
    }
    default:
      return {};
  }
}

bool IsStoredWeight(const ir::Node& node, const ir::Weight&) {
  return node.kind() != ir::OpKind::kBatchNorm;
}

}  // namespace fixnn::passes
