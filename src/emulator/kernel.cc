#include "emulator/kernel.h"

#include <fmt/format.h>

namespace fixnn::emulator {

Error BuildContext::Fail(const std::string& what) const {
  const ir::Node& n = node();
  return Error(fmt::format("layer '{}' ({}): {}", n.name, ir::OpName(n.kind()), what));
}

Error BuildContext::NotHandled(const std::string& what) const {
  return Fail(fmt::format("the emulator does not handle {} yet", what));
}

Status BuildContext::CheckOneInOneOut() const {
  const ir::Node& n = node();
  if (n.inputs.size() != 1 || n.outputs.size() != 1) {
    return Fail("expected one input and one output");
  }
  if (n.output_quantizer) {
    return NotHandled(fmt::format("an output quantizer on {}", ir::OpName(n.kind())));
  }
  return Status::Ok();
}

CastPlan BuildContext::Plan(const fixed::FixedType& from, const fixed::FixedType& to) {
  CastPlan plan(from, to);
  if (!plan.fast()) all_fast_ = false;
  return plan;
}

void BuildContext::NoteType(const fixed::FixedType& t) {
  if (!fixed::FitsInt64Mantissa(t)) all_fast_ = false;
}

int BuildContext::AddRunSite(const std::string& site, const fixed::FixedType& type,
                             int64_t casts_per_sample, int64_t constant_overflow,
                             int64_t constant_underflow) {
  run_sites_.push_back(
      {node_, site, type, casts_per_sample, constant_overflow, constant_underflow});
  return static_cast<int>(run_sites_.size()) - 1;
}

void BuildContext::AddSetupSite(const std::string& site, const fixed::FixedType& type,
                                int64_t casts, const fixed::OverflowCounts& counts) {
  const std::string& name = node().name;
  if (setup_.nodes.empty() || setup_.nodes.back().node != name) {
    setup_.nodes.push_back({name, {}});
  }
  setup_.nodes.back().sites.push_back({site, type, casts, counts.overflow, counts.underflow});
}

int BuildContext::AddScratch(int64_t size) {
  scratch_sizes_.push_back(size);
  return static_cast<int>(scratch_sizes_.size()) - 1;
}

}  // namespace fixnn::emulator
