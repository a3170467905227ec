#include "compare.h"

#include <cinttypes>
#include <cmath>
#include <cstring>

namespace fixnn::vendor_diff {
namespace {

// Mismatch lines per check and implementation, so one broken check does not hide the rest.
constexpr int kPrintedPerCell = 3;

std::string Decode(const Field& f, const std::uint8_t* p) {
  switch (f.kind) {
    case Field::kFixed:
      return DescribeFixed(f.type, LoadBits(p, f.type.w));
    case Field::kDouble: {
      double d;
      std::memcpy(&d, p, 8);
      return DescribeDouble(d);
    }
    case Field::kFloat: {
      float x;
      std::memcpy(&x, p, 4);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%a (%.9g)", static_cast<double>(x), static_cast<double>(x));
      return buf;
    }
  }
  return "?";
}

std::string WithThousands(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) out += ',';
    out += digits[k];
  }
  return out;
}

}  // namespace

std::string_view CheckName(Check c) {
  switch (c) {
    case Check::kCastExhaustive:
      return "cast, exhaustive W<=8";
    case Check::kDoubleExhaustive:
      return "double->fixed, exhaustive W<=8";
    case Check::kDoubleBackExhaustive:
      return "double->fixed->double, exhaustive W<=8";
    case Check::kArithExhaustive:
      return "+ - *, exhaustive W<=8";
    case Check::kArithMixedSmall:
      return "+ - *, mixed small types";
    case Check::kDoubleRandom:
      return "double->fixed, random W<=128";
    case Check::kDoubleBackRandom:
      return "double->fixed->double, random";
    case Check::kToDoubleRandom:
      return "to_double(), random";
    case Check::kToFloatRandom:
      return "to_float(), random";
    case Check::kCastRandom:
      return "cast, random W<=128";
    case Check::kArithRandom:
      return "+ - *, random W<=128";
  }
  return "?";
}

std::string_view ImplName(Impl i) {
  switch (i) {
    case Impl::kRuntime:
      return "runtime";
    case Impl::kRuntimeArray:
      return "runtime-array";
    case Impl::kHeaders:
      return "fixnn-headers";
  }
  return "?";
}

std::string TypeName(const TypeSpec& t) {
  static constexpr const char* kRounding[] = {"AP_TRN",      "AP_TRN_ZERO",    "AP_RND",
                                              "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF",
                                              "AP_RND_CONV"};
  static constexpr const char* kOverflow[] = {"AP_WRAP", "AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM"};
  std::string s = t.s ? "ap_fixed<" : "ap_ufixed<";
  s += std::to_string(t.w);
  s += ',';
  s += std::to_string(t.i);
  if (t.q != kTrn || t.o != kWrap || t.n != 0) (s += ',') += kRounding[t.q];
  if (t.o != kWrap || t.n != 0) (s += ',') += kOverflow[t.o];
  if (t.n != 0) (s += ',') += std::to_string(t.n);
  s += '>';
  return s;
}

std::string DescribeFixed(const TypeSpec& t, const Bits& b) {
  std::string hex;
  for (int d = (t.w + 3) / 4 - 1; d >= 0; --d) {
    const int bit = 4 * d;
    hex += "0123456789abcdef"[(b.limb[bit / 64] >> (bit % 64)) & 0xf];
  }
  const bool negative = t.s && ((b.limb[(t.w - 1) / 64] >> ((t.w - 1) % 64)) & 1) != 0;
  Bits mag = b;
  if (negative) {
    // Two's complement negation within w bits; the top limbs beyond w stay zero.
    bool carry = true;
    for (std::uint64_t& limb : mag.limb) {
      limb = ~limb + (carry ? 1 : 0);
      carry = carry && limb == 0;
    }
    for (int k = 0; k < 4; ++k) {
      const int lo = 64 * k;
      if (lo >= t.w) {
        mag.limb[k] = 0;
      } else if (t.w - lo < 64) {
        mag.limb[k] &= (std::uint64_t{1} << (t.w - lo)) - 1;
      }
    }
  }
  int top = -1, bottom = -1;
  long double v = 0;
  for (int k = 3; k >= 0; --k) {
    if (mag.limb[k] == 0) continue;
    if (top < 0) top = 64 * k + 63 - __builtin_clzll(mag.limb[k]);
    bottom = 64 * k + __builtin_ctzll(mag.limb[k]);
    v += std::ldexp(static_cast<long double>(mag.limb[k]), 64 * k);
  }
  v = std::ldexp(v, t.i - t.w);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%.21Lg", top - bottom >= 64 ? "~" : "", negative ? -v : v);
  return "0x" + hex + " (" + buf + ")";
}

std::string DescribeDouble(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a (%.17g)", d, d);
  return buf;
}

bool Tally::Count(Check c, Impl impl, std::uint64_t n) {
  Counts& counts = checks_[Index(c)];
  counts.mismatches[Index(impl)] += n;
  if (printed_ >= max_printed_ || counts.printed[Index(impl)] >= kPrintedPerCell) return false;
  ++printed_;
  ++counts.printed[Index(impl)];
  return true;
}

void Tally::Compare(Check c, Impl impl, const Field& field, Column vendor, Column got,
                    std::size_t count, const std::function<std::string(std::size_t)>& describe) {
  checks_[Index(c)].compared[Index(impl)] += count;
  const std::size_t bytes = field.bytes();
  const bool dense =
      vendor.stride == bytes && got.stride == bytes && vendor.offset == 0 && got.offset == 0;
  if (dense && std::memcmp(vendor.data, got.data, bytes * count) == 0) return;
  for (std::size_t k = 0; k < count; ++k) {
    if (std::memcmp(vendor.at(k), got.at(k), bytes) == 0) continue;
    const bool print = Count(c, impl, 1);
    if (!print && log_ == nullptr) continue;
    const std::string input = describe(k);
    const std::string expected = Decode(field, vendor.at(k));
    const std::string actual = Decode(field, got.at(k));
    if (print) {
      std::printf("MISMATCH [%s] %s: %s\n    vendor %s\n    got    %s\n",
                  std::string(CheckName(c)).c_str(), std::string(ImplName(impl)).c_str(),
                  input.c_str(), expected.c_str(), actual.c_str());
    }
    Log(c, impl, input, expected, actual);
  }
}

void Tally::BlockMismatch(Check c, Impl impl, std::uint64_t count, const std::string& what) {
  checks_[Index(c)].compared[Index(impl)] += count;
  if (Count(c, impl, count)) {
    std::printf("MISMATCH [%s] %s: %s (all %" PRIu64 " cases of the block)\n",
                std::string(CheckName(c)).c_str(), std::string(ImplName(impl)).c_str(),
                what.c_str(), count);
  }
  Log(c, impl, what + " (" + std::to_string(count) + " cases)", "", "");
}

void Tally::RecordError(Check c, Impl impl, const std::string& input, const std::string& error) {
  if (Count(c, impl, 1)) {
    std::printf("MISMATCH [%s] %s: %s\n    vendor gives a value, got error: %s\n",
                std::string(CheckName(c)).c_str(), std::string(ImplName(impl)).c_str(),
                input.c_str(), error.c_str());
  }
  Log(c, impl, input, "a value", "error: " + error);
}

void Tally::Log(Check c, Impl impl, const std::string& input, const std::string& vendor,
                const std::string& got) {
  if (log_ == nullptr) return;
  std::fprintf(log_, "%s\t%s\t%s\t%s\t%s\n", std::string(CheckName(c)).c_str(),
               std::string(ImplName(impl)).c_str(), input.c_str(), vendor.c_str(), got.c_str());
}

std::uint64_t Tally::total_cases() const {
  std::uint64_t n = 0;
  for (const Counts& c : checks_) n += c.cases;
  return n;
}

std::uint64_t Tally::total_mismatches() const {
  std::uint64_t n = 0;
  for (const Counts& c : checks_) {
    for (std::uint64_t m : c.mismatches) n += m;
  }
  return n;
}

void Tally::Print(std::FILE* out) const {
  std::fprintf(out, "\n%-40s %14s", "mismatches per check", "cases");
  for (int i = 0; i < kNumImpls; ++i) {
    std::fprintf(out, " %16s", std::string(ImplName(static_cast<Impl>(i))).c_str());
  }
  std::fprintf(out, "\n");
  for (int c = 0; c < kNumChecks; ++c) {
    const Counts& counts = checks_[c];
    std::fprintf(out, "%-40s %14s", std::string(CheckName(static_cast<Check>(c))).c_str(),
                 WithThousands(counts.cases).c_str());
    for (int i = 0; i < kNumImpls; ++i) {
      std::string cell = "-";  // not compared
      if (counts.compared[i] > 0) {
        cell = WithThousands(counts.mismatches[i]);
        // Some implementations only take part where they apply (int64 mantissas).
        if (counts.compared[i] != counts.cases) cell += " of " + WithThousands(counts.compared[i]);
      }
      std::fprintf(out, " %16s", cell.c_str());
    }
    std::fprintf(out, "\n");
  }
  std::fprintf(out, "%" PRIu64 " cases, %" PRIu64 " mismatches\n", total_cases(),
               total_mismatches());
}

}  // namespace fixnn::vendor_diff
