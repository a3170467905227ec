#include "emulator/hls4ml_weights.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace fixnn::emulator {

std::string FormatDecimals(double value, int decimals) {
  const int size = std::snprintf(nullptr, 0, "%.*f", decimals, value);
  std::string text(static_cast<size_t>(size) + 1, '\0');
  std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
  text.resize(static_cast<size_t>(size));
  return text;
}

Result<fixed::FixedValue> StoreThroughText(double value, const fixed::FixedType& t,
                                           fixed::CastEvents* events) {
  const std::string text = FormatDecimals(value, std::max(0, t.frac_bits()));
  const double parsed = std::strtod(text.c_str(), nullptr);
  return fixed::Quantize(parsed, t, events);
}

Result<std::vector<fixed::WideInt>> StoreArrayThroughText(std::span<const double> values,
                                                          const fixed::FixedType& t,
                                                          fixed::OverflowCounts* counts) {
  std::vector<fixed::WideInt> out;
  out.reserve(values.size());
  for (size_t k = 0; k < values.size(); ++k) {
    fixed::CastEvents ev;
    Result<fixed::FixedValue> v = StoreThroughText(values[k], t, &ev);
    if (!v.ok()) return v.error().WithContext(fmt::format("element {}", k));
    if (counts != nullptr) {
      counts->overflow += ev.overflow;
      counts->underflow += ev.underflow;
    }
    out.push_back(v->mantissa());
  }
  return out;
}

}  // namespace fixnn::emulator
