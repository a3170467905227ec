#include "passes/cell_kernel_weights.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ir/quantizer.h"

namespace fixnn::passes {

Result<ir::Weight> CellKernelAsStored(const ir::Weight& w) {
  const ir::Quantizer* q = w.quantizer ? &*w.quantizer : nullptr;
  if (q == nullptr ||
      std::all_of(q->scale.begin(), q->scale.end(), [](double s) { return s == 1.0; })) {
    return w;
  }
  if (q->per_element || !w.precision.type || !(*w.precision.type == q->type)) {
    return Error(fmt::format(
        "weight '{}' with a quantizer scale (alpha) and a type other than its quantizer's",
        w.name));
  }
  int e_min = 0, e_max = 0;
  for (size_t k = 0; k < q->scale.size(); ++k) {
    int e = 0;
    if (std::frexp(q->scale[k], &e) != 0.5) {
      return Error(
          fmt::format("weight '{}' with a quantizer scale {} (alpha) that is not a power of two",
                      w.name, q->scale[k]));
    }
    e_min = k == 0 ? e - 1 : std::min(e_min, e - 1);
    e_max = k == 0 ? e - 1 : std::max(e_max, e - 1);
  }
  fixed::FixedType t = q->type;
  t.width += e_max - e_min;
  t.integer += e_max;
  if (t.width > fixed::kMaxWidth) {
    return Error(fmt::format("weight '{}': its scaled values need {} bits", w.name, t.width));
  }
  ir::Weight exact = w;
  exact.quantizer.reset();
  ir::ApplyQuantizer(*q, exact.values);
  exact.precision = {};
  exact.precision.type = t;
  return exact;
}

}  // namespace fixnn::passes
