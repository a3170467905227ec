#include "emulator/emulator.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <thread>

#include "emulator/kernel.h"
#include "fixed/fixed_value.h"
#include "fixed/quantize_array.h"
#include "ir/shape_inference.h"

namespace fixnn::emulator {

// Recurrent, Bidirectional (recurrent_kernel.cc).
template <class M>
KernelResult<M> MakeRecurrentKernel(BuildContext& ctx);

namespace {

using fixed::WideInt;

// The kernels of one graph in one number representation.
template <class M>
struct Engine {
  std::vector<std::unique_ptr<Kernel<M>>> kernels;  // per node; null for Input nodes
};

// Builds every node's kernel in graph order. Input nodes only register their conversion site.
template <class M>
Result<Engine<M>> BuildEngine(BuildContext& ctx, std::vector<int>* input_sites) {
  Engine<M> engine;
  const ir::Graph& g = ctx.graph();
  input_sites->clear();
  for (size_t n = 0; n < g.nodes().size(); ++n) {
    ctx.SetNode(n);
    const ir::Node& node = g.nodes()[n];
    KernelResult<M> k = std::unique_ptr<Kernel<M>>();
    switch (node.kind()) {
      case ir::OpKind::kInput: {
        const TensorInfo& t = ctx.Tensor(node.outputs.at(0));
        input_sites->push_back(ctx.AddRunSite("input", t.type, t.size));
        break;
      }
      case ir::OpKind::kDense:
        k = MakeDenseKernel<M>(ctx);
        break;
      case ir::OpKind::kActivation:
        k = node.as<ir::ActivationAttrs>().fn == ir::ActivationFn::kSoftmax
                ? MakeSoftmaxKernel<M>(ctx)
                : MakeElementwiseKernel<M>(ctx);
        break;
      case ir::OpKind::kPReLU:
      case ir::OpKind::kQuantize:
      case ir::OpKind::kFlatten:
      case ir::OpKind::kReshape:
        k = MakeElementwiseKernel<M>(ctx);
        break;
      case ir::OpKind::kConv:
      case ir::OpKind::kDepthwiseConv:
      case ir::OpKind::kSeparableConv:
        k = MakeConvKernel<M>(ctx);
        break;
      case ir::OpKind::kPool:
      case ir::OpKind::kGlobalPool:
        k = MakePoolKernel<M>(ctx);
        break;
      case ir::OpKind::kBatchNorm:
      case ir::OpKind::kScale:
        k = MakeScaleKernel<M>(ctx);
        break;
      case ir::OpKind::kPermute:
      case ir::OpKind::kZeroPadding:
      case ir::OpKind::kCropping:
      case ir::OpKind::kUpSampling:
        k = MakeLayoutKernel<M>(ctx);
        break;
      case ir::OpKind::kMerge:
      case ir::OpKind::kConcatenate:
      case ir::OpKind::kDot:
        k = MakeMergeKernel<M>(ctx);
        break;
      case ir::OpKind::kEmbedding:
        k = MakeEmbeddingKernel<M>(ctx);
        break;
      case ir::OpKind::kRecurrent:
      case ir::OpKind::kBidirectional:
        k = MakeRecurrentKernel<M>(ctx);
        break;
      default:
        return ctx.NotHandled(std::string(ir::OpName(node.kind())));
    }
    if (!k.ok()) return k.error();
    engine.kernels.push_back(std::move(k).value());
  }
  return engine;
}

}  // namespace

struct Emulator::Impl {
  std::shared_ptr<const ir::Graph> graph;
  std::vector<TensorInfo> tensors;
  std::map<std::string, int> ids;
  std::vector<RunSite> run_sites;
  std::vector<int64_t> scratch_sizes;
  std::vector<int> input_sites;  // per Input node, in graph order
  OverflowReport setup;
  std::map<std::string, size_t> input_index;  // graph input tensor -> position in Run's inputs
  bool int64 = true;
  int threads_option = 1;
  Engine<std::int64_t> fast;
  Engine<WideInt> exact;

  // What one thread's range of samples left: its status and its cast sites' counters.
  struct RangeOutcome {
    Status status = Status::Ok();
    std::vector<int64_t> counters;
  };

  template <class M>
  Result<std::vector<Batch>> RunWith(const Engine<M>& engine, const std::vector<Batch>& inputs,
                                     TraceSink* trace, OverflowReport* overflows) const;
  // Runs samples [begin, end) in a workspace of its own, writing their outputs into `results`.
  template <class M>
  RangeOutcome RunRange(const Engine<M>& engine, const std::vector<Batch>& inputs, int64_t begin,
                        int64_t end, TraceSink* trace, std::vector<Batch>& results) const;
  static int64_t ThreadCount(int requested, int64_t samples);
  OverflowReport MakeReport(const std::vector<int64_t>& counters, int64_t samples) const;
};

Result<Emulator> Emulator::Create(const ir::Graph& configured_graph,
                                  const EmulatorOptions& options) {
  auto graph = std::make_shared<ir::Graph>(configured_graph);
  if (Status s = graph->Validate(); !s.ok()) return s.error();
  if (Status s = ir::InferShapes(*graph); !s.ok()) return s.error();

  auto impl = std::make_shared<Impl>();
  bool types_fit = true;
  for (const ir::Node& node : graph->nodes()) {
    for (const std::string& out : node.outputs) {
      const ir::Tensor* t = graph->FindTensor(out);
      if (!t->precision.type) {
        return Error(fmt::format("layer '{}': tensor '{}': {}", node.name, out,
                                 t->precision.per_element
                                     ? "the emulator does not handle per-element types yet"
                                     : "no type; run passes::Configure first"));
      }
      impl->ids[out] = static_cast<int>(impl->tensors.size());
      impl->tensors.push_back({out, t->shape, ir::NumElements(t->shape), *t->precision.type});
      types_fit = types_fit && fixed::FitsInt64Mantissa(*t->precision.type);
    }
  }

  BuildContext fast_ctx(*graph, impl->tensors, impl->ids);
  Result<Engine<std::int64_t>> fast = BuildEngine<std::int64_t>(fast_ctx, &impl->input_sites);
  if (!fast.ok()) return fast.error();
  if (types_fit && fast_ctx.all_fast() && !options.exact_arithmetic) {
    impl->fast = std::move(fast).value();
    impl->run_sites = fast_ctx.run_sites();
    impl->scratch_sizes = fast_ctx.scratch_sizes();
    impl->setup = fast_ctx.TakeSetupReport();
  } else {
    impl->int64 = false;
    BuildContext exact_ctx(*graph, impl->tensors, impl->ids);
    Result<Engine<WideInt>> exact = BuildEngine<WideInt>(exact_ctx, &impl->input_sites);
    if (!exact.ok()) return exact.error();
    impl->exact = std::move(exact).value();
    impl->run_sites = exact_ctx.run_sites();
    impl->scratch_sizes = exact_ctx.scratch_sizes();
    impl->setup = exact_ctx.TakeSetupReport();
  }
  for (size_t i = 0; i < graph->inputs().size(); ++i) impl->input_index[graph->inputs()[i]] = i;
  impl->threads_option = options.threads;
  impl->graph = std::move(graph);
  return Emulator(std::move(impl));
}

Result<std::vector<Batch>> Emulator::Run(const std::vector<Batch>& inputs, TraceSink* trace,
                                         OverflowReport* overflows) const {
  return impl_->int64 ? impl_->RunWith(impl_->fast, inputs, trace, overflows)
                      : impl_->RunWith(impl_->exact, inputs, trace, overflows);
}

const OverflowReport& Emulator::setup_overflows() const { return impl_->setup; }
int Emulator::threads_for(int64_t samples) const {
  return static_cast<int>(Impl::ThreadCount(impl_->threads_option, samples));
}
bool Emulator::uses_int64() const { return impl_->int64; }
const ir::Graph& Emulator::graph() const { return *impl_->graph; }

namespace {

// Converts one sample of an input into mantissas of its type, counting out-of-range values.
Status ConvertInput(std::span<const double> in, const fixed::FixedType& t,
                    std::vector<std::int64_t>& out, SiteCounter counter) {
  Result<fixed::OverflowCounts> r = fixed::QuantizeToMantissas(in, t, out);
  if (!r.ok()) return r.error();
  counter[0] += r->overflow;
  counter[1] += r->underflow;
  return Status::Ok();
}

Status ConvertInput(std::span<const double> in, const fixed::FixedType& t,
                    std::vector<WideInt>& out, SiteCounter counter) {
  for (size_t i = 0; i < in.size(); ++i) {
    fixed::CastEvents ev;
    Result<fixed::FixedValue> v = fixed::Quantize(in[i], t, &ev);
    if (!v.ok()) return v.error().WithContext(fmt::format("element {}", i));
    counter[0] += ev.overflow;
    counter[1] += ev.underflow;
    out[i] = v->mantissa();
  }
  return Status::Ok();
}

}  // namespace

template <class M>
Result<std::vector<Batch>> Emulator::Impl::RunWith(const Engine<M>& engine,
                                                   const std::vector<Batch>& inputs,
                                                   TraceSink* trace,
                                                   OverflowReport* overflows) const {
  const ir::Graph& g = *graph;
  Result<int64_t> checked = reference::CheckBatches(g, inputs);
  if (!checked.ok()) return checked.error();
  const int64_t samples = *checked;

  std::vector<Batch> results;
  for (const std::string& out : g.outputs()) {
    const TensorInfo& t = tensors[static_cast<size_t>(ids.at(out))];
    Batch b;
    b.shape = t.shape;
    b.shape.insert(b.shape.begin(), samples);
    b.values.resize(static_cast<size_t>(samples * t.size));
    results.push_back(std::move(b));
  }

  // A trace sink sees samples in order, from one thread.
  int64_t threads = trace != nullptr ? 1 : ThreadCount(threads_option, samples);
  std::vector<RangeOutcome> outcomes(static_cast<size_t>(threads));
  const int64_t chunk = (samples + threads - 1) / std::max<int64_t>(threads, 1);
  if (threads <= 1) {
    outcomes[0] = RunRange(engine, inputs, 0, samples, trace, results);
  } else {
    std::vector<std::thread> pool;
    for (int64_t t = 0; t < threads; ++t) {
      const int64_t begin = std::min(samples, t * chunk);
      const int64_t end = std::min(samples, begin + chunk);
      pool.emplace_back([&, t, begin, end] {
        outcomes[static_cast<size_t>(t)] = RunRange(engine, inputs, begin, end, nullptr, results);
      });
    }
    for (std::thread& th : pool) th.join();
  }
  std::vector<int64_t> counters(2 * run_sites.size(), 0);
  for (const RangeOutcome& o : outcomes) {  // chunks in sample order: the first error wins
    if (!o.status.ok()) return o.status.error();
    for (size_t i = 0; i < o.counters.size(); ++i) counters[i] += o.counters[i];
  }
  if (overflows != nullptr) *overflows = MakeReport(counters, samples);
  return results;
}

int64_t Emulator::Impl::ThreadCount(int requested, int64_t samples) {
  int64_t n = requested;
  if (n <= 0) n = std::max(1u, std::thread::hardware_concurrency());
  // Below a few hundred samples per thread, starting threads costs more than it saves.
  constexpr int64_t kMinSamplesPerThread = 256;
  n = std::min(n, std::max<int64_t>(1, samples / kMinSamplesPerThread));
  return std::max<int64_t>(1, n);
}

template <class M>
Emulator::Impl::RangeOutcome Emulator::Impl::RunRange(const Engine<M>& engine,
                                                      const std::vector<Batch>& inputs,
                                                      int64_t begin, int64_t end, TraceSink* trace,
                                                      std::vector<Batch>& results) const {
  const ir::Graph& g = *graph;
  RangeOutcome outcome;
  Workspace<M> ws;
  ws.tensors.resize(tensors.size());
  for (size_t t = 0; t < tensors.size(); ++t) {
    ws.tensors[t].assign(static_cast<size_t>(tensors[t].size), M{});
  }
  for (int64_t size : scratch_sizes) ws.scratch.emplace_back(static_cast<size_t>(size), M{});
  ws.counters.assign(2 * run_sites.size(), 0);

  std::vector<std::vector<double>> traced_values;
  std::vector<std::span<const double>> traced;
  if (trace != nullptr) {
    traced_values.resize(tensors.size());
    for (size_t t = 0; t < tensors.size(); ++t) {
      traced_values[t].resize(static_cast<size_t>(tensors[t].size));
    }
  }
  auto to_doubles = [&](int id, std::span<double> out) {
    const TensorInfo& t = tensors[static_cast<size_t>(id)];
    const std::vector<M>& v = ws.tensors[static_cast<size_t>(id)];
    const int e = t.type.lsb_exponent();
    for (size_t i = 0; i < v.size(); ++i) out[i] = Arith<M>::ToDouble(v[i], e);
  };

  for (int64_t s = begin; s < end; ++s) {
    size_t input_node = 0;
    for (size_t n = 0; n < g.nodes().size(); ++n) {
      const ir::Node& node = g.nodes()[n];
      if (node.kind() == ir::OpKind::kInput) {
        const std::string& name = node.outputs[0];
        const int id = ids.at(name);
        const TensorInfo& t = tensors[static_cast<size_t>(id)];
        const Batch& b = inputs[input_index.at(name)];
        const std::span<const double> in(b.values.data() + s * t.size, static_cast<size_t>(t.size));
        Status st = ConvertInput(in, t.type, ws.tensors[static_cast<size_t>(id)],
                                 ws.Counter(input_sites[input_node++]));
        if (!st.ok()) {
          outcome.status = st.error().WithContext(fmt::format("input '{}': sample {}", name, s));
          return outcome;
        }
      } else {
        engine.kernels[n]->Run(ws);
      }
      if (trace != nullptr) {
        traced.clear();
        for (const std::string& out : node.outputs) {
          const int id = ids.at(out);
          to_doubles(id, traced_values[static_cast<size_t>(id)]);
          traced.emplace_back(traced_values[static_cast<size_t>(id)]);
        }
        trace->OnNode(s, node, traced);
      }
    }
    for (size_t o = 0; o < results.size(); ++o) {
      const int id = ids.at(g.outputs()[o]);
      const auto size = static_cast<size_t>(tensors[static_cast<size_t>(id)].size);
      to_doubles(id, std::span<double>(results[o].values.data() + s * size, size));
    }
  }
  outcome.counters = std::move(ws.counters);
  return outcome;
}

OverflowReport Emulator::Impl::MakeReport(const std::vector<int64_t>& counters,
                                          int64_t samples) const {
  OverflowReport report;
  report.samples = samples;
  const auto& nodes = graph->nodes();
  for (size_t i = 0; i < run_sites.size(); ++i) {
    const RunSite& site = run_sites[i];
    const std::string& name = nodes[site.node].name;
    if (report.nodes.empty() || report.nodes.back().node != name) {
      report.nodes.push_back({name, {}});
    }
    report.nodes.back().sites.push_back({site.site, site.type, site.casts_per_sample * samples,
                                         counters[2 * i] + site.constant_overflow * samples,
                                         counters[2 * i + 1] + site.constant_underflow * samples});
  }
  return report;
}

}  // namespace fixnn::emulator
