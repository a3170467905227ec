// vendor_ap_types_diff: compares fixnn's fixed-point implementations with the vendor's
// ap_types headers, bit for bit, on the cases of spec.h.
//
//   vendor_ap_types_diff --vendor-oracle PATH [--headers-oracle PATH] [--no-runtime]
//                        [--max-printed N] [--mismatch-log FILE]
//
// The oracles are run as child processes and their result streams read block by block; the
// fixnn_fixed results are computed here, on inputs regenerated from the same seeds. Without
// --vendor-oracle (the vendor headers were not found at configure time) the test reports
// itself skipped. The standard output shows the first few mismatches of each check and
// implementation; --mismatch-log writes every one, a tab-separated line each, for sorting
// them into kinds.
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cases.h"
#include "compare.h"
#include "fixed/fixed_type.h"
#include "fixed/fixed_value.h"
#include "fixed/quantize_array.h"
#include "fixed/wide_int.h"
#include "oracle_process.h"
#include "spec.h"

namespace fixnn::vendor_diff {
namespace {

namespace fx = fixnn::fixed;

constexpr int kSkipped = 77;

fx::FixedType ToFixed(const TypeSpec& t) {
  fx::FixedType f;
  f.is_signed = t.s;
  f.width = t.w;
  f.integer = t.i;
  f.rounding = static_cast<fx::Rounding>(t.q);
  f.overflow = static_cast<fx::Overflow>(t.o);
  f.sat_bits = t.n;
  return f;
}

TypeSpec FromFixed(const fx::FixedType& f) {
  TypeSpec t;
  t.w = f.width;
  t.i = f.integer;
  t.s = f.is_signed;
  t.q = static_cast<int>(f.rounding);
  t.o = static_cast<int>(f.overflow);
  t.n = f.sat_bits;
  return t;
}

fx::WideInt ToWide(const Bits& b) {
  int top = 3;
  while (top > 0 && b.limb[top] == 0) --top;
  fx::WideInt v = fx::WideInt::FromUnsigned(b.limb[top]);
  for (int k = top - 1; k >= 0; --k) v = v.ShiftLeft(64) + fx::WideInt::FromUnsigned(b.limb[k]);
  return v;
}

Bits ToBits(const fx::WideInt& m) {
  Bits b;
  for (int k = 0; k < 4; ++k) b.limb[k] = m.Limb(k);
  return b;
}

// The int64 mantissa of a pattern, as quantize_array.h holds them (w <= 64).
std::int64_t PatternMantissa(const TypeSpec& t, const Bits& b) {
  std::uint64_t v = b.limb[0];
  if (t.s && t.w < 64 && ((v >> (t.w - 1)) & 1) != 0) v |= ~std::uint64_t{0} << t.w;
  return static_cast<std::int64_t>(v);
}

Bits MantissaBits(std::int64_t m) {
  Bits b;
  b.limb[0] = static_cast<std::uint64_t>(m);
  return b;
}

// The exact value of a pattern of a type of at most 53 bits.
double ExactValue(const TypeSpec& t, const Bits& b) {
  return std::ldexp(static_cast<double>(PatternMantissa(t, b)), t.i - t.w);
}

std::vector<fx::FixedValue> ValuesOf(const TypeSpec& t, const std::vector<Bits>& in) {
  const fx::FixedType ft = ToFixed(t);
  std::vector<fx::FixedValue> out;
  out.reserve(in.size());
  for (const Bits& b : in) out.push_back(fx::FixedValue::FromBits(ft, ToWide(b)));
  return out;
}

const char* OpSymbol(int op) { return op == kAdd ? "+" : op == kSub ? "-" : "*"; }

// Computes fixnn_fixed's results for each block and hands every comparison to the tally.
class Checker {
 public:
  Checker(Tally* tally, bool runtime) : tally_(*tally), runtime_(runtime) {}

  void OnBlock(const Block& vendor, const Block* headers);

 private:
  using Describe = std::function<std::string(std::size_t)>;

  void Casts(Check check, const TypeSpec& src, const TypeSpec& dst, const std::vector<Bits>& in,
             const std::vector<fx::FixedValue>* cached, const Block& vendor, const Block* headers);
  void Doubles(Check check, Check back_check, const TypeSpec& t, const std::vector<double>& in,
               bool vendor_has_back, const Block& vendor, const Block* headers);
  void Arith(Check check, const TypeSpec& a, const TypeSpec& b, int op, const PairCases& in,
             const Block& vendor, const Block* headers);
  void ToFloating(Check check, const TypeSpec& t, bool to_float, const std::vector<Bits>& in,
                  const Block& vendor, const Block* headers);
  const std::vector<fx::FixedValue>& ExhaustiveSourceValues(const TypeSpec& src);
  void ExpectShape(const Block& vendor, std::size_t count, std::size_t record_bytes,
                   const TypeSpec* result) const;

  Tally& tally_;
  bool runtime_;
  // The exhaustive casts draw all their inputs from a handful of source types, in turn.
  std::array<std::pair<TypeSpec, std::vector<fx::FixedValue>>, 2> source_cache_;
  int source_cache_next_ = 0;
  // The three operators of one pair share their operands.
  std::pair<Category, std::uint32_t> pair_key_{Category::kEnd, 0};
  PairCases pair_cases_;
  std::vector<fx::FixedValue> pair_a_, pair_b_;
};

void Checker::ExpectShape(const Block& vendor, std::size_t count, std::size_t record_bytes,
                          const TypeSpec* result) const {
  const BlockHeader& h = vendor.h;
  const bool type_ok = result == nullptr || (h.result_w == result->w && h.result_i == result->i &&
                                             h.result_s == result->s);
  if (h.count != count || h.record_bytes != record_bytes || !type_ok) {
    Fail("the vendor oracle's block (category " + std::to_string(static_cast<int>(h.category)) +
         ", index " + std::to_string(h.index) + ") does not have the shape of the plan");
  }
}

void Checker::OnBlock(const Block& vendor, const Block* headers) {
  const BlockHeader& h = vendor.h;
  const std::uint32_t k = h.index;
  auto check_index = [&](std::size_t size) {
    if (k >= size) Fail("block index " + std::to_string(k) + " beyond its table");
  };
  switch (h.category) {
    case Category::kCastExhaustive: {
      check_index(kNumExhaustiveTypes);
      const TypeSpec dst = kExhaustiveTypes[k];
      const TypeSpec src = ExhaustiveSource(dst, h.sub == 0);
      Casts(Check::kCastExhaustive, src, dst, AllPatternsCached(src.w),
            runtime_ ? &ExhaustiveSourceValues(src) : nullptr, vendor, headers);
      break;
    }
    case Category::kDoubleExhaustive:
      check_index(kNumExhaustiveTypes);
      Doubles(Check::kDoubleExhaustive, Check::kDoubleBackExhaustive, kExhaustiveTypes[k],
              DoubleGrid(kExhaustiveTypes[k]), false, vendor, headers);
      break;
    case Category::kArithExhaustive:
    case Category::kArithMixedSmall:
    case Category::kArithRandom: {
      TypeSpec a, b;
      if (h.category == Category::kArithExhaustive) {
        check_index(kNumExhaustiveArithTypes);
        a = b = kExhaustiveArithTypes[k];
      } else if (h.category == Category::kArithMixedSmall) {
        check_index(kNumMixedSmallPairs);
        a = kMixedSmallTypes[k / kNumMixedSmallTypes];
        b = kMixedSmallTypes[k % kNumMixedSmallTypes];
      } else {
        check_index(kNumRandomArith);
        a = kRandomArith[k].a;
        b = kRandomArith[k].b;
      }
      if (pair_key_ != std::make_pair(h.category, k)) {
        pair_key_ = {h.category, k};
        pair_cases_ = h.category == Category::kArithRandom ? RandomPairs(k, a, b) : AllPairs(a, b);
        if (runtime_) {
          pair_a_ = ValuesOf(a, pair_cases_.a);
          pair_b_ = ValuesOf(b, pair_cases_.b);
        }
      }
      const Check check = h.category == Category::kArithExhaustive   ? Check::kArithExhaustive
                          : h.category == Category::kArithMixedSmall ? Check::kArithMixedSmall
                                                                     : Check::kArithRandom;
      if (h.sub >= kNumOps) Fail("unknown operator in block " + std::to_string(k));
      Arith(check, a, b, h.sub, pair_cases_, vendor, headers);
      break;
    }
    case Category::kDoubleRandom:
      check_index(kNumRandomTypes);
      Doubles(Check::kDoubleRandom, Check::kDoubleBackRandom, kRandomTypes[k],
              RandomDoubles(k, kRandomTypes[k]), true, vendor, headers);
      break;
    case Category::kToDoubleRandom:
    case Category::kToFloatRandom: {
      check_index(kNumRandomTypes);
      const bool to_float = h.category == Category::kToFloatRandom;
      if (to_float && !InFloatRange(kRandomTypes[k])) Fail("to_float block outside float range");
      ToFloating(to_float ? Check::kToFloatRandom : Check::kToDoubleRandom, kRandomTypes[k],
                 to_float, RandomPatterns(h.category, k, kRandomTypes[k], kRandomToFpCases), vendor,
                 headers);
      break;
    }
    case Category::kCastRandom: {
      check_index(kNumRandomCasts);
      const TypePair& p = kRandomCasts[k];
      Casts(Check::kCastRandom, p.a, p.b,
            RandomPatterns(Category::kCastRandom, k, p.a, kRandomCastCases), nullptr, vendor,
            headers);
      break;
    }
    case Category::kEnd:
      break;
  }
}

const std::vector<fx::FixedValue>& Checker::ExhaustiveSourceValues(const TypeSpec& src) {
  for (auto& [type, values] : source_cache_) {
    if (type == src && !values.empty()) return values;
  }
  auto& slot = source_cache_[source_cache_next_];
  source_cache_next_ = 1 - source_cache_next_;
  slot = {src, ValuesOf(src, AllPatternsCached(src.w))};
  return slot.second;
}

void Checker::Casts(Check check, const TypeSpec& src, const TypeSpec& dst,
                    const std::vector<Bits>& in, const std::vector<fx::FixedValue>* cached,
                    const Block& vendor, const Block* headers) {
  const std::size_t n = in.size();
  const std::size_t bytes = BitsBytes(dst.w);
  ExpectShape(vendor, n, bytes, &dst);
  tally_.AddCases(check, n);
  const Field field{Field::kFixed, dst};
  const Describe describe = [&](std::size_t k) {
    return TypeName(src) + " " + DescribeFixed(src, in[k]) + " -> " + TypeName(dst);
  };
  if (headers != nullptr) {
    tally_.Compare(check, Impl::kHeaders, field, vendor.column(), headers->column(), n, describe);
  }
  if (!runtime_) return;

  const fx::FixedType from = ToFixed(src);
  const fx::FixedType to = ToFixed(dst);
  std::vector<fx::FixedValue> computed;
  if (cached == nullptr) computed = ValuesOf(src, in);
  const std::vector<fx::FixedValue>& values = cached != nullptr ? *cached : computed;
  std::vector<std::uint8_t> got(n * bytes);
  for (std::size_t k = 0; k < n; ++k) {
    StoreBits(ToBits(fx::Cast(values[k], to).mantissa()), dst.w, &got[k * bytes]);
  }
  tally_.Compare(check, Impl::kRuntime, field, vendor.column(), {got.data(), bytes, 0}, n,
                 describe);

  if (!fx::FitsInt64Mantissa(from) || !fx::FitsInt64Mantissa(to)) return;
  std::vector<std::int64_t> m(n);
  for (std::size_t k = 0; k < n; ++k) m[k] = PatternMantissa(src, in[k]);
  const Result<fx::OverflowCounts> r = fx::RequantizeMantissas(m, from, to, m);
  if (!r.ok()) {
    tally_.BlockMismatch(check, Impl::kRuntimeArray, n,
                         TypeName(src) + " -> " + TypeName(dst) + ": " + r.error().message());
    return;
  }
  for (std::size_t k = 0; k < n; ++k) StoreBits(MantissaBits(m[k]), dst.w, &got[k * bytes]);
  tally_.Compare(check, Impl::kRuntimeArray, field, vendor.column(), {got.data(), bytes, 0}, n,
                 describe);
}

void Checker::Doubles(Check check, Check back_check, const TypeSpec& t,
                      const std::vector<double>& in, bool vendor_has_back, const Block& vendor,
                      const Block* headers) {
  const std::size_t n = in.size();
  const std::size_t bytes = BitsBytes(t.w);
  ExpectShape(vendor, n, bytes + (vendor_has_back ? 8 : 0), &t);
  tally_.AddCases(check, n);
  tally_.AddCases(back_check, n);
  const Field field{Field::kFixed, t};
  const Field back_field{Field::kDouble, {}};
  const Describe describe = [&](std::size_t k) {
    return DescribeDouble(in[k]) + " -> " + TypeName(t);
  };
  const Describe describe_back = [&](std::size_t k) {
    return TypeName(t) + "(" + DescribeDouble(in[k]) + ").to_double()";
  };
  if (headers != nullptr) {
    tally_.Compare(check, Impl::kHeaders, field, vendor.column(), headers->column(), n, describe);
    if (vendor_has_back) {
      tally_.Compare(back_check, Impl::kHeaders, back_field, vendor.column(bytes),
                     headers->column(bytes), n, describe_back);
    }
  }
  if (!runtime_) return;

  // The vendor's to_double() of every result: in the record, or exact for these small types.
  std::vector<double> exact;
  Column vendor_back = vendor.column(bytes);
  if (!vendor_has_back) {
    exact.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
      exact[k] = ExactValue(t, LoadBits(vendor.column().at(k), t.w));
    }
    vendor_back = {reinterpret_cast<const std::uint8_t*>(exact.data()), 8, 0};
  }

  const fx::FixedType ft = ToFixed(t);
  std::vector<std::uint8_t> got(n * bytes);
  std::vector<double> back(n);
  for (std::size_t k = 0; k < n; ++k) {
    const Result<fx::FixedValue> r = fx::Quantize(in[k], ft);
    if (r.ok()) {
      StoreBits(ToBits(r->mantissa()), t.w, &got[k * bytes]);
      back[k] = r->ToDouble();
    } else {
      // Counted here; the copies keep the record out of the comparisons below.
      tally_.RecordError(check, Impl::kRuntime, describe(k), r.error().message());
      std::memcpy(&got[k * bytes], vendor.column().at(k), bytes);
      std::memcpy(&back[k], vendor_back.at(k), 8);
    }
  }
  tally_.Compare(check, Impl::kRuntime, field, vendor.column(), {got.data(), bytes, 0}, n,
                 describe);
  tally_.Compare(back_check, Impl::kRuntime, back_field, vendor_back,
                 {reinterpret_cast<const std::uint8_t*>(back.data()), 8, 0}, n, describe_back);

  if (fx::FitsInt64Mantissa(ft)) {
    std::vector<std::int64_t> m(n);
    const Result<fx::OverflowCounts> r = fx::QuantizeToMantissas(in, ft, m);
    if (r.ok()) {
      for (std::size_t k = 0; k < n; ++k) StoreBits(MantissaBits(m[k]), t.w, &got[k * bytes]);
      tally_.Compare(check, Impl::kRuntimeArray, field, vendor.column(), {got.data(), bytes, 0}, n,
                     describe);
    } else {
      tally_.BlockMismatch(check, Impl::kRuntimeArray, n,
                           "QuantizeToMantissas to " + TypeName(t) + ": " + r.error().message());
    }
  }
  const Result<fx::OverflowCounts> r = fx::QuantizeToDoubles(in, ft, back);
  if (r.ok()) {
    tally_.Compare(back_check, Impl::kRuntimeArray, back_field, vendor_back,
                   {reinterpret_cast<const std::uint8_t*>(back.data()), 8, 0}, n, describe_back);
  } else {
    tally_.BlockMismatch(back_check, Impl::kRuntimeArray, n,
                         "QuantizeToDoubles to " + TypeName(t) + ": " + r.error().message());
  }
}

void Checker::Arith(Check check, const TypeSpec& a, const TypeSpec& b, int op, const PairCases& in,
                    const Block& vendor, const Block* headers) {
  const std::size_t n = in.a.size();
  const BlockHeader& h = vendor.h;
  const TypeSpec vendor_type = Plain(h.result_w, h.result_i, h.result_s != 0);
  ExpectShape(vendor, n, BitsBytes(vendor_type.w), nullptr);
  tally_.AddCases(check, n);
  const std::string expr = TypeName(a) + " " + OpSymbol(op) + " " + TypeName(b);
  const Field field{Field::kFixed, vendor_type};
  const Describe describe = [&](std::size_t k) {
    return TypeName(a) + " " + DescribeFixed(a, in.a[k]) + " " + OpSymbol(op) + " " + TypeName(b) +
           " " + DescribeFixed(b, in.b[k]);
  };
  auto type_mismatch = [&](Impl impl, const TypeSpec& got) {
    tally_.BlockMismatch(
        check, impl, n,
        "result type of " + expr + ": vendor " + TypeName(vendor_type) + ", got " + TypeName(got));
  };
  if (headers != nullptr) {
    const TypeSpec headers_type =
        Plain(headers->h.result_w, headers->h.result_i, headers->h.result_s != 0);
    if (headers_type != vendor_type) {
      type_mismatch(Impl::kHeaders, headers_type);
    } else {
      tally_.Compare(check, Impl::kHeaders, field, vendor.column(), headers->column(), n, describe);
    }
  }
  if (!runtime_) return;

  const fx::FixedType fa = ToFixed(a), fb = ToFixed(b);
  const Result<fx::FixedType> rt = op == kAdd   ? fx::AddResultType(fa, fb)
                                   : op == kSub ? fx::SubResultType(fa, fb)
                                                : fx::MulResultType(fa, fb);
  if (!rt.ok()) {
    tally_.BlockMismatch(check, Impl::kRuntime, n, expr + ": " + rt.error().message());
    return;
  }
  if (FromFixed(*rt) != vendor_type) {
    type_mismatch(Impl::kRuntime, FromFixed(*rt));
    return;
  }
  const std::size_t bytes = BitsBytes(vendor_type.w);
  std::vector<std::uint8_t> got(n * bytes);
  for (std::size_t k = 0; k < n; ++k) {
    const Result<fx::FixedValue> r = op == kAdd   ? fx::Add(pair_a_[k], pair_b_[k])
                                     : op == kSub ? fx::Sub(pair_a_[k], pair_b_[k])
                                                  : fx::Mul(pair_a_[k], pair_b_[k]);
    if (r.ok() && r->type() == *rt) {
      StoreBits(ToBits(r->mantissa()), vendor_type.w, &got[k * bytes]);
    } else {
      tally_.RecordError(
          check, Impl::kRuntime, describe(k),
          r.ok() ? "a value of type " + TypeName(FromFixed(r->type())) : r.error().message());
      std::memcpy(&got[k * bytes], vendor.column().at(k), bytes);
    }
  }
  tally_.Compare(check, Impl::kRuntime, field, vendor.column(), {got.data(), bytes, 0}, n,
                 describe);
}

void Checker::ToFloating(Check check, const TypeSpec& t, bool to_float, const std::vector<Bits>& in,
                         const Block& vendor, const Block* headers) {
  const std::size_t n = in.size();
  const std::size_t bytes = to_float ? 4 : 8;
  ExpectShape(vendor, n, bytes, &t);
  tally_.AddCases(check, n);
  const Field field{to_float ? Field::kFloat : Field::kDouble, {}};
  const Describe describe = [&](std::size_t k) {
    return TypeName(t) + " " + DescribeFixed(t, in[k]) +
           (to_float ? ".to_float()" : ".to_double()");
  };
  if (headers != nullptr) {
    tally_.Compare(check, Impl::kHeaders, field, vendor.column(), headers->column(), n, describe);
  }
  if (!runtime_) return;
  const fx::FixedType ft = ToFixed(t);
  std::vector<std::uint8_t> got(n * bytes);
  for (std::size_t k = 0; k < n; ++k) {
    const fx::FixedValue v = fx::FixedValue::FromBits(ft, ToWide(in[k]));
    if (to_float) {
      const float f = v.ToFloat();
      std::memcpy(&got[k * bytes], &f, 4);
    } else {
      const double d = v.ToDouble();
      std::memcpy(&got[k * bytes], &d, 8);
    }
  }
  tally_.Compare(check, Impl::kRuntime, field, vendor.column(), {got.data(), bytes, 0}, n,
                 describe);
}

// The headers oracle runs the same plan, so its blocks come in the same order with the same
// inputs; only arithmetic result types may legitimately differ (and are then a finding).
void ExpectSameBlock(const BlockHeader& v, const BlockHeader& h) {
  const bool arith = v.category == Category::kArithExhaustive ||
                     v.category == Category::kArithMixedSmall ||
                     v.category == Category::kArithRandom;
  const bool same = v.category == h.category && v.sub == h.sub && v.index == h.index &&
                    v.count == h.count &&
                    (arith || (v.record_bytes == h.record_bytes && v.result_w == h.result_w &&
                               v.result_i == h.result_i && v.result_s == h.result_s));
  if (!same) {
    Fail("the oracles' streams disagree at block (category " +
         std::to_string(static_cast<int>(v.category)) + ", index " + std::to_string(v.index) +
         "): was one of them built from other sources?");
  }
}

struct Options {
  std::string vendor_oracle;
  std::string headers_oracle;
  bool runtime = true;
  int max_printed = 40;
  std::string mismatch_log;
};

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int k = 1; k < argc; ++k) {
    const std::string arg = argv[k];
    auto value = [&]() -> std::string {
      if (k + 1 >= argc) Fail(arg + " needs a value");
      return argv[++k];
    };
    if (arg == "--vendor-oracle") {
      o.vendor_oracle = value();
    } else if (arg == "--headers-oracle") {
      o.headers_oracle = value();
    } else if (arg == "--no-runtime") {
      o.runtime = false;
    } else if (arg == "--max-printed") {
      o.max_printed = std::atoi(value().c_str());
    } else if (arg == "--mismatch-log") {
      o.mismatch_log = value();
    } else {
      Fail("unknown argument " + arg +
           " (usage: vendor_ap_types_diff --vendor-oracle PATH [--headers-oracle PATH] "
           "[--no-runtime] [--max-printed N] [--mismatch-log FILE])");
    }
  }
  return o;
}

int Main(int argc, char** argv) {
  const Options options = ParseOptions(argc, argv);
  if (options.vendor_oracle.empty()) {
    std::printf(
        "SKIPPED: the vendor's ap_types headers (ap_fixed.h) were not found when this build "
        "was configured.\nThey ship in the hls4ml Python package: run scripts/setup.sh (it "
        "installs hls4ml into ~/.cache/fixnn/venv-tools) and re-run cmake, or configure with "
        "-DFIXNN_VENDOR_AP_TYPES=<dir holding ap_fixed.h>.\n");
    return kSkipped;
  }
  const auto start = std::chrono::steady_clock::now();
  OracleProcess vendor("vendor", options.vendor_oracle);
  std::unique_ptr<OracleProcess> headers;
  if (!options.headers_oracle.empty()) {
    headers = std::make_unique<OracleProcess>("fixnn-headers", options.headers_oracle);
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> log(nullptr, &std::fclose);
  if (!options.mismatch_log.empty()) {
    log.reset(std::fopen(options.mismatch_log.c_str(), "w"));
    if (log == nullptr) Fail("cannot write " + options.mismatch_log);
  }
  Tally tally(options.max_printed, log.get());
  Checker checker(&tally, options.runtime);
  std::array<std::size_t, kNumCategories + 1> blocks{};
  Block vendor_block, headers_block;
  for (;;) {
    vendor.Next(&vendor_block);
    if (headers != nullptr) {
      headers->Next(&headers_block);
      ExpectSameBlock(vendor_block.h, headers_block.h);
    }
    const int category = static_cast<int>(vendor_block.h.category);
    if (category < 0 || category > kNumCategories) Fail("unknown block category");
    ++blocks[category];
    if (vendor_block.h.category == Category::kEnd) break;
    checker.OnBlock(vendor_block, headers != nullptr ? &headers_block : nullptr);
  }
  for (OracleProcess* oracle : {&vendor, headers.get()}) {
    if (oracle == nullptr) continue;
    const std::string how = oracle->Finish();
    if (!how.empty()) Fail("an oracle failed after its stream ended" + how);
  }
  for (int c = 0; c <= kNumCategories; ++c) {
    if (blocks[c] != ExpectedBlocks(static_cast<Category>(c))) {
      Fail("category " + std::to_string(c) + " has " + std::to_string(blocks[c]) +
           " blocks, the plan " + std::to_string(ExpectedBlocks(static_cast<Category>(c))));
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("\ncompared: vendor ap_types vs %s%s%s, in %.1f s\n",
              options.runtime ? "fixnn_fixed (runtime, runtime-array)" : "",
              options.runtime && headers != nullptr ? " and " : "",
              headers != nullptr ? "fixnn's ap headers (fixnn-headers)" : "", seconds);
  tally.Print(stdout);
  return tally.total_mismatches() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace fixnn::vendor_diff

int main(int argc, char** argv) { return fixnn::vendor_diff::Main(argc, argv); }
