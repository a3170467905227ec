#include "emulator/overflow_report.h"

#include <fmt/format.h>

namespace fixnn::emulator {

int64_t OverflowReport::total() const {
  int64_t n = 0;
  for (const NodeOverflows& node : nodes) {
    for (const CastSite& s : node.sites) n += s.out_of_range();
  }
  return n;
}

const CastSite* OverflowReport::Find(const std::string& node, const std::string& site) const {
  for (const NodeOverflows& n : nodes) {
    if (n.node != node) continue;
    for (const CastSite& s : n.sites) {
      if (s.site == site) return &s;
    }
  }
  return nullptr;
}

void OverflowReport::Add(const OverflowReport& other) {
  if (nodes.empty()) {
    *this = other;
    return;
  }
  samples += other.samples;
  for (size_t n = 0; n < nodes.size() && n < other.nodes.size(); ++n) {
    for (size_t s = 0; s < nodes[n].sites.size() && s < other.nodes[n].sites.size(); ++s) {
      CastSite& a = nodes[n].sites[s];
      const CastSite& b = other.nodes[n].sites[s];
      a.casts += b.casts;
      a.overflow += b.overflow;
      a.underflow += b.underflow;
    }
  }
}

std::string OverflowReport::ToString() const {
  std::string out;
  for (const NodeOverflows& n : nodes) {
    for (const CastSite& s : n.sites) {
      if (s.out_of_range() == 0) continue;
      out += fmt::format("{} {} {}: {} above, {} below (of {})\n", n.node, s.site,
                         s.type.ToString(), s.overflow, s.underflow, s.casts);
    }
  }
  return out;
}

}  // namespace fixnn::emulator
