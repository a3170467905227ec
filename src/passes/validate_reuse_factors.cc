#include "passes/validate_reuse_factors.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace fixnn::passes {

namespace {

struct Product {
  std::string key;  // the configuration key that sets its reuse factor
  int64_t n_in = 1;
  int64_t n_out = 1;
  int64_t reuse_factor = 1;
};

// The weight's size without its last `trailing` axes, and the product of those axes.
std::pair<int64_t, int64_t> Split(const ir::Weight* w, size_t trailing) {
  if (w == nullptr || w->shape.size() < trailing) return {1, 1};
  int64_t lead = 1, tail = 1;
  for (size_t i = 0; i < w->shape.size(); ++i) {
    (i + trailing < w->shape.size() ? lead : tail) *= w->shape[i];
  }
  return {lead, tail};
}

// A depthwise kernel [k..., in, multiplier]: in * kernel area inputs, in * multiplier outputs.
std::pair<int64_t, int64_t> DepthwiseProduct(const ir::Weight* w) {
  auto [area, channels] = Split(w, 2);
  const int64_t in = w != nullptr && w->shape.size() >= 2 ? w->shape[w->shape.size() - 2] : 1;
  return {in * area, channels};
}

int Gates(ir::RecurrentCell cell) {
  switch (cell) {
    case ir::RecurrentCell::kLSTM:
      return 4;
    case ir::RecurrentCell::kGRU:
      return 3;
    case ir::RecurrentCell::kSimpleRNN:
      return 1;
  }
  return 1;
}

void AddRecurrent(std::vector<Product>& out, const ir::Node& node, const ir::RecurrentAttrs& a,
                  const std::string& prefix, const std::string& key_prefix, int64_t rf,
                  int64_t recurrent_rf) {
  const int64_t n_out = Gates(a.cell) * a.units;
  const ir::Weight* kernel = node.FindWeight(prefix + "kernel");
  const int64_t n_in = kernel != nullptr && !kernel->shape.empty() ? kernel->shape[0] : 1;
  out.push_back({key_prefix + "ReuseFactor", n_in, n_out, rf});
  out.push_back({key_prefix + "RecurrentReuseFactor", a.units, n_out, recurrent_rf});
}

std::vector<Product> Products(const ir::Node& node) {
  const ir::LayerSettings& s = node.settings;
  std::vector<Product> out;
  switch (node.kind()) {
    case ir::OpKind::kDense:
    case ir::OpKind::kConv: {
      auto [n_in, n_out] = Split(node.FindWeight("kernel"), 1);
      out.push_back({"ReuseFactor", n_in, n_out, s.reuse_factor});
      break;
    }
    case ir::OpKind::kDepthwiseConv: {
      auto [n_in, n_out] = DepthwiseProduct(node.FindWeight("depthwise_kernel"));
      out.push_back({"ReuseFactor", n_in, n_out, s.reuse_factor});
      break;
    }
    case ir::OpKind::kSeparableConv: {
      auto [n_in, n_out] = DepthwiseProduct(node.FindWeight("depthwise_kernel"));
      out.push_back({"DepthwiseReuseFactor", n_in, n_out, s.depthwise_reuse_factor});
      auto [pw_in, pw_out] = Split(node.FindWeight("pointwise_kernel"), 1);
      out.push_back({"PointwiseReuseFactor", pw_in, pw_out, s.pointwise_reuse_factor});
      break;
    }
    case ir::OpKind::kRecurrent:
      AddRecurrent(out, node, node.as<ir::RecurrentAttrs>(), "", "", s.reuse_factor,
                   s.recurrent_reuse_factor);
      break;
    case ir::OpKind::kBidirectional: {
      const auto& a = node.as<ir::BidirectionalAttrs>();
      AddRecurrent(out, node, a.forward, "forward_", "Forward", s.reuse_factor,
                   s.recurrent_reuse_factor);
      AddRecurrent(out, node, a.backward, "backward_", "Backward", s.backward_reuse_factor,
                   s.backward_recurrent_reuse_factor);
      break;
    }
    default:
      break;
  }
  return out;
}

std::string_view StrategyName(ir::Strategy s) {
  switch (s) {
    case ir::Strategy::kLatency:
      return "Latency";
    case ir::Strategy::kResource:
      return "Resource";
    case ir::Strategy::kResourceUnrolled:
      return "ResourceUnrolled";
    case ir::Strategy::kDistributedArithmetic:
      return "DistributedArithmetic";
  }
  return "?";
}

// hls4ml's choice for an invalid value: the closest valid one, the smaller on a tie.
int64_t Closest(const std::vector<int64_t>& valid, int64_t chosen) {
  auto it = std::lower_bound(valid.begin(), valid.end(), chosen);
  if (it == valid.begin()) return valid.front();
  if (it == valid.end()) return valid.back();
  const int64_t after = *it, before = *(it - 1);
  return after - chosen < chosen - before ? after : before;
}

std::string List(const std::vector<int64_t>& values) {
  constexpr size_t kShown = 32;
  if (values.size() <= kShown) return fmt::format("{}", fmt::join(values, ", "));
  std::vector<int64_t> head(values.begin(), values.begin() + kShown);
  return fmt::format("{}, ... ({} values, up to {})", fmt::join(head, ", "), values.size(),
                     values.back());
}

Status CheckProduct(const ir::Node& node, const Product& p, ir::Strategy strategy) {
  const bool unrolled = strategy == ir::Strategy::kResourceUnrolled;
  if (unrolled && p.reuse_factor == 1) {
    return Error(fmt::format(
        "layer '{}': Strategy ResourceUnrolled needs {} > 1 (hls4ml switches to Resource "
        "instead); use Strategy Resource or a larger reuse factor",
        node.name, p.key));
  }
  std::vector<int64_t> valid = ValidReuseFactors(p.n_in, p.n_out);
  if (unrolled && !valid.empty() && valid.back() == p.n_in * p.n_out) valid.pop_back();
  if (std::binary_search(valid.begin(), valid.end(), p.reuse_factor)) return Status::Ok();
  if (valid.empty()) {
    return Error(fmt::format(
        "layer '{}': {} {} is not valid for Strategy {} (a {} x {} product) and no value is",
        node.name, p.key, p.reuse_factor, StrategyName(strategy), p.n_in, p.n_out));
  }
  return Error(
      fmt::format("layer '{}': {} {} is not valid for Strategy {} (a {} x {} product; hls4ml would "
                  "silently use {}); valid values: {}",
                  node.name, p.key, p.reuse_factor, StrategyName(strategy), p.n_in, p.n_out,
                  Closest(valid, p.reuse_factor), List(valid)));
}

Status CheckNode(const ir::Node& node, const ReuseFactorOptions& options) {
  const std::vector<Product> products = Products(node);
  if (products.empty()) return Status::Ok();
  const ir::Strategy strategy = node.settings.strategy;
  const ir::OpKind kind = node.kind();
  const bool dense_or_conv = kind == ir::OpKind::kDense || kind == ir::OpKind::kConv;
  const bool depthwise = kind == ir::OpKind::kDepthwiseConv || kind == ir::OpKind::kSeparableConv;
  switch (strategy) {
    case ir::Strategy::kLatency:
      return Status::Ok();
    case ir::Strategy::kDistributedArithmetic:
      if (!dense_or_conv) {
        return Error(fmt::format(
            "layer '{}': Strategy DistributedArithmetic is available for Dense and Conv layers "
            "only (hls4ml uses Latency for this one)",
            node.name));
      }
      if (node.settings.reuse_factor != 1) {
        return Error(
            fmt::format("layer '{}': Strategy DistributedArithmetic needs ReuseFactor 1, found {}",
                        node.name, node.settings.reuse_factor));
      }
      return Status::Ok();
    case ir::Strategy::kResourceUnrolled:
      if (depthwise) {
        return Error(fmt::format(
            "layer '{}': Strategy ResourceUnrolled is not available for depthwise and separable "
            "convolutions (hls4ml uses Latency for them); use Resource or Latency",
            node.name));
      }
      if (kind == ir::OpKind::kConv && !options.io_stream) {
        return Error(fmt::format(
            "layer '{}': Strategy ResourceUnrolled is not available for convolutions with "
            "io_parallel (hls4ml uses Resource instead); use Resource, or io_stream",
            node.name));
      }
      break;
    case ir::Strategy::kResource:
      break;
  }
  for (const Product& p : products) {
    if (Status s = CheckProduct(node, p, strategy); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

std::vector<int64_t> ValidReuseFactors(int64_t n_in, int64_t n_out) {
  std::vector<int64_t> out;
  if (n_in < 1 || n_out < 1) return out;
  const int64_t total = n_in * n_out;
  auto valid = [&](int64_t rf) {
    const int64_t mult_factor = std::min(n_in, rf);
    const int64_t multiplier_limit = (total + mult_factor - 1) / mult_factor;
    return (multiplier_limit % n_out == 0 || rf >= n_in) && (rf % n_in == 0 || rf < n_in);
  };
  for (int64_t d = 1; d * d <= total; ++d) {
    if (total % d != 0) continue;
    if (valid(d)) out.push_back(d);
    const int64_t other = total / d;
    if (other != d && valid(other)) out.push_back(other);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status ValidateReuseFactors(const ir::Graph& graph, const ReuseFactorOptions& options) {
  for (const ir::Node& node : graph.nodes()) {
    if (Status s = CheckNode(node, options); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace fixnn::passes
