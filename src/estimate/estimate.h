// Resource and latency estimates of a configured graph, per layer and for the whole model,
// from the hls4ml tutorial's rules (multipliers = products / ReuseFactor; layer latency =
// L_mult + (ReuseFactor - 1) x II_mult + L_activ) and the cost rules of hardware_model.h.
// Every figure is an estimate: it sits beside a parsed synthesis report (hls_reports) with
// the same Resources / Latency fields, and is labelled as an estimate wherever it is printed.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "backends/hls_reports/synthesis_report.h"
#include "config/project_config.h"
#include "estimate/hardware_model.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::estimate {

// Multiplications per inference (recurrent layers: every time step; convolutions: every
// output position), split by what they need in hardware.
struct MultiplyCounts {
  int64_t total = 0;
  int64_t zero = 0;          // zero weights: no multiplier, no adder input
  int64_t power_of_two = 0;  // +-2^k weights: a shift
  int64_t binary = 0;        // weights of at most 2 bits (binary/ternary): a select or negate
  int64_t real = 0;          // the rest: a multiplier (DSP or LUT)
};

struct LayerEstimate {
  std::string name;
  std::string op;        // "Dense", "Recurrent(GRU)", ...
  std::string strategy;  // "Latency", "Resource", ... ("" for layers without products)
  int64_t reuse_factor = 1;
  int64_t timesteps = 1;  // recurrent: time steps; convolutions: output positions
  MultiplyCounts multiplications;
  int64_t multipliers = 0;      // multiplier instances in hardware (after the reuse factor)
  int64_t dsp_multipliers = 0;  // of those, on DSPs
  int64_t lut_multipliers = 0;  // of those, in LUTs
  int dsps_per_multiplier = 0;  // the widest product's DSP count (0: LUTs)
  int64_t bops = 0;             // bit operations per inference
  backends::hls_reports::Resources resources;  // used counts only
  backends::hls_reports::Latency latency;      // cycles and interval
  // Assumptions that apply to this layer, e.g. types taken from the Model default.
  std::vector<std::string> notes;
};

struct ModelEstimate {
  static constexpr bool kIsEstimate = true;
  std::string model;
  std::string part;
  double clock_period_ns = 5.0;
  std::string io_type;  // "io_parallel", "io_stream"
  MultiplyCounts multiplications;
  int64_t multipliers = 0;
  int64_t bops = 0;
  backends::hls_reports::Resources resources;
  backends::hls_reports::Latency latency;
  std::vector<LayerEstimate> layers;
  std::vector<std::string> notes;  // the model and rules used
};

struct EstimateOptions {
  // Unset: DeviceFor(project.part).
  std::optional<DeviceModel> device;
  LatencyModel latency;
};

// Estimates a graph that passes::Configure configured (types, settings, weight classes).
// Types a layer lacks come from the project's HLSConfig.Model default precision (else
// ap_fixed<16,6>), noted on the layer. Errors name the layer: a multiplying layer whose input
// shape is unknown.
Result<ModelEstimate> Estimate(const ir::Graph& graph, const config::ProjectConfig& project,
                               const EstimateOptions& options = {});

// A text table: one row per layer (multiplications, multipliers, DSP, LUT, FF, BRAM_18K,
// latency, II, BOPs) and the totals, headed "Estimate (not a synthesis result)".
std::string FormatEstimate(const ModelEstimate& estimate);

// The estimate as JSON: {"estimate": true, "model", "part", "clock_period_ns", "io_type",
// "latency", "resources", "multiplications", "multipliers", "bops", "layers": [...],
// "notes"}; latency and resources use hls_reports::ToJson's field names.
nlohmann::json ToJson(const ModelEstimate& estimate);

// The estimate as a SynthesisReport (format "fixnn estimate", one module row per layer: module
// the layer name, instance its op), so that hls_reports::FormatReport and ToJson show it in the
// report's own layout.
backends::hls_reports::SynthesisReport ToSynthesisReport(const ModelEstimate& estimate);

}  // namespace fixnn::estimate
