// Record-by-record comparison of result blocks against the vendor's, with counts per check
// and implementation, and readable reports of the first mismatches.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "cases.h"
#include "spec.h"

namespace fixnn::vendor_diff {

// The implementations compared with the vendor's headers.
enum class Impl {
  kRuntime,       // fixnn_fixed: FixedValue, Quantize, Cast, Add/Sub/Mul
  kRuntimeArray,  // fixnn_fixed: quantize_array.h
  kHeaders,       // runtime/include/ap_fixed.h
};
inline constexpr int kNumImpls = 3;

enum class Check {
  kCastExhaustive,
  kDoubleExhaustive,
  kDoubleBackExhaustive,
  kArithExhaustive,
  kArithMixedSmall,
  kDoubleRandom,
  kDoubleBackRandom,
  kToDoubleRandom,
  kToFloatRandom,
  kCastRandom,
  kArithRandom,
};
inline constexpr int kNumChecks = 11;

// What one result field holds.
struct Field {
  enum Kind { kFixed, kDouble, kFloat };
  Kind kind = kFixed;
  TypeSpec type;  // of a kFixed value
  std::size_t bytes() const {
    return kind == kFixed ? static_cast<std::size_t>(BitsBytes(type.w)) : kind == kDouble ? 8 : 4;
  }
};

// One field of every record in a record array.
struct Column {
  const std::uint8_t* data = nullptr;
  std::size_t stride = 0;  // bytes per record
  std::size_t offset = 0;  // of the field within a record
  const std::uint8_t* at(std::size_t k) const { return data + k * stride + offset; }
};

class Tally {
 public:
  // Prints at most max_printed mismatches; `log`, when given, gets every one of them, one
  // tab-separated line each: check, implementation, input, vendor, got.
  Tally(int max_printed, std::FILE* log) : max_printed_(max_printed), log_(log) {}

  void AddCases(Check c, std::uint64_t n) { checks_[Index(c)].cases += n; }
  // Compares `count` records; describe(k) spells out the input of record k.
  void Compare(Check c, Impl impl, const Field& field, Column vendor, Column got, std::size_t count,
               const std::function<std::string(std::size_t)>& describe);
  // All `count` records of a block are wrong for one reason, e.g. another result type.
  void BlockMismatch(Check c, Impl impl, std::uint64_t count, const std::string& what);
  // The implementation reported an error where the vendor gave a value; the record must
  // also be part of a Compare() of the same check (which counts it as compared).
  void RecordError(Check c, Impl impl, const std::string& input, const std::string& error);

  // The per-check table, then the one-line total.
  void Print(std::FILE* out) const;
  std::uint64_t total_cases() const;
  std::uint64_t total_mismatches() const;

 private:
  struct Counts {
    std::uint64_t cases = 0;
    std::array<std::uint64_t, kNumImpls> compared{};
    std::array<std::uint64_t, kNumImpls> mismatches{};
    std::array<int, kNumImpls> printed{};
  };
  static int Index(Check c) { return static_cast<int>(c); }
  static int Index(Impl i) { return static_cast<int>(i); }
  // Counts a mismatch; true when it should also be printed.
  bool Count(Check c, Impl impl, std::uint64_t n);

  void Log(Check c, Impl impl, const std::string& input, const std::string& vendor,
           const std::string& got);

  int max_printed_;
  std::FILE* log_;
  int printed_ = 0;
  std::array<Counts, kNumChecks> checks_{};
};

std::string_view CheckName(Check c);
std::string_view ImplName(Impl i);
// "ap_fixed<8,3,AP_RND,AP_SAT>", "ap_ufixed<12,-2>".
std::string TypeName(const TypeSpec& t);
// "0x1f (-0.125)"; the value is exact up to 64 significant bits, else marked '~'.
std::string DescribeFixed(const TypeSpec& t, const Bits& b);
// "0x1.8p-3 (0.1875)".
std::string DescribeDouble(double d);

}  // namespace fixnn::vendor_diff
