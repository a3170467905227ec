// What the HLS writer's tests share: fixtures loaded and configured under named
// configurations (as the emulator's interop matrix names them), random inputs, and a fresh
// scratch folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "reference/reference_executor.h"
#include "support/result.h"

namespace fixnn::backends::hls::testing {

// The model is loaded with Concatenates and Merges of more than two inputs split into chains
// of two-input ones. Configurations, applied to hls4ml's default (config_from_keras_model,
// granularity 'name'):
//   default          unchanged
//   rnd_sat          every layer's result fixed<12,4,RND,SAT>
//   softmax_stable   rnd_sat, softmax layers stable with 512-entry tables
//   softmax_latency  rnd_sat, softmax layers latency with 512-entry tables
//   softmax_legacy   rnd_sat, softmax layers legacy with 512-entry tables
//   resource_sat     rnd_sat, Dense and Conv layers Resource with the smallest reuse factor
//                    above 1 dividing n_in (a Conv's: kernel size x channels), accum
//                    fixed<10,3,RND,SAT>
//   resource_big_rf  Dense layers Resource with reuse factor n_in * 2 where that divides
//                    n_in * n_out (else n_in), Conv layers with n_in, accum fixed<10,3,RND,SAT>
//   exponent_products          default, but QKeras quantized_po2 kernels multiply as hls4ml's
//                              weight_exponential (passes::ConfigureOptions::Hls4ml() as is)
//   exponent_products_rnd_sat  rnd_sat, the same
// The other configurations multiply power-of-two kernels exactly.
// A fixture name ending in ".cut" (k3_conv1d.cut) is the model without the layers the emulator
// (or the configuration) refuses under the default configuration and the layers after them;
// the tensors those layers read become outputs.
Result<ir::Graph> LoadFixture(const std::string& fixture, const std::string& config);

// The fixture's folder (tests/data/keras/<fixture>).
std::filesystem::path FixtureDir(const std::string& fixture);

// n samples per graph input: normal values whose scale varies per sample (0.25 to 48),
// rounded to float32, seeded.
std::vector<reference::Batch> RandomInputs(const ir::Graph& graph, int64_t n, uint32_t seed);

// A new empty folder under the system's temporary folder.
std::filesystem::path ScratchDir(const std::string& tag);

}  // namespace fixnn::backends::hls::testing
