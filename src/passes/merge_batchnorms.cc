#include "passes/merge_batchnorms.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "passes/batchnorm_constants.h"
#include "passes/fold_batchnorm.h"
#include "passes/graph_edit.h"

namespace fixnn::passes {

namespace {

bool AllEqual(const std::vector<double>& v, double x) {
  return std::all_of(v.begin(), v.end(), [x](double e) { return e == x; });
}

// What hls4ml calls a batch normalization's unquantized scale and bias, with its scale and
// bias quantizers (a BatchNorm has none).
struct Parameters {
  std::vector<double> scale, bias;
  std::optional<ir::Quantizer> scale_quantizer, bias_quantizer;
};

Result<Parameters> ParametersOf(const ir::Node& node) {
  Parameters p;
  if (node.is<ir::BatchNormAttrs>()) {
    Result<ScaleBias> sb = BatchNormScaleBias(node);
    if (!sb.ok()) return sb.error();
    p.scale = sb->scale;
    p.bias = sb->bias;
    return p;
  }
  const ir::Weight* s = node.FindWeight("scale");
  const ir::Weight* b = node.as<ir::ScaleAttrs>().use_bias ? node.FindWeight("bias") : nullptr;
  if (s == nullptr) return Error("layer '" + node.name + "': weight 'scale' is missing");
  p.scale = s->values;
  p.scale_quantizer = s->quantizer;
  if (b != nullptr) {
    p.bias = b->values;
    p.bias_quantizer = b->quantizer;
  } else {
    p.bias.assign(p.scale.size(), 0.0);
  }
  return p;
}

double Numpy(double a, double b, bool add) {
  const bool f32 = static_cast<float>(a) == a && static_cast<float>(b) == b;
  if (f32) return add ? Add32(a, b) : Mul32(a, b);
  return add ? a + b : a * b;
}

double At(const std::vector<double>& v, size_t i) { return v.size() == 1 ? v[0] : v[i]; }

// The precision node `later` gives its weight `key` after the merge: the kept quantizer's
// type, else its configured type ("auto" stays "auto").
void SetWeightPrecision(const ir::Node& later, ir::Weight& w, const std::string& key) {
  if (w.quantizer) {
    if (w.quantizer->per_element) {
      w.precision.per_element = w.quantizer->per_element;
    } else {
      w.precision.type = w.quantizer->type;
    }
    return;
  }
  if (later.is<ir::BatchNormAttrs>()) {
    auto it = later.types.find(key);
    if (it != later.types.end()) w.precision.type = it->second;
    return;
  }
  if (const ir::Weight* old = later.FindWeight(key); old != nullptr && !old->quantizer) {
    w.precision = old->precision;
  }
}

}  // namespace

Result<bool> MergeConsecutiveBatchNormsHls4ml(ir::Graph& graph) {
  for (const ir::Node& node : graph.nodes()) {
    if (!IsBatchNormLike(node) || node.inputs.size() != 1 || node.output_quantizer) continue;
    const ir::Node* prev = graph.Producer(node.inputs[0]);
    if (prev == nullptr || !IsBatchNormLike(*prev) || prev->output_quantizer ||
        prev->outputs.size() != 1 || !prev->settings.IsAuto("result")) {
      continue;
    }
    Result<Parameters> p0 = ParametersOf(*prev);
    if (!p0.ok()) return p0.error();
    Result<Parameters> p1 = ParametersOf(node);
    if (!p1.ok()) return p1.error();
    const bool s0_ones = AllEqual(p0->scale, 1.0), s1_ones = AllEqual(p1->scale, 1.0);
    const bool scale_ok = !p0->scale_quantizer || !p1->scale_quantizer || s0_ones || s1_ones;
    const bool bias_ok = !p0->bias_quantizer || !p1->bias_quantizer || AllEqual(p0->bias, 0.0) ||
                         AllEqual(p1->bias, 0.0);
    if (!scale_ok || !bias_ok) continue;
    int readers = 0;
    for (const ir::Node& n : graph.nodes()) {
      readers += static_cast<int>(std::count(n.inputs.begin(), n.inputs.end(), prev->outputs[0]));
    }
    if (readers != 1) continue;

    std::optional<ir::Quantizer> sq, bq;
    if (s0_ones) {
      sq = p1->scale_quantizer;
    } else if (s1_ones) {
      sq = p0->scale_quantizer;
    }
    if (AllEqual(p0->bias, 1.0)) {
      bq = p1->bias_quantizer;
    } else if (AllEqual(p1->bias, 1.0)) {
      bq = p0->bias_quantizer;
    }
    const size_t n = std::max(p0->scale.size(), p1->scale.size());
    ir::Weight scale, bias;
    scale.name = "scale";
    bias.name = "bias";
    scale.shape = bias.shape = {static_cast<int64_t>(n)};
    for (size_t c = 0; c < n; ++c) {
      scale.values.push_back(Numpy(At(p0->scale, c), At(p1->scale, c), false));
      bias.values.push_back(
          Numpy(Numpy(At(p1->scale, c), At(p0->bias, c), false), At(p1->bias, c), true));
    }
    scale.quantizer = sq;
    bias.quantizer = bq;
    SetWeightPrecision(node, scale, "scale");
    SetWeightPrecision(node, bias, "bias");

    const std::string prev_name = prev->name;
    const std::string prev_input = prev->inputs.empty() ? "" : prev->inputs[0];
    ir::Node& later = *graph.FindNode(node.name);
    later.attrs = ir::ScaleAttrs{true};
    later.weights = {std::move(scale), std::move(bias)};
    later.types.erase("scale");
    later.types.erase("bias");
    // A weight whose quantizer now decides its type is no longer "auto".
    auto& keys = later.settings.auto_precisions;
    for (const ir::Weight& w : later.weights) {
      if (w.quantizer) keys.erase(std::remove(keys.begin(), keys.end(), w.name), keys.end());
    }
    if (Status s = RemoveNode(graph, prev_name, prev_input); !s.ok()) return s.error();
    return true;
  }
  return false;
}

Result<int> RemoveNopBatchNormsHls4ml(ir::Graph& graph) {
  int removed = 0;
  for (bool again = true; again;) {
    again = false;
    for (const ir::Node& node : graph.nodes()) {
      if (!IsBatchNormLike(node) || node.inputs.size() != 1 || node.outputs.size() != 1) continue;
      Result<Parameters> p = ParametersOf(node);
      if (!p.ok()) return p.error();
      if (!AllEqual(p->scale, 1.0) || !AllEqual(p->bias, 0.0)) continue;
      const std::string name = node.name, input = node.inputs[0];
      if (Status s = RemoveNode(graph, name, input); !s.ok()) return s.error();
      ++removed;
      again = true;
      break;
    }
  }
  return removed;
}

}  // namespace fixnn::passes
