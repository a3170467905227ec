// Quantize benchmark: fixnn's vectorised quantize against the vendor's ap_fixed(double)
// constructor on the same data, in the same process, plus fixnn's exact reference path.
// Run: build/release/bench/quantize_bench   (figures and command in bench/RESULTS.md)
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "fixed/fixed_value.h"
#include "fixed/quantize_array.h"

#ifdef FIXNN_HAVE_VENDOR_AP_TYPES
#include <ap_fixed.h>
#endif

namespace {

using fixnn::fixed::FixedType;
using fixnn::fixed::Overflow;
using fixnn::fixed::Rounding;

constexpr int kN = 1 << 16;

const std::vector<double>& Data() {
  static const std::vector<double> data = [] {
    std::mt19937_64 rng(42);
    std::normal_distribution<double> n(0.0, 12.0);  // some values overflow ap_fixed<16,6>
    std::vector<double> v(kN);
    for (double& x : v) x = n(rng);
    return v;
  }();
  return data;
}

FixedType TypeFor(int which) {
  switch (which) {
    case 0: return FixedType::Fixed(16, 6);
    case 1: return FixedType::Fixed(16, 6, Rounding::kRnd, Overflow::kSat);
    case 2: return FixedType::Fixed(16, 6, Rounding::kRndConv, Overflow::kSatSym);
    default: return FixedType::Fixed(48, 12, Rounding::kRnd, Overflow::kSat);
  }
}

void BM_FixnnQuantizeToMantissas(benchmark::State& state) {
  const FixedType t = TypeFor(static_cast<int>(state.range(0)));
  std::vector<std::int64_t> out(kN);
  for (auto _ : state) {
    auto r = fixnn::fixed::QuantizeToMantissas(Data(), t, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * kN);
  state.SetLabel(t.ToString());
}
BENCHMARK(BM_FixnnQuantizeToMantissas)->DenseRange(0, 3);

void BM_FixnnQuantizeToDoubles(benchmark::State& state) {
  const FixedType t = TypeFor(static_cast<int>(state.range(0)));
  std::vector<double> out(kN);
  for (auto _ : state) {
    auto r = fixnn::fixed::QuantizeToDoubles(Data(), t, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * kN);
  state.SetLabel(t.ToString());
}
BENCHMARK(BM_FixnnQuantizeToDoubles)->DenseRange(0, 2);

// The exact any-width path, for scale: what every element would cost without the fast path.
void BM_FixnnExactQuantize(benchmark::State& state) {
  const FixedType t = TypeFor(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    for (double x : Data()) {
      auto v = fixnn::fixed::Quantize(x, t);
      benchmark::DoNotOptimize(v);
    }
  }
  state.SetItemsProcessed(state.iterations() * kN);
  state.SetLabel(t.ToString());
}
BENCHMARK(BM_FixnnExactQuantize)->DenseRange(0, 2);

#ifdef FIXNN_HAVE_VENDOR_AP_TYPES
template <typename T>
void VendorLoop(benchmark::State& state, const char* label) {
  std::vector<T> out(kN);
  for (auto _ : state) {
    const std::vector<double>& d = Data();
    for (int i = 0; i < kN; ++i) out[i] = T(d[i]);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kN);
  state.SetLabel(label);
}
void BM_VendorApFixedFromDouble(benchmark::State& state) {
  switch (state.range(0)) {
    case 0: VendorLoop<ap_fixed<16, 6>>(state, "ap_fixed<16,6>"); break;
    case 1: VendorLoop<ap_fixed<16, 6, AP_RND, AP_SAT>>(state, "ap_fixed<16,6,AP_RND,AP_SAT>"); break;
    case 2: VendorLoop<ap_fixed<16, 6, AP_RND_CONV, AP_SAT_SYM>>(state, "ap_fixed<16,6,AP_RND_CONV,AP_SAT_SYM>"); break;
    default: VendorLoop<ap_fixed<48, 12, AP_RND, AP_SAT>>(state, "ap_fixed<48,12,AP_RND,AP_SAT>"); break;
  }
}
BENCHMARK(BM_VendorApFixedFromDouble)->DenseRange(0, 3);
#endif

}  // namespace
