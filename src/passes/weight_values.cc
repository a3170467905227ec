#include "passes/weight_values.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fixed/fixed_value.h"

namespace fixnn::passes {

using fixed::FixedType;
using fixed::WideInt;

Result<fixed::FixedValue> Hls4mlStoredValue(double value, const FixedType& t,
                                            fixed::CastEvents* events) {
  if (std::isfinite(value)) {
    const double scaled = std::ldexp(value, -t.lsb_exponent());
    if (scaled == std::nearbyint(scaled)) return fixed::Quantize(value, t, events);
    const int decimals = std::max(0, t.frac_bits());
    const int size = std::snprintf(nullptr, 0, "%.*f", decimals, value);
    std::string text(static_cast<size_t>(size) + 1, '\0');
    std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
    value = std::strtod(text.c_str(), nullptr);
  }
  return fixed::Quantize(value, t, events);
}

namespace {

Result<WideInt> Mantissa(double v, const FixedType& t) {
  Result<fixed::FixedValue> q = Hls4mlStoredValue(v, t);
  if (!q.ok()) return q.error();
  return q->mantissa();
}

}  // namespace

Result<StoredValues> StoredWeightValues(const ir::Weight& weight) {
  const ir::Precision& p = weight.precision;
  if (!p.is_set()) {
    return Error(fmt::format("weight '{}' has no configured precision", weight.name));
  }
  std::vector<double> values = weight.values;
  if (weight.quantizer) ir::ApplyQuantizer(*weight.quantizer, values);
  StoredValues out;
  out.mantissas.resize(values.size());
  auto fail = [&](const Error& e) {
    return Error(fmt::format("weight '{}': {}", weight.name, e.message()));
  };
  if (p.type) {
    const FixedType& t = *p.type;
    out.lsb_exponent = t.lsb_exponent();
    for (size_t k = 0; k < values.size(); ++k) {
      Result<WideInt> m = Mantissa(values[k], t);
      if (!m.ok()) return fail(m.error());
      out.mantissas[k] = *m;
    }
    return out;
  }
  const ir::ElementTypes& e = *p.per_element;
  if (e.types.empty()) return fail(Error("the per-element precision holds no types"));
  out.lsb_exponent = e.types.front().lsb_exponent();
  for (const FixedType& t : e.types)
    out.lsb_exponent = std::min(out.lsb_exponent, t.lsb_exponent());
  for (size_t k = 0; k < values.size(); ++k) {
    const size_t i = k % e.types.size();
    if (!e.always_zero.empty() && e.always_zero[i % e.always_zero.size()]) continue;
    const FixedType& t = e.types[i];
    Result<WideInt> m = Mantissa(values[k], t);
    if (!m.ok()) return fail(m.error());
    bool lost = false;
    out.mantissas[k] = m->ShiftLeft(t.lsb_exponent() - out.lsb_exponent, &lost);
    if (lost) return fail(Error("the element types span more than 318 bits"));
  }
  return out;
}

}  // namespace fixnn::passes
