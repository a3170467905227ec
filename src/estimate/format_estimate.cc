// FormatEstimate, ToJson and ToSynthesisReport.
#include <fmt/format.h>

#include "estimate/estimate.h"

namespace fixnn::estimate {
namespace {

using backends::hls_reports::Latency;
using backends::hls_reports::ResourceKind;
using backends::hls_reports::Resources;

template <typename T>
nlohmann::json OrNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// The same fields as hls_reports::ToJson writes.
nlohmann::json LatencyJson(const Latency& l) {
  return {{"min_cycles", OrNull(l.min_cycles)},
          {"max_cycles", OrNull(l.max_cycles)},
          {"min_ns", OrNull(l.min_ns)},
          {"max_ns", OrNull(l.max_ns)},
          {"interval_min", OrNull(l.interval_min)},
          {"interval_max", OrNull(l.interval_max)},
          {"pipeline_type", l.pipeline_type}};
}

nlohmann::json ResourcesJson(const Resources& r) {
  nlohmann::json out = nlohmann::json::object();
  for (ResourceKind kind : backends::hls_reports::kResourceKinds) {
    out[std::string(backends::hls_reports::ResourceName(kind))] = {
        {"used", OrNull(r[kind].used)},
        {"available", OrNull(r[kind].available)},
        {"percent", OrNull(r[kind].percent)}};
  }
  return out;
}

nlohmann::json CountsJson(const MultiplyCounts& c) {
  return {{"total", c.total},
          {"zero", c.zero},
          {"power_of_two", c.power_of_two},
          {"binary", c.binary},
          {"real", c.real}};
}

std::string Used(const Resources& r, ResourceKind kind) {
  return r[kind].used ? std::to_string(*r[kind].used) : "-";
}

std::string Cycles(const Latency& l) { return l.max_cycles ? std::to_string(*l.max_cycles) : "?"; }

std::string Interval(const Latency& l) {
  return l.interval_max ? std::to_string(*l.interval_max) : "?";
}

}  // namespace

std::string FormatEstimate(const ModelEstimate& e) {
  std::string out = fmt::format("Estimate (not a synthesis result): {}\n",
                                e.model.empty() ? "(unnamed model)" : e.model);
  out += fmt::format("  part {}, clock {} ns, {}\n", e.part.empty() ? "(default)" : e.part,
                     e.clock_period_ns, e.io_type);
  out += fmt::format("  latency {} cycles ({:.3f} ns), interval {} cycles\n", Cycles(e.latency),
                     e.latency.max_ns.value_or(0.0), Interval(e.latency));
  const std::string header = fmt::format(
      "{:<20} {:<22} {:>4} {:>9} {:>9} {:>7} {:>6} {:>8} {:>8} {:>5} {:>7} {:>5} {:>12}", "layer",
      "op", "RF", "mults", "real", "multip.", "DSP", "LUT", "FF", "BRAM", "latency", "II", "BOPs");
  out += header + "\n" + std::string(header.size(), '-') + "\n";
  for (const LayerEstimate& l : e.layers) {
    out += fmt::format(
        "{:<20} {:<22} {:>4} {:>9} {:>9} {:>7} {:>6} {:>8} {:>8} {:>5} {:>7} {:>5} {:>12}\n",
        l.name, l.op, l.reuse_factor, l.multiplications.total, l.multiplications.real,
        l.multipliers, Used(l.resources, ResourceKind::kDsp), Used(l.resources, ResourceKind::kLut),
        Used(l.resources, ResourceKind::kFf), Used(l.resources, ResourceKind::kBram18k),
        Cycles(l.latency), Interval(l.latency), l.bops);
  }
  out += std::string(header.size(), '-') + "\n";
  out += fmt::format(
      "{:<20} {:<22} {:>4} {:>9} {:>9} {:>7} {:>6} {:>8} {:>8} {:>5} {:>7} {:>5} {:>12}\n", "total",
      "", "", e.multiplications.total, e.multiplications.real, e.multipliers,
      Used(e.resources, ResourceKind::kDsp), Used(e.resources, ResourceKind::kLut),
      Used(e.resources, ResourceKind::kFf), Used(e.resources, ResourceKind::kBram18k),
      Cycles(e.latency), Interval(e.latency), e.bops);
  for (const LayerEstimate& l : e.layers) {
    for (const std::string& note : l.notes) out += fmt::format("  {}: {}\n", l.name, note);
  }
  for (const std::string& note : e.notes) out += fmt::format("  note: {}\n", note);
  return out;
}

nlohmann::json ToJson(const ModelEstimate& e) {
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerEstimate& l : e.layers) {
    layers.push_back({{"name", l.name},
                      {"op", l.op},
                      {"strategy", l.strategy},
                      {"reuse_factor", l.reuse_factor},
                      {"timesteps", l.timesteps},
                      {"multiplications", CountsJson(l.multiplications)},
                      {"multipliers", l.multipliers},
                      {"dsp_multipliers", l.dsp_multipliers},
                      {"lut_multipliers", l.lut_multipliers},
                      {"dsps_per_multiplier", l.dsps_per_multiplier},
                      {"bops", l.bops},
                      {"latency", LatencyJson(l.latency)},
                      {"resources", ResourcesJson(l.resources)},
                      {"notes", l.notes}});
  }
  return {{"estimate", ModelEstimate::kIsEstimate},
          {"model", e.model},
          {"part", e.part},
          {"clock_period_ns", e.clock_period_ns},
          {"io_type", e.io_type},
          {"latency", LatencyJson(e.latency)},
          {"resources", ResourcesJson(e.resources)},
          {"multiplications", CountsJson(e.multiplications)},
          {"multipliers", e.multipliers},
          {"bops", e.bops},
          {"layers", layers},
          {"notes", e.notes}};
}

backends::hls_reports::SynthesisReport ToSynthesisReport(const ModelEstimate& e) {
  backends::hls_reports::SynthesisReport r;
  r.source = "fixnn estimate";
  r.format = "fixnn estimate";
  r.top_function = e.model;
  r.part = e.part;
  r.target_clock_ns = e.clock_period_ns;
  r.latency = e.latency;
  r.resources = e.resources;
  for (const LayerEstimate& l : e.layers) {
    backends::hls_reports::ModuleRow row;
    row.instance = l.op;
    row.module = l.name;
    row.latency = l.latency;
    row.resources = l.resources;
    r.modules.push_back(std::move(row));
  }
  return r;
}

}  // namespace fixnn::estimate
