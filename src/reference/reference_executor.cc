#include "reference/reference_executor.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <utility>
#include <variant>

#include "ir/quantizer.h"
#include "ir/shape_inference.h"
#include "reference/kernels.h"

namespace fixnn::reference {

Error KernelArgs::Fail(const std::string& what) const {
  return Error(fmt::format("layer '{}': {}", node->name, what));
}

size_t KerasAxis(int64_t axis, size_t rank) {
  int64_t a = axis < 0 ? static_cast<int64_t>(rank) + axis : axis - 1;
  assert(a >= 0 && a < static_cast<int64_t>(rank));
  return static_cast<size_t>(a);
}

std::vector<int64_t> Strides(const ir::Shape& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) s[i - 1] = s[i] * shape[i];
  return s;
}

int64_t PadBefore(ir::Padding padding, int64_t n, int64_t out, int64_t span, int64_t stride) {
  switch (padding) {
    case ir::Padding::kValid:
      return 0;
    case ir::Padding::kSame:
      return std::max<int64_t>((out - 1) * stride + span - n, 0) / 2;
    case ir::Padding::kCausal:
      return span - 1;
  }
  return 0;
}

Result<ReferenceExecutor> ReferenceExecutor::Create(const ir::Graph& graph) {
  auto copy = std::make_shared<ir::Graph>(graph);
  if (Status s = copy->Validate(); !s.ok()) return s.error();
  if (Status s = ir::InferShapes(*copy); !s.ok()) return s.error();
  for (ir::Node& node : copy->nodes()) {
    for (ir::Weight& w : node.weights) {
      if (w.quantizer) ir::ApplyQuantizer(*w.quantizer, w.values);
    }
  }
  return ReferenceExecutor(std::move(copy));
}

Result<int64_t> CheckBatches(const ir::Graph& g, const std::vector<Batch>& inputs) {
  if (inputs.size() != g.inputs().size()) {
    return Error(
        fmt::format("the model takes {} input(s), got {}", g.inputs().size(), inputs.size()));
  }
  int64_t samples = -1;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ir::Shape& want = g.FindTensor(g.inputs()[i])->shape;
    const Batch& b = inputs[i];
    bool match = b.shape.size() == want.size() + 1 &&
                 std::equal(want.begin(), want.end(), b.shape.begin() + 1) &&
                 static_cast<int64_t>(b.values.size()) == ir::NumElements(b.shape);
    if (!match) {
      return Error(fmt::format("input '{}': got shape {} with {} values, expected [N, {}]",
                               g.inputs()[i], ir::ToString(b.shape), b.values.size(),
                               fmt::join(want, ", ")));
    }
    if (samples >= 0 && b.shape[0] != samples) {
      return Error(fmt::format("input '{}' has {} samples, the first input has {}", g.inputs()[i],
                               b.shape[0], samples));
    }
    samples = b.shape[0];
  }
  return samples < 0 ? 0 : samples;
}

Result<std::vector<Batch>> ReferenceExecutor::Run(const std::vector<Batch>& inputs,
                                                  TraceSink* trace) const {
  const ir::Graph& g = *graph_;
  Result<int64_t> checked = CheckBatches(g, inputs);
  if (!checked.ok()) return checked.error();
  const int64_t samples = *checked;

  // One buffer per tensor, allocated once for the run.
  std::map<std::string, std::vector<double>> buffers;
  for (const ir::Node& node : g.nodes()) {
    for (const std::string& out : node.outputs) {
      buffers[out].assign(ir::NumElements(g.FindTensor(out)->shape), 0.0);
    }
  }
  std::vector<std::vector<double>> scratch(g.nodes().size());
  std::vector<KernelArgs> args;
  for (size_t n = 0; n < g.nodes().size(); ++n) {
    const ir::Node& node = g.nodes()[n];
    KernelArgs a{&node, {}, {}, &scratch[n]};
    for (const std::string& in : node.inputs) {
      a.in.push_back({&g.FindTensor(in)->shape, buffers[in]});
    }
    for (const std::string& out : node.outputs) {
      a.out.push_back({&g.FindTensor(out)->shape, buffers[out]});
    }
    args.push_back(std::move(a));
  }

  std::vector<Batch> results;
  for (const std::string& out : g.outputs()) {
    Batch b;
    b.shape = g.FindTensor(out)->shape;
    b.shape.insert(b.shape.begin(), samples);
    b.values.resize(ir::NumElements(b.shape));
    results.push_back(std::move(b));
  }

  std::vector<std::span<const double>> traced;
  for (int64_t s = 0; s < samples; ++s) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::vector<double>& buf = buffers[g.inputs()[i]];
      auto first = inputs[i].values.begin() + s * static_cast<int64_t>(buf.size());
      std::copy(first, first + static_cast<int64_t>(buf.size()), buf.begin());
    }
    for (size_t n = 0; n < g.nodes().size(); ++n) {
      const ir::Node& node = g.nodes()[n];
      const KernelArgs& a = args[n];
      Status st = std::visit(
          [&a](const auto& attrs) -> Status {
            if constexpr (std::is_same_v<std::decay_t<decltype(attrs)>, std::monostate>) {
              return a.Fail("the node has no op");
            } else {
              return RunKernel(a, attrs);
            }
          },
          node.attrs);
      if (!st.ok()) return st.error().WithContext(fmt::format("sample {}", s));
      if (node.output_quantizer) {
        for (const OutTensor& o : a.out) ir::ApplyQuantizer(*node.output_quantizer, o.v);
      }
      if (trace != nullptr) {
        traced.clear();
        for (const OutTensor& o : a.out) traced.emplace_back(o.v);
        trace->OnNode(s, node, traced);
      }
    }
    for (size_t i = 0; i < results.size(); ++i) {
      const std::vector<double>& buf = buffers[g.outputs()[i]];
      std::copy(buf.begin(), buf.end(),
                results[i].values.begin() + s * static_cast<int64_t>(buf.size()));
    }
  }
  return results;
}

Result<std::vector<Batch>> RunReference(const ir::Graph& graph, const std::vector<Batch>& inputs,
                                        TraceSink* trace) {
  auto executor = ReferenceExecutor::Create(graph);
  if (!executor) return executor.error();
  return executor->Run(inputs, trace);
}

}  // namespace fixnn::reference
