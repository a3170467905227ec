// Spelling values and types as C++ text for the generated HLS code.
#pragma once

#include <string>
#include <string_view>

#include "fixed/fixed_type.h"
#include "fixed/fixed_value.h"
#include "support/result.h"

namespace fixnn::backends::hls {

// The vendor spelling of t ("ap_fixed<16,6>", "ap_ufixed<8,0,AP_RND,AP_SAT>", "ap_int<8>").
// With `fixed_form`, integer types are spelled as ap_fixed<W,W> / ap_ufixed<W,W>: the same
// values, but a double converts into them by t's rounding mode (ap_int truncates toward zero).
std::string TypeName(const fixed::FixedType& t, bool fixed_form = false);

// A decimal literal whose double is exactly v ("0.375", "-12", "1.52587890625e-05"), so that
// converting it into any type holding v gives v. An error when no double holds v exactly
// (more than 53 significant bits, or an exponent outside double's range).
Result<std::string> ExactLiteral(const fixed::FixedValue& v);

// Whether `name` is a C identifier that is no C++ keyword.
bool IsCIdentifier(std::string_view name);

}  // namespace fixnn::backends::hls
