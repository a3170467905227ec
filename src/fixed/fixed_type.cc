#include "fixed/fixed_type.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fixnn::fixed {
namespace {

constexpr std::array<std::string_view, 7> kRoundingNames = {
    "AP_TRN",         "AP_TRN_ZERO", "AP_RND",     "AP_RND_ZERO",
    "AP_RND_MIN_INF", "AP_RND_INF",  "AP_RND_CONV"};
constexpr std::array<std::string_view, 4> kOverflowNames = {"AP_WRAP", "AP_SAT", "AP_SAT_ZERO",
                                                            "AP_SAT_SYM"};
constexpr std::string_view kRoundingList =
    "AP_TRN, AP_TRN_ZERO, AP_RND, AP_RND_ZERO, AP_RND_MIN_INF, AP_RND_INF, AP_RND_CONV";
constexpr std::string_view kOverflowList = "AP_WRAP, AP_SAT, AP_SAT_ZERO, AP_SAT_SYM";
constexpr std::string_view kTypeList =
    "ap_fixed, ap_ufixed, ap_int, ap_uint, fixed, ufixed, int, uint";

// Quoted input and echoed words or numbers are cut short so that a megabyte of garbage does not end
// up in a log line.
constexpr std::size_t kMaxQuoted = 80;
constexpr std::size_t kMaxToken = 20;

struct TypeName {
  std::string_view name;
  bool is_signed;
  bool is_integer;
};
constexpr std::array<TypeName, 8> kTypeNames = {{{"ap_fixed", true, false},
                                                 {"ap_ufixed", false, false},
                                                 {"ap_int", true, true},
                                                 {"ap_uint", false, true},
                                                 {"fixed", true, false},
                                                 {"ufixed", false, false},
                                                 {"int", true, true},
                                                 {"uint", false, true}}};

// Parameter names in the order they appear in ap_fixed<W,I,Q,O,N>.
constexpr std::array<std::string_view, 5> kParamNames = {"width", "integer bits", "rounding mode",
                                                         "overflow mode", "saturation bits"};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

// Escapes control and non-ASCII bytes so that the message stays one printable line.
std::string Printable(std::string_view s, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (s.size() > max) out += "... (" + std::to_string(s.size()) + " characters)";
  return out;
}

std::string RangeMessage(std::string_view field, int lo, std::string_view hi,
                         std::string_view got) {
  return std::string(field) + " must be between " + std::to_string(lo) + " and " + std::string(hi) +
         ", got " + std::string(got);
}

std::string SatBitsLimit(int width) { return "the width (" + std::to_string(width) + ")"; }

// Matches a mode written with or without the AP_ prefix; returns the index or -1.
template <std::size_t kN>
int FindMode(const std::array<std::string_view, kN>& names, std::string_view word) {
  for (std::size_t i = 0; i < kN; ++i) {
    if (word == names[i] || word == names[i].substr(3)) return static_cast<int>(i);
  }
  return -1;
}

std::string Format(const FixedType& t, bool hls4ml) {
  std::string out = hls4ml ? "" : "ap_";
  if (!t.is_signed) out += 'u';
  const bool default_modes =
      t.rounding == Rounding::kTrn && t.overflow == Overflow::kWrap && t.sat_bits == 0;
  if (t.integer_spelling && default_modes && t.integer == t.width) {
    return out + "int<" + std::to_string(t.width) + ">";
  }
  out += "fixed<" + std::to_string(t.width) + "," + std::to_string(t.integer);
  if (!default_modes) {
    const std::size_t skip = hls4ml ? 3 : 0;
    out += "," + std::string(RoundingName(t.rounding).substr(skip));
    out += "," + std::string(OverflowName(t.overflow).substr(skip));
    if (t.sat_bits != 0) out += "," + std::to_string(t.sat_bits);
  }
  return out + ">";
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<FixedType> Parse() {
    SkipSpaces();
    if (AtEnd()) return Fail("the text is empty; expected a type such as ap_fixed<16,6>");
    const std::size_t name_pos = pos_;
    const std::string_view name = Identifier();
    if (name.empty()) return Expected("a type name (" + std::string(kTypeList) + ")");
    const TypeName* kind = nullptr;
    for (const TypeName& candidate : kTypeNames) {
      if (candidate.name == name) kind = &candidate;
    }
    if (kind == nullptr) {
      return Fail("unknown type name '" + Printable(name, kMaxToken) + "'" + At(name_pos) +
                  "; expected one of " + std::string(kTypeList));
    }
    name_ = name;
    SkipSpaces();
    if (!Consume('<')) return Expected("'<' after '" + std::string(name) + "'");

    FixedType t;
    t.is_signed = kind->is_signed;
    t.integer_spelling = kind->is_integer;
    Result<int> width = Number(0, 1, kMaxWidth, std::to_string(kMaxWidth));
    if (!width) return width.error();
    t.width = t.integer = *width;
    SkipSpaces();
    if (kind->is_integer) {
      if (Peek(',')) {
        return Fail(name_ + " takes a single parameter, the width, but found ','" + At(pos_));
      }
      if (!Consume('>')) return Expected("'>' after the width");
    } else {
      std::size_t count = 1;
      while (!Consume('>')) {
        if (!Peek(','))
          return Expected("',' or '>' after the " + std::string(kParamNames[count - 1]));
        if (count == kParamNames.size()) {
          return Fail("too many parameters: " + name_ +
                      " takes at most five (W,I,Q,O,N), but found another ','" + At(pos_));
        }
        ++pos_;
        Status param = ParseParam(count, t);
        if (!param.ok()) return param.error();
        ++count;
        SkipSpaces();
      }
      if (count == 1) {
        return Fail(name_ + " needs the integer bits after the width, as in " + name_ +
                    "<16,6>, but the list ends" + At(pos_ - 1));
      }
    }
    SkipSpaces();
    if (!AtEnd()) return Fail("unexpected " + Found() + " after the closing '>'" + At(pos_));
    return t;
  }

 private:
  Status ParseParam(std::size_t index, FixedType& t) {
    switch (index) {
      case 1: {
        Result<int> integer = Number(1, -kMaxIntegerMagnitude, kMaxIntegerMagnitude,
                                     std::to_string(kMaxIntegerMagnitude));
        if (!integer) return integer.error();
        t.integer = *integer;
        return Status::Ok();
      }
      case 2:
      case 3: {
        SkipSpaces();
        const std::size_t start = pos_;
        const std::string_view word = Identifier();
        const bool want_rounding = index == 2;
        const std::string_view list = want_rounding ? kRoundingList : kOverflowList;
        if (word.empty()) {
          return Expected("the " + std::string(kParamNames[index]) + " (one of " +
                          std::string(list) + ")");
        }
        const int rounding = FindMode(kRoundingNames, word);
        const int overflow = FindMode(kOverflowNames, word);
        if (want_rounding && rounding >= 0) {
          t.rounding = static_cast<Rounding>(rounding);
          return Status::Ok();
        }
        if (!want_rounding && overflow >= 0) {
          t.overflow = static_cast<Overflow>(overflow);
          return Status::Ok();
        }
        const std::string quoted = "'" + Printable(word, kMaxToken) + "'" + At(start);
        if (word == "AP_WRAP_SM" || word == "WRAP_SM") {
          return Fail("overflow mode " + quoted + " is not supported; use one of " +
                      std::string(kOverflowList));
        }
        if (want_rounding ? overflow >= 0 : rounding >= 0) {
          return Fail(quoted + " is " + (want_rounding ? "an overflow" : "a rounding") +
                      " mode, but parameter " + std::to_string(index + 1) + " of " + name_ +
                      "<W,I,Q,O,N> is the " + std::string(kParamNames[index]));
        }
        return Fail(std::string("unknown ") + (want_rounding ? "rounding" : "overflow") + " mode " +
                    quoted + "; expected one of " + std::string(list) +
                    " (the AP_ prefix is optional)");
      }
      default: {
        Result<int> sat_bits = Number(4, 0, t.width, SatBitsLimit(t.width));
        if (!sat_bits) return sat_bits.error();
        t.sat_bits = *sat_bits;
        return Status::Ok();
      }
    }
  }

  // Reads an optionally signed decimal number for parameter `index` and checks it against
  // [lo, hi]; `hi_text` is how the upper limit is described in the message.
  Result<int> Number(std::size_t index, int lo, int hi, const std::string& hi_text) {
    SkipSpaces();
    const std::size_t start = pos_;
    std::string literal;
    if (Peek('-') || Peek('+')) {
      if (text_[pos_] == '-') literal = "-";
      ++pos_;
      SkipSpaces();
    }
    if (AtEnd() || !IsDigit(text_[pos_])) {
      pos_ = start;
      return Expected("the " + std::string(kParamNames[index]) + " (a whole number)");
    }
    // Saturating at 10^12 keeps the arithmetic exact for any realistic value while still
    // failing the range check for absurdly long digit strings.
    std::int64_t value = 0;
    for (; !AtEnd() && IsDigit(text_[pos_]); ++pos_) {
      literal += text_[pos_];
      if (value < 1'000'000'000'000) value = value * 10 + (text_[pos_] - '0');
    }
    if (literal[0] == '-') value = -value;
    if (value < lo || value > hi) {
      return Fail(RangeMessage(kParamNames[index], lo, hi_text, Printable(literal, kMaxToken)) +
                  At(start));
    }
    return static_cast<int>(value);
  }

  std::string_view Identifier() {
    const std::size_t start = pos_;
    if (AtEnd() || !IsIdentStart(text_[pos_])) return {};
    while (!AtEnd() && IsIdentChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  void SkipSpaces() {
    while (!AtEnd() && IsSpace(text_[pos_])) ++pos_;
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  bool Peek(char c) const { return !AtEnd() && text_[pos_] == c; }
  bool Consume(char c) {
    if (!Peek(c)) return false;
    ++pos_;
    return true;
  }

  // The word, number or single character at the cursor, for "found ..." in messages.
  std::string Found() const {
    if (AtEnd()) return "the end of the text";
    std::size_t end = pos_ + 1;
    if (IsIdentChar(text_[pos_])) {
      while (end < text_.size() && IsIdentChar(text_[end])) ++end;
    }
    // Appending (rather than "'" + s + "'") keeps g++ 12 from a false -Wrestrict warning.
    std::string quoted = "'";
    quoted += Printable(text_.substr(pos_, end - pos_), kMaxToken);
    quoted += '\'';
    return quoted;
  }

  static std::string At(std::size_t pos) { return " at column " + std::to_string(pos + 1); }

  Error Expected(const std::string& what) const {
    return Fail("expected " + what + At(pos_) + ", found " + Found());
  }

  Error Fail(const std::string& what) const {
    return Error("invalid type '" + Printable(text_, kMaxQuoted) + "': " + what);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string name_;
};

}  // namespace

FixedType FixedType::Fixed(int w, int i, Rounding q, Overflow o, int n) {
  return FixedType{true, w, i, q, o, n, false};
}

FixedType FixedType::UFixed(int w, int i, Rounding q, Overflow o, int n) {
  return FixedType{false, w, i, q, o, n, false};
}

FixedType FixedType::Int(int w) {
  return FixedType{true, w, w, Rounding::kTrn, Overflow::kWrap, 0, true};
}

FixedType FixedType::UInt(int w) {
  return FixedType{false, w, w, Rounding::kTrn, Overflow::kWrap, 0, true};
}

Status FixedType::Validate() const {
  std::string problem;
  if (width < 1 || width > kMaxWidth) {
    problem = RangeMessage("width", 1, std::to_string(kMaxWidth), std::to_string(width));
  } else if (integer < -kMaxIntegerMagnitude || integer > kMaxIntegerMagnitude) {
    problem = RangeMessage("integer bits", -kMaxIntegerMagnitude,
                           std::to_string(kMaxIntegerMagnitude), std::to_string(integer));
  } else if (sat_bits < 0 || sat_bits > width) {
    problem = RangeMessage("saturation bits", 0, SatBitsLimit(width), std::to_string(sat_bits));
  } else {
    return Status::Ok();
  }
  return Error(ToString() + ": " + problem);
}

std::string FixedType::ToString() const { return Format(*this, /*hls4ml=*/false); }

std::string FixedType::ToHls4mlString() const { return Format(*this, /*hls4ml=*/true); }

Result<FixedType> ParseFixedType(std::string_view text) { return Parser(text).Parse(); }

std::string_view RoundingName(Rounding q) {
  const auto i = static_cast<std::size_t>(q);
  return i < kRoundingNames.size() ? kRoundingNames[i] : "AP_INVALID_ROUNDING";
}

std::string_view OverflowName(Overflow o) {
  const auto i = static_cast<std::size_t>(o);
  return i < kOverflowNames.size() ? kOverflowNames[i] : "AP_INVALID_OVERFLOW";
}

}  // namespace fixnn::fixed
