#include "backends/hls/cpp_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace fixnn::backends::hls {

std::string TypeName(const fixed::FixedType& t, bool fixed_form) {
  if (!fixed_form || !t.integer_spelling) return t.ToString();
  fixed::FixedType f = t;
  f.integer_spelling = false;
  return f.ToString();
}

Result<std::string> ExactLiteral(const fixed::FixedValue& v) {
  const double d = v.ToDouble();
  fixed::CastEvents events;
  Result<fixed::FixedValue> back = fixed::Quantize(d, v.type(), &events);
  if (!back.ok() || events.inexact || events.out_of_range() ||
      !(back->mantissa() == v.mantissa())) {
    return Error(
        fmt::format("the value {} of {} has no exact double", v.ToString(), v.type().ToString()));
  }
  if (d == 0.0) return std::string("0");  // never "-0"
  return fmt::format("{}", d);
}

bool IsCIdentifier(std::string_view name) {
  static constexpr std::array<std::string_view, 40> kKeywords = {
      "alignas", "auto",      "bool",    "break",    "case",     "catch",  "char",     "class",
      "const",   "continue",  "default", "delete",   "do",       "double", "else",     "enum",
      "extern",  "false",     "float",   "for",      "goto",     "if",     "inline",   "int",
      "long",    "namespace", "new",     "operator", "private",  "return", "short",    "signed",
      "sizeof",  "static",    "struct",  "switch",   "template", "true",   "unsigned", "void"};
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  if (!std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
      })) {
    return false;
  }
  return std::find(kKeywords.begin(), kKeywords.end(), name) == kKeywords.end();
}

}  // namespace fixnn::backends::hls
