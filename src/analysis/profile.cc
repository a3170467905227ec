#include "analysis/profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

#include "fixed/fixed_value.h"
#include "reference/reference_executor.h"

namespace fixnn::analysis {
namespace {

class Accumulator {
 public:
  explicit Accumulator(int64_t keep) : keep_(keep) {}
  void Add(std::span<const double> values) {
    for (double v : values) {
      if (stats_.count == 0) stats_.min = stats_.max = v;
      stats_.min = std::min(stats_.min, v);
      stats_.max = std::max(stats_.max, v);
      ++stats_.count;
      if (v != 0) {
        ++stats_.abs.nonzero;
        if (static_cast<int64_t>(kept_.size()) < keep_) kept_.push_back(std::abs(v));
      }
    }
  }
  ValueStats Finish() {
    ValueStats s = stats_;
    if (!kept_.empty()) {
      std::sort(kept_.begin(), kept_.end());
      auto at = [this](double q) {
        const double pos = q * static_cast<double>(kept_.size() - 1);
        const size_t lo = static_cast<size_t>(std::floor(pos));
        const size_t hi = std::min(lo + 1, kept_.size() - 1);
        return kept_[lo] + (kept_[hi] - kept_[lo]) * (pos - static_cast<double>(lo));
      };
      s.abs.min = kept_.front();
      s.abs.q1 = at(0.25);
      s.abs.median = at(0.5);
      s.abs.q3 = at(0.75);
      s.abs.max = std::max(std::abs(stats_.min), std::abs(stats_.max));
    }
    return s;
  }

 private:
  int64_t keep_;
  ValueStats stats_;
  std::vector<double> kept_;
};

// Per node output: "node#k".
class StatsSink : public reference::TraceSink {
 public:
  explicit StatsSink(int64_t keep) : keep_(keep) {}
  void OnNode(int64_t, const ir::Node& node,
              const std::vector<std::span<const double>>& outputs) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t k = 0; k < outputs.size(); ++k) {
      auto [it, fresh] = acc_.try_emplace(Key(node.name, k), keep_);
      it->second.Add(outputs[k]);
    }
  }
  std::optional<ValueStats> Take(const std::string& node, size_t k) {
    auto it = acc_.find(Key(node, k));
    if (it == acc_.end()) return std::nullopt;
    return it->second.Finish();
  }

 private:
  static std::string Key(const std::string& node, size_t k) {
    return node + "#" + std::to_string(k);
  }
  int64_t keep_;
  std::mutex mutex_;
  std::map<std::string, Accumulator> acc_;
};

void SetType(TensorProfile& p, const ir::Precision& precision) {
  if (!precision.type) return;
  p.type = *precision.type;
  p.type_min = fixed::FixedValue::FromMantissa(*p.type, fixed::MinMantissa(*p.type)).ToDouble();
  p.type_max = fixed::FixedValue::FromMantissa(*p.type, fixed::MaxMantissa(*p.type)).ToDouble();
}

std::string Range(double lo, double hi) { return fmt::format("[{:.6g}, {:.6g}]", lo, hi); }

}  // namespace

int IntegerBitsNeeded(double min, double max, bool is_signed) {
  // The smallest I with -2^(I-1) <= min and max < 2^(I-1) (signed), or max < 2^I (unsigned).
  const double m = std::max(std::abs(min), std::abs(max));
  if (m == 0) return is_signed ? 1 : 0;
  int bits = static_cast<int>(std::floor(std::log2(m))) + 1;  // max < 2^bits
  if (is_signed) {
    ++bits;
    // -2^(I-1) itself is representable: one bit fewer when the negative end alone needs it.
    if (-min == std::ldexp(1.0, bits - 2) && max < std::ldexp(1.0, bits - 2)) --bits;
  }
  return bits;
}

bool TensorProfile::fits() const {
  if (!type || float_values.count == 0) return true;
  return float_values.min >= type_min && float_values.max <= type_max;
}

Result<ModelProfile> ProfileModel(const ir::Graph& configured,
                                  const std::vector<emulator::Batch>& inputs,
                                  const ProfileOptions& options) {
  Result<int64_t> samples = reference::CheckBatches(configured, inputs);
  if (!samples.ok()) return samples.error();
  Result<emulator::Emulator> emu = emulator::Emulator::Create(configured);
  if (!emu.ok()) return emu.error();
  StatsSink fixed_sink(options.max_kept_values);
  emulator::OverflowReport overflows;
  Result<std::vector<emulator::Batch>> fixed_out = emu->Run(inputs, &fixed_sink, &overflows);
  if (!fixed_out.ok()) return fixed_out.error();
  StatsSink float_sink(options.max_kept_values);
  Result<std::vector<reference::Batch>> float_out =
      reference::RunReference(configured, inputs, &float_sink);
  if (!float_out.ok()) return float_out.error();
  const emulator::OverflowReport& setup = emu->setup_overflows();

  ModelProfile profile;
  profile.samples = *samples;
  profile.fixed_outputs = std::move(fixed_out).value();
  profile.float_outputs = std::move(float_out).value();
  for (const ir::Node& node : configured.nodes()) {
    for (const ir::Weight& w : node.weights) {
      TensorProfile p;
      p.layer = node.name;
      p.tensor = w.name;
      p.kind = "weight";
      SetType(p, w.precision);
      Accumulator acc(options.max_kept_values);
      acc.Add(w.values);
      p.float_values = acc.Finish();
      if (const emulator::CastSite* site = setup.Find(node.name, "weight:" + w.name)) {
        p.out_of_range = site->out_of_range();
      }
      p.integer_bits_needed =
          IntegerBitsNeeded(p.float_values.min, p.float_values.max, !p.type || p.type->is_signed);
      profile.tensors.push_back(std::move(p));
    }
    int64_t node_out_of_range = 0;
    for (const emulator::NodeOverflows& n : overflows.nodes) {
      if (n.node != node.name) continue;
      for (const emulator::CastSite& s : n.sites) node_out_of_range += s.out_of_range();
    }
    for (size_t k = 0; k < node.outputs.size(); ++k) {
      TensorProfile p;
      p.layer = node.name;
      p.tensor = node.outputs[k];
      p.kind = "output";
      if (const ir::Tensor* t = configured.FindTensor(node.outputs[k])) SetType(p, t->precision);
      p.float_values = float_sink.Take(node.name, k).value_or(ValueStats{});
      p.fixed_values = fixed_sink.Take(node.name, k).value_or(ValueStats{});
      p.integer_bits_needed =
          IntegerBitsNeeded(p.float_values.min, p.float_values.max, !p.type || p.type->is_signed);
      p.out_of_range = node_out_of_range;
      profile.tensors.push_back(std::move(p));
    }
  }
  return profile;
}

std::string FormatProfile(const ModelProfile& profile) {
  std::vector<std::vector<std::string>> rows = {{"layer", "tensor", "type", "type range",
                                                 "float range", "fixed range", "I", "out of range",
                                                 ""}};
  for (const TensorProfile& p : profile.tensors) {
    rows.push_back({p.layer, p.kind == "weight" ? p.tensor : "out",
                    p.type ? p.type->ToString() : "-", p.type ? Range(p.type_min, p.type_max) : "-",
                    Range(p.float_values.min, p.float_values.max),
                    p.kind == "weight" || p.fixed_values.count == 0
                        ? "-"
                        : Range(p.fixed_values.min, p.fixed_values.max),
                    std::to_string(p.integer_bits_needed), std::to_string(p.out_of_range),
                    p.fits() ? "" : "<- float range outside the type"});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string s = fmt::format(
      "{} samples; float: the model in floating point; fixed: as the chip computes it\n",
      profile.samples);
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      const bool right = c == 6 || c == 7;  // the counts
      line += right ? fmt::format("{:>{}}  ", row[c], width[c])
                    : fmt::format("{:<{}}  ", row[c], width[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    s += line + "\n";
  }
  s += "I: integer bits (sign included) a type needs to hold the float range; out of range: "
       "fixed-point values that wrapped or saturated at the layer's casts.\n";
  return s;
}

}  // namespace fixnn::analysis
