// Estimate: per-layer multiplications, multipliers, resources, BOPs and latency.
#include "estimate/estimate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace fixnn::estimate {
namespace {

using backends::hls_reports::ResourceKind;
using fixed::FixedType;

int64_t CeilDiv(int64_t a, int64_t b) { return b <= 0 ? a : (a + b - 1) / b; }

struct Context {
  const ir::Graph& graph;
  DeviceModel device;
  LatencyModel timing;
  FixedType fallback;
  std::string fallback_origin;
};

// The widest type of a precision (per-element: the widest element), or nullopt when unset.
std::optional<FixedType> WidestType(const ir::Precision& p) {
  if (p.type) return p.type;
  if (p.per_element && !p.per_element->types.empty()) {
    FixedType widest = p.per_element->types[0];
    for (const FixedType& t : p.per_element->types) {
      if (SignedBits(t.width, t.is_signed) > SignedBits(widest.width, widest.is_signed)) {
        widest = t;
      }
    }
    return widest;
  }
  return std::nullopt;
}

// A type, or the fallback with a note on the layer naming what was missing.
FixedType TypeOr(const std::optional<FixedType>& type, const std::string& what, const Context& ctx,
                 LayerEstimate& layer) {
  if (type) return *type;
  layer.notes.push_back(fmt::format("{} has no configured type; estimated as {} ({})", what,
                                    ctx.fallback.ToString(), ctx.fallback_origin));
  return ctx.fallback;
}

int Bits(const FixedType& t) { return SignedBits(t.width, t.is_signed); }

FixedType InputType(const ir::Node& node, size_t index, const Context& ctx, LayerEstimate& layer) {
  const ir::Tensor* t =
      index < node.inputs.size() ? ctx.graph.FindTensor(node.inputs[index]) : nullptr;
  return TypeOr(t ? WidestType(t->precision) : std::nullopt, "the input", ctx, layer);
}

FixedType ResultType(const ir::Node& node, const Context& ctx, LayerEstimate& layer) {
  const ir::Tensor* t = node.outputs.empty() ? nullptr : ctx.graph.FindTensor(node.outputs[0]);
  return TypeOr(t ? WidestType(t->precision) : std::nullopt, "the result", ctx, layer);
}

FixedType InternalType(const ir::Node& node, const std::string& key, const Context& ctx,
                       LayerEstimate& layer) {
  auto it = node.types.find(key);
  return TypeOr(it == node.types.end() ? std::nullopt : std::optional<FixedType>(it->second),
                fmt::format("'{}'", key), ctx, layer);
}

bool IsPowerOfTwo(double v) {
  if (v == 0.0 || !std::isfinite(v)) return false;
  int exp = 0;
  return std::frexp(std::fabs(v), &exp) == 0.5;
}

// Zero / power-of-two / binary counts of a multiplying weight: ClassifyWeights' counts when
// present, else counted on the weight's values as stored in the graph.
MultiplyCounts ClassifyProducts(const ir::Node& node, const ir::Weight& weight,
                                const FixedType& type, LayerEstimate& layer) {
  MultiplyCounts c;
  c.total = static_cast<int64_t>(weight.values.size());
  auto it = std::find_if(node.weight_classes.begin(), node.weight_classes.end(),
                         [&](const ir::WeightClassCounts& w) { return w.weight == weight.name; });
  if (it != node.weight_classes.end()) {
    c.zero = it->zeros;
    c.power_of_two = it->powers_of_two;
  } else {
    layer.notes.push_back(fmt::format(
        "weight '{}' not classified by the configuration; zeros and powers of two counted on "
        "its unquantized values",
        weight.name));
    for (double v : weight.values) {
      if (v == 0.0) {
        ++c.zero;
      } else if (IsPowerOfTwo(v)) {
        ++c.power_of_two;
      }
    }
  }
  if (type.width <= 2) {  // every nonzero value is a select or a negation
    c.binary = c.total - c.zero;
    c.power_of_two = 0;
  }
  c.real = c.total - c.zero - c.power_of_two - c.binary;
  return c;
}

void Add(MultiplyCounts& to, const MultiplyCounts& from, int64_t times = 1) {
  to.total += from.total * times;
  to.zero += from.zero * times;
  to.power_of_two += from.power_of_two * times;
  to.binary += from.binary * times;
  to.real += from.real * times;
}

void AddUse(backends::hls_reports::Resources& to, ResourceKind kind, int64_t n) {
  auto& used = to[kind].used;
  used = used.value_or(0) + n;
}

bool IsResourceStrategy(ir::Strategy s) {
  return s == ir::Strategy::kResource || s == ir::Strategy::kResourceUnrolled;
}

std::string StrategyName(ir::Strategy s) {
  switch (s) {
    case ir::Strategy::kLatency:
      return "Latency";
    case ir::Strategy::kResource:
      return "Resource";
    case ir::Strategy::kResourceUnrolled:
      return "Resource_Unrolled";
    case ir::Strategy::kDistributedArithmetic:
      return "distributed_arithmetic";
  }
  return "";
}

// One matrix-vector product of a weight with the data: n_in x n_out for the reuse factor,
// the weight's entries being the products of one instance (one position / time step).
struct Product {
  const ir::Weight* weight = nullptr;
  int64_t n_in = 0;
  int64_t n_out = 0;
  int64_t outputs = 0;  // sums one instance produces
  FixedType data;
  FixedType accum;
  int64_t reuse = 1;
  bool bias = true;
};

// Adds one product's multipliers, resources and BOPs (one instance; BOPs and counts times
// `instances`) to the layer. Returns the product's latency (L_mult + (R - 1) II_mult).
int64_t AddProduct(const ir::Node& node, const Product& p, int64_t instances, const Context& ctx,
                   LayerEstimate& layer) {
  const ir::Weight& w = *p.weight;
  const FixedType wtype =
      TypeOr(WidestType(w.precision), fmt::format("weight '{}'", w.name), ctx, layer);
  const MultiplyCounts counts = ClassifyProducts(node, w, wtype, layer);
  Add(layer.multiplications, counts, instances);

  const ir::Strategy strategy = node.settings.strategy;
  const bool resource = IsResourceStrategy(strategy);
  const int64_t r = std::max<int64_t>(p.reuse, 1);
  // Latency: weights are constants, so only real products need a multiplier (hls4ml limits
  // them to ceil(n_in n_out / R) - zeros / R). Resource: weights are read from memory, so every
  // slot of the block is a multiplier, ceil(n_in n_out / R). Distributed arithmetic: adders.
  int64_t multipliers = 0;
  if (strategy == ir::Strategy::kDistributedArithmetic) {
    multipliers = 0;
  } else if (resource) {
    multipliers = CeilDiv(counts.total, r);
  } else {
    multipliers = CeilDiv(counts.real, r);
  }
  const int wbits = Bits(wtype);
  const int dbits = Bits(p.data);
  const int dsp_per = DspsPerProduct(wbits, dbits, ctx.device);
  layer.multipliers += multipliers;
  if (dsp_per > 0) {
    layer.dsp_multipliers += multipliers;
    layer.dsps_per_multiplier = std::max(layer.dsps_per_multiplier, dsp_per);
    AddUse(layer.resources, ResourceKind::kDsp, multipliers * dsp_per);
  } else {
    layer.lut_multipliers += multipliers;
    AddUse(layer.resources, ResourceKind::kLut, multipliers * LutsPerLutProduct(wbits, dbits));
  }
  // Adders: every nonzero term into its sum, plus the bias, shared over the reuse factor.
  const int64_t terms = resource ? counts.total : counts.total - counts.zero;
  const int64_t adds = std::max<int64_t>(terms - p.outputs + (p.bias ? p.outputs : 0), 0);
  const int abits = Bits(p.accum);
  AddUse(layer.resources, ResourceKind::kLut, CeilDiv(adds, r) * abits);
  // Registers. Latency: the sums at every stage of L_mult. Resource: each multiplier's
  // product and each accumulator.
  AddUse(layer.resources, ResourceKind::kFf,
         resource ? multipliers * (wbits + dbits) + p.outputs * abits
                  : p.outputs * abits * ctx.timing.mult_latency);
  // Resource strategy with R > 1: the weights are a memory R deep, ceil(n_in n_out / R)
  // words wide (hls4ml's ARRAY_RESHAPE block factor); R = 1 keeps them in registers.
  if (resource && r > 1) {
    AddUse(layer.resources, ResourceKind::kBram18k,
           Bram18kBlocks(r, CeilDiv(counts.total, r), wtype.width, ctx.device));
  }
  // BOPs: weight bits x data bits per nonzero product (per-element weights: each element's
  // width), plus the accumulator width per addition.
  int64_t mult_bops = 0;
  if (w.precision.per_element && !w.precision.type) {
    const ir::ElementTypes& e = *w.precision.per_element;
    for (size_t i = 0; i < w.values.size() && i < e.types.size(); ++i) {
      const bool zero = w.values[i] == 0.0 || (i < e.always_zero.size() && e.always_zero[i]);
      if (!zero) mult_bops += static_cast<int64_t>(e.types[i].width) * p.data.width;
    }
  } else {
    mult_bops = (counts.total - counts.zero) * int64_t{wtype.width} * p.data.width;
  }
  const int64_t sum_adds =
      std::max<int64_t>(counts.total - counts.zero - p.outputs + (p.bias ? p.outputs : 0), 0);
  layer.bops += (mult_bops + sum_adds * p.accum.width) * instances;
  return ProductLatency(r, resource, ctx.timing);
}

// Data x data products (recurrent gates, Merge Multiply): always real multipliers.
void AddElementwiseProducts(int64_t count, int64_t instances, const FixedType& a,
                            const FixedType& b, const Context& ctx, LayerEstimate& layer) {
  MultiplyCounts c;
  c.total = c.real = count;
  Add(layer.multiplications, c, instances);
  const int dsp_per = DspsPerProduct(Bits(a), Bits(b), ctx.device);
  layer.multipliers += count;
  if (dsp_per > 0) {
    layer.dsp_multipliers += count;
    layer.dsps_per_multiplier = std::max(layer.dsps_per_multiplier, dsp_per);
    AddUse(layer.resources, ResourceKind::kDsp, count * dsp_per);
  } else {
    layer.lut_multipliers += count;
    AddUse(layer.resources, ResourceKind::kLut, count * LutsPerLutProduct(Bits(a), Bits(b)));
  }
  AddUse(layer.resources, ResourceKind::kFf, count * (Bits(a) + Bits(b)));
  layer.bops += count * int64_t{a.width} * b.width * instances;
}

// Lookup tables read in parallel: each BRAM_18K copy serves two reads (dual port). Tables
// under 1 Kbit stay in LUTs (one LUT6 per 64 bits, a copy per read).
void AddTables(int64_t lookups, int64_t table_size, int table_bits, const Context& ctx,
               LayerEstimate& layer) {
  if (lookups <= 0) return;
  if (table_size * table_bits < 1024) {
    AddUse(layer.resources, ResourceKind::kLut, lookups * CeilDiv(table_size * table_bits, 64));
    return;
  }
  AddUse(layer.resources, ResourceKind::kBram18k,
         CeilDiv(lookups, 2) * Bram18kBlocks(table_size, 1, table_bits, ctx.device));
}

bool IsTableActivation(ir::ActivationFn fn) {
  switch (fn) {
    case ir::ActivationFn::kLinear:
    case ir::ActivationFn::kReLU:
    case ir::ActivationFn::kLeakyReLU:
    case ir::ActivationFn::kThresholdedReLU:
    case ir::ActivationFn::kHardSigmoid:
    case ir::ActivationFn::kHardTanh:
      return false;
    default:
      return true;
  }
}

void SetLatency(LayerEstimate& layer, int64_t cycles, int64_t interval) {
  layer.latency.min_cycles = layer.latency.max_cycles = cycles;
  layer.latency.interval_min = layer.latency.interval_max = std::max<int64_t>(interval, 1);
}

int64_t Elements(const ir::Graph& g, const std::string& tensor) {
  const ir::Tensor* t = g.FindTensor(tensor);
  return t ? ir::NumElements(t->shape) : 0;
}

// A recurrent cell (one direction): weights named prefix + "kernel" / "recurrent_kernel".
Status EstimateCell(const ir::Node& node, const ir::RecurrentAttrs& a, const std::string& prefix,
                    int64_t reuse, int64_t recurrent_reuse, const Context& ctx,
                    LayerEstimate& layer, int64_t& cycles) {
  const ir::Tensor* in = ctx.graph.FindTensor(node.inputs.at(0));
  if (in == nullptr || in->shape.size() != 2) {
    return Error(fmt::format("layer '{}': recurrent input shape unknown (want [steps, features])",
                             node.name));
  }
  const int64_t steps = in->shape[0];
  const int64_t features = in->shape[1];
  const int64_t gates = a.cell == ir::RecurrentCell::kLSTM  ? 4
                        : a.cell == ir::RecurrentCell::kGRU ? 3
                                                            : 1;
  const ir::Weight* kernel = node.FindWeight(prefix + "kernel");
  const ir::Weight* recurrent = node.FindWeight(prefix + "recurrent_kernel");
  if (kernel == nullptr || recurrent == nullptr) {
    return Error(fmt::format("layer '{}': missing weight '{}kernel' or '{}recurrent_kernel'",
                             node.name, prefix, prefix));
  }
  layer.timesteps = steps;
  const FixedType data = InputType(node, 0, ctx, layer);
  const FixedType state =
      node.types.count("state") ? node.types.at("state") : ResultType(node, ctx, layer);
  const FixedType accum = InternalType(node, "accum", ctx, layer);
  const int64_t n = gates * a.units;
  const int64_t l_in =
      AddProduct(node, {kernel, features, n, n, data, accum, reuse, a.use_bias}, steps, ctx, layer);
  const int64_t l_rec = AddProduct(
      node, {recurrent, a.units, n, n, state, accum, recurrent_reuse, false}, steps, ctx, layer);
  // Gate products on data: GRU r*(U h), z*h, (1-z)*h~; LSTM f*c, i*g, o*tanh(c).
  const int64_t gate_products = a.cell == ir::RecurrentCell::kSimpleRNN ? 0 : 3 * a.units;
  AddElementwiseProducts(gate_products, steps, state, state, ctx, layer);
  // Activation tables: the gates' recurrent activation and the candidate's activation (and
  // LSTM's tanh(c)), every unit read in parallel.
  const int table_bits = node.types.count("table") ? node.types.at("table").width : 18;
  const int64_t lookups = n + (a.cell == ir::RecurrentCell::kLSTM ? a.units : 0);
  AddTables(lookups, node.settings.table_size, table_bits, ctx, layer);
  const int stages = a.cell == ir::RecurrentCell::kLSTM  ? ctx.timing.lstm_elementwise_stages
                     : a.cell == ir::RecurrentCell::kGRU ? ctx.timing.gru_elementwise_stages
                                                         : ctx.timing.simple_rnn_elementwise_stages;
  const int activations = a.cell == ir::RecurrentCell::kSimpleRNN ? 1 : 2;
  const int64_t step = std::max(l_in, l_rec) + activations * ctx.timing.activation_latency + stages;
  cycles += steps * step;
  return Status::Ok();
}

Result<LayerEstimate> EstimateNode(const ir::Node& node, const Context& ctx) {
  LayerEstimate layer;
  layer.name = node.name;
  layer.op = std::string(ir::OpName(node.kind()));
  layer.reuse_factor = node.settings.reuse_factor;
  const ir::LayerSettings& s = node.settings;
  const int64_t out_elems = node.outputs.empty() ? 0 : Elements(ctx.graph, node.outputs[0]);
  const int64_t in_elems = node.inputs.empty() ? 0 : Elements(ctx.graph, node.inputs[0]);
  auto product_layer = [&](const Product& p, int64_t positions) {
    layer.strategy = StrategyName(s.strategy);
    layer.timesteps = positions;
    const int64_t l = AddProduct(node, p, positions, ctx, layer);
    const int64_t r = std::max<int64_t>(p.reuse, 1);
    // Positions go through one pipelined instance, one every R cycles.
    SetLatency(layer, l + (positions - 1) * r, positions * r);
  };
  auto shape_error = [&]() {
    return Error(
        fmt::format("layer '{}': input shape unknown; run shape inference first", node.name));
  };

  switch (node.kind()) {
    case ir::OpKind::kDense: {
      const auto& a = node.as<ir::DenseAttrs>();
      const ir::Tensor* in = ctx.graph.FindTensor(node.inputs.at(0));
      if (in == nullptr || in->shape.empty() || in->shape.back() <= 0) return shape_error();
      const int64_t n_in = in->shape.back();
      const ir::Weight* kernel = node.FindWeight("kernel");
      if (kernel == nullptr) return Error(fmt::format("layer '{}': no kernel", node.name));
      product_layer({kernel, n_in, a.units, a.units, InputType(node, 0, ctx, layer),
                     InternalType(node, "accum", ctx, layer), s.reuse_factor, a.use_bias},
                    std::max<int64_t>(in_elems / n_in, 1));
      break;
    }
    case ir::OpKind::kConv: {
      const auto& a = node.as<ir::ConvAttrs>();
      const ir::Weight* kernel = node.FindWeight("kernel");
      if (kernel == nullptr || a.filters <= 0) return shape_error();
      const int64_t n_in = static_cast<int64_t>(kernel->values.size()) / a.filters;
      product_layer({kernel, n_in, a.filters, a.filters, InputType(node, 0, ctx, layer),
                     InternalType(node, "accum", ctx, layer), s.reuse_factor, a.use_bias},
                    std::max<int64_t>(out_elems / a.filters, 1));
      break;
    }
    case ir::OpKind::kDepthwiseConv: {
      const auto& a = node.as<ir::DepthwiseConvAttrs>();
      const ir::Weight* kernel = node.FindWeight("depthwise_kernel");
      const ir::Tensor* in = ctx.graph.FindTensor(node.inputs.at(0));
      if (kernel == nullptr || in == nullptr || in->shape.empty()) return shape_error();
      const int64_t channels = in->shape.back() * a.depth_multiplier;
      product_layer({kernel, static_cast<int64_t>(kernel->values.size()) / a.depth_multiplier,
                     channels, channels, InputType(node, 0, ctx, layer),
                     InternalType(node, "accum", ctx, layer), s.reuse_factor, a.use_bias},
                    std::max<int64_t>(out_elems / std::max<int64_t>(channels, 1), 1));
      break;
    }
    case ir::OpKind::kSeparableConv: {
      const auto& a = node.as<ir::SeparableConvAttrs>();
      const ir::Weight* dw = node.FindWeight("depthwise_kernel");
      const ir::Weight* pw = node.FindWeight("pointwise_kernel");
      const ir::Tensor* in = ctx.graph.FindTensor(node.inputs.at(0));
      if (dw == nullptr || pw == nullptr || in == nullptr || in->shape.empty() || a.filters <= 0) {
        return shape_error();
      }
      layer.strategy = StrategyName(s.strategy);
      const int64_t mid = in->shape.back() * a.depth_multiplier;
      const int64_t positions = std::max<int64_t>(out_elems / a.filters, 1);
      layer.timesteps = positions;
      const int64_t l1 = AddProduct(
          node,
          {dw, static_cast<int64_t>(dw->values.size()) / a.depth_multiplier, mid, mid,
           InputType(node, 0, ctx, layer), InternalType(node, "depthwise_accum", ctx, layer),
           s.depthwise_reuse_factor, false},
          positions, ctx, layer);
      const int64_t l2 = AddProduct(
          node,
          {pw, mid, a.filters, a.filters, InternalType(node, "depthwise_result", ctx, layer),
           InternalType(node, "pointwise_accum", ctx, layer), s.pointwise_reuse_factor, a.use_bias},
          positions, ctx, layer);
      const int64_t r = std::max(s.depthwise_reuse_factor, s.pointwise_reuse_factor);
      SetLatency(layer, l1 + l2 + (positions - 1) * r, positions * r);
      break;
    }
    case ir::OpKind::kRecurrent: {
      const auto& a = node.as<ir::RecurrentAttrs>();
      layer.op = fmt::format("Recurrent({})", ir::ToString(a.cell));
      layer.strategy = StrategyName(s.strategy);
      int64_t cycles = 0;
      if (Status st = EstimateCell(node, a, "", s.reuse_factor, s.recurrent_reuse_factor, ctx,
                                   layer, cycles);
          !st.ok()) {
        return st.error();
      }
      layer.notes.push_back(
          "one cell reused over the time steps (hls4ml static), steps in sequence");
      SetLatency(layer, cycles, cycles);
      break;
    }
    case ir::OpKind::kBidirectional: {
      const auto& a = node.as<ir::BidirectionalAttrs>();
      layer.op = fmt::format("Bidirectional({})", ir::ToString(a.forward.cell));
      layer.strategy = StrategyName(s.strategy);
      int64_t cycles = 0;
      for (const auto& [cell, prefix, rf, rrf] :
           {std::tuple{&a.forward, "forward_", s.reuse_factor, s.recurrent_reuse_factor},
            std::tuple{&a.backward, "backward_", s.backward_reuse_factor,
                       s.backward_recurrent_reuse_factor}}) {
        if (Status st = EstimateCell(node, *cell, prefix, rf, rrf, ctx, layer, cycles); !st.ok()) {
          return st.error();
        }
      }
      layer.notes.push_back("forward and backward cells in sequence");
      SetLatency(layer, cycles, cycles);
      break;
    }
    case ir::OpKind::kActivation: {
      const auto& a = node.as<ir::ActivationAttrs>();
      layer.op = fmt::format("Activation({})", ir::ToString(a.fn));
      const FixedType result = ResultType(node, ctx, layer);
      const int table_bits = node.types.count("table") ? node.types.at("table").width : 18;
      if (a.fn == ir::ActivationFn::kSoftmax) {
        const int exp_bits = node.types.count("exp_table") ? node.types.at("exp_table").width : 18;
        AddTables(out_elems, s.table_size, exp_bits, ctx, layer);
        AddTables(1, s.table_size, exp_bits, ctx, layer);                   // the inverse table
        AddUse(layer.resources, ResourceKind::kLut, out_elems * exp_bits);  // the sum
        SetLatency(layer, ctx.timing.softmax_latency, 1);
      } else {
        if (IsTableActivation(a.fn)) {
          AddTables(out_elems, s.table_size, table_bits, ctx, layer);
        } else if (a.fn != ir::ActivationFn::kLinear) {
          AddUse(layer.resources, ResourceKind::kLut, out_elems * result.width);
        }
        SetLatency(layer, ctx.timing.activation_latency, 1);
      }
      AddUse(layer.resources, ResourceKind::kFf, out_elems * result.width);
      break;
    }
    case ir::OpKind::kPReLU:
    case ir::OpKind::kQuantize: {
      const FixedType result = ResultType(node, ctx, layer);
      AddUse(layer.resources, ResourceKind::kLut, out_elems * result.width);
      AddUse(layer.resources, ResourceKind::kFf, out_elems * result.width);
      SetLatency(layer, ctx.timing.activation_latency, 1);
      break;
    }
    case ir::OpKind::kBatchNorm:
    case ir::OpKind::kScale: {
      // One product per element with the (folded) scale, a constant: counted as real.
      const FixedType data = InputType(node, 0, ctx, layer);
      // BatchNorm: the folded scale's internal type; Scale: its "scale" weight's type.
      std::optional<FixedType> scale_type;
      if (auto it = node.types.find("scale"); it != node.types.end()) {
        scale_type = it->second;
      } else if (const ir::Weight* w = node.FindWeight("scale"); w != nullptr) {
        scale_type = WidestType(w->precision);
      }
      const FixedType scale = TypeOr(scale_type, "the scale", ctx, layer);
      AddElementwiseProducts(out_elems, 1, data, scale, ctx, layer);
      layer.bops += out_elems * ResultType(node, ctx, layer).width;  // the bias add
      SetLatency(layer, ctx.timing.elementwise_latency, 1);
      break;
    }
    case ir::OpKind::kMerge: {
      const auto& a = node.as<ir::MergeAttrs>();
      layer.op = fmt::format("Merge({})", ir::ToString(a.kind));
      const FixedType result = ResultType(node, ctx, layer);
      const int64_t ops = out_elems * std::max<int64_t>(node.inputs.size() - 1, 1);
      if (a.kind == ir::MergeKind::kMultiply) {
        AddElementwiseProducts(ops, 1, InputType(node, 0, ctx, layer),
                               InputType(node, 1, ctx, layer), ctx, layer);
      } else {
        AddUse(layer.resources, ResourceKind::kLut, ops * result.width);
        layer.bops += ops * result.width;
      }
      SetLatency(layer, ctx.timing.elementwise_latency, 1);
      break;
    }
    case ir::OpKind::kDot: {
      AddElementwiseProducts(in_elems, 1, InputType(node, 0, ctx, layer),
                             InputType(node, 1, ctx, layer), ctx, layer);
      SetLatency(layer, ctx.timing.mult_latency, 1);
      break;
    }
    case ir::OpKind::kPool:
    case ir::OpKind::kGlobalPool: {
      const FixedType result = ResultType(node, ctx, layer);
      AddUse(layer.resources, ResourceKind::kLut, in_elems * result.width);
      layer.bops += in_elems * result.width;
      SetLatency(layer, ctx.timing.mult_latency, 1);
      break;
    }
    case ir::OpKind::kEmbedding: {
      const ir::Weight* e = node.FindWeight("embeddings");
      const FixedType result = ResultType(node, ctx, layer);
      if (e != nullptr) {
        AddUse(layer.resources, ResourceKind::kLut,
               CeilDiv(static_cast<int64_t>(e->values.size()) * result.width, 64));
      }
      SetLatency(layer, ctx.timing.activation_latency, 1);
      break;
    }
    default:  // layout: wiring only
      SetLatency(layer, 0, 1);
      break;
  }
  return layer;
}

}  // namespace

Result<ModelEstimate> Estimate(const ir::Graph& graph, const config::ProjectConfig& project,
                               const EstimateOptions& options) {
  Context ctx{graph, options.device.value_or(DeviceFor(project.part)), options.latency,
              FixedType::Fixed(16, 6), "hls4ml's built-in default"};
  if (auto it = project.hls.model.precision.find("default");
      it != project.hls.model.precision.end() && it->second.type) {
    ctx.fallback = *it->second.type;
    ctx.fallback_origin = "HLSConfig.Model.Precision";
  }
  ModelEstimate out;
  out.model = graph.name;
  out.part = project.part;
  out.clock_period_ns = project.clock_period;
  out.io_type = std::string(config::ToString(project.io_type));
  // Finish time of every tensor: the longest path of layer latencies (io_parallel runs the
  // layers one after the other; io_stream's dataflow is estimated the same way).
  std::map<std::string, int64_t> finish;
  int64_t total = 0;
  int64_t interval = 1;
  for (const ir::Node& node : graph.nodes()) {
    Result<LayerEstimate> layer = EstimateNode(node, ctx);
    if (!layer.ok()) return layer.error();
    int64_t start = 0;
    for (const std::string& in : node.inputs) start = std::max(start, finish[in]);
    const int64_t end = start + layer->latency.max_cycles.value_or(0);
    for (const std::string& o : node.outputs) finish[o] = end;
    total = std::max(total, end);
    interval = std::max(interval, layer->latency.interval_max.value_or(1));
    Add(out.multiplications, layer->multiplications);
    out.multipliers += layer->multipliers;
    out.bops += layer->bops;
    for (ResourceKind kind : backends::hls_reports::kResourceKinds) {
      if (layer->resources[kind].used) AddUse(out.resources, kind, *layer->resources[kind].used);
    }
    layer->latency.min_ns = layer->latency.max_ns =
        static_cast<double>(*layer->latency.max_cycles) * project.clock_period;
    if (node.kind() == ir::OpKind::kInput) continue;
    out.layers.push_back(std::move(*layer));
  }
  for (ResourceKind kind : backends::hls_reports::kResourceKinds) {
    if (!out.resources[kind].used) out.resources[kind].used = 0;
  }
  out.latency.min_cycles = out.latency.max_cycles = total;
  out.latency.min_ns = out.latency.max_ns = static_cast<double>(total) * project.clock_period;
  out.latency.interval_min = out.latency.interval_max = interval;
  // hls4ml's PipelineStyle "auto" (backends/vivado/passes/pipeline_style.py): dataflow for
  // io_stream, convolutions or the Resource strategy; otherwise a pipelined function.
  bool dataflow = project.io_type == config::IOType::kStream;
  for (const ir::Node& node : graph.nodes()) {
    const ir::OpKind k = node.kind();
    dataflow = dataflow || IsResourceStrategy(node.settings.strategy) || k == ir::OpKind::kConv ||
               k == ir::OpKind::kDepthwiseConv || k == ir::OpKind::kSeparableConv;
  }
  out.latency.pipeline_type = dataflow ? "dataflow" : "function";
  out.notes = {
      "estimate, not a synthesis result",
      "DSPs: multipliers = products / ReuseFactor (hls4ml tutorial); Latency strategy skips "
      "zero, power-of-two and <=2-bit weights; each product takes ceil-split DSPs of the "
      "part's 27x18 (7-series 25x18) ports",
      fmt::format("LUT products: both operands <= {} bits or one <= {} bits",
                  ctx.device.lut_both_bits, ctx.device.lut_one_bits),
      "latency: L_mult + (R-1) x II_mult per product, activations and elementwise stages; "
      "recurrent layers: steps x step latency; the layers' longest path; II: the largest "
      "layer interval",
      "BRAM_18K: Resource-strategy weights (R deep, ceil(products/R) words wide) and "
      "activation tables (one copy per two parallel reads)",
      "LUT/FF: rough (adders of the accumulator width, LUT products, registers per product "
      "and sum)"};
  return out;
}

}  // namespace fixnn::estimate
