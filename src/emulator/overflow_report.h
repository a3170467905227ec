// How many values left the range of their type, per node and per cast site: what wrapped or
// saturated (by the type's overflow mode) during a run, or while the weights and tables were
// stored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fixed/fixed_type.h"

namespace fixnn::emulator {

// One place where a node assigns values to a type.
//   run sites:   "input" (the input conversion), "bias", "product", "accum", "result" (Dense,
//                Conv; SeparableConv adds "depthwise_product", "depthwise_accum",
//                "depthwise_result");
//                "result" (activations, Quantize); "norm", "exp", "sum", "inv_inp",
//                "result" (Softmax)
//   setup sites: "weight:<name>", "param", "table", "exp_table", "inv_table"
struct CastSite {
  std::string site;
  fixed::FixedType type;  // the type cast into
  int64_t casts = 0;      // values cast here
  int64_t overflow = 0;   // values above the type's maximum
  int64_t underflow = 0;  // values below its minimum (or onto it under AP_SAT_SYM)
  int64_t out_of_range() const { return overflow + underflow; }
};

struct NodeOverflows {
  std::string node;
  std::vector<CastSite> sites;
};

struct OverflowReport {
  int64_t samples = 0;               // samples run (0 for the setup report)
  std::vector<NodeOverflows> nodes;  // graph order; nodes without cast sites are left out

  // Values out of range over every node and site.
  int64_t total() const;
  // The site, or nullptr.
  const CastSite* Find(const std::string& node, const std::string& site) const;
  // Adds another report of the same emulator (samples and counts).
  void Add(const OverflowReport& other);
  // One line per site with a nonzero count: "dense_1 accum ap_fixed<12,4>: 31 above, 2 below
  // (of 8000)".
  std::string ToString() const;
};

}  // namespace fixnn::emulator
